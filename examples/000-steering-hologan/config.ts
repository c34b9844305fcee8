/** The 000 Steering HoloGAN reproduction's configurations: quick (CI smoke test), standard (the default, ≤ 15 minutes on 2 cores) and full (the document's scale), side by side. */

export interface SteeringConfig {
  imageSize: 32 | 64;
  /** Faces the GANs train on. */
  ganImages: number;
  /** People in the GAN set (0: every face a new person, like CelebA). */
  ganIdentities: number;
  /** Faces the AU regressor (used by the walk loss) trains on, and the independent judge regressor. */
  regressorImages: number;
  regressorSteps: number;
  /** Identity-embedding set: people × images each. */
  embeddingIdentities: number;
  embeddingImagesPerIdentity: number;
  embeddingSteps: number;
  zDim: number;
  gfDim: number;
  dfDim: number;
  hologanIterations: number;
  hologanBatch: number;
  hologanLr: number;
  dcganLatent: number;
  dcganFilters: number;
  /** The DCGAN's D width when it differs from G's; default dcganFilters. */
  dcganDiscriminatorFilters?: number;
  dcganIterations: number;
  dcganBatch: number;
  dcganLr: number;
  /** Half-life (iterations) of the EMA of both generators' weights used after training (PGGAN's Gs); 0 = off. */
  emaHalfLife?: number;
  /** Walk steps on HoloGAN and on the DCGAN (a DCGAN step is ~4× cheaper). */
  walkSteps: number;
  dcganWalkSteps: number;
  walkBatch: number;
  walkLr: number;
  /** Latent codes per α sweep and per pose grid. */
  evalZ: number;
  poseZ: number;
}

/** Quick mode: 32 px, tiny networks, 40 HoloGAN / 900 DCGAN iterations — about 1.5 minutes on 2 busy cores. */
export const QUICK: SteeringConfig = {
  imageSize: 32,
  ganImages: 1024,
  ganIdentities: 24,
  regressorImages: 1536,
  regressorSteps: 250,
  embeddingIdentities: 48,
  embeddingImagesPerIdentity: 12,
  embeddingSteps: 100,
  zDim: 32,
  gfDim: 4,
  dfDim: 8,
  hologanIterations: 40,
  hologanBatch: 8,
  hologanLr: 5e-4,
  dcganLatent: 32,
  dcganFilters: 16,
  dcganIterations: 900,
  dcganBatch: 16,
  dcganLr: 5e-4,
  walkSteps: 60,
  dcganWalkSteps: 200,
  walkBatch: 4,
  walkLr: 0.02,
  evalZ: 8,
  poseZ: 4,
};

/** Full mode: 64 px, the reference HoloGAN width (gf 64, z 128), 50 epochs-equivalent is out of reach on CPU — see the header. */
/**
 * Standard mode (the default): 32 px, HoloGAN gf 8 / z 64 for 900 iterations of batch 8 (measured
 * 0.49–0.58 s each; 1.7 s at gf 16 / batch 16; at 600 its samples stayed just above the face-like
 * gate, KID 0.206 vs 0.19), a DCGAN of width 32 (D 16) for 1,200 iterations, EMAs of
 * both generators (BatchNorm statistics re-estimated after loading them), walks of 200 steps; about 13–14 minutes on 2 cores (11 min measured with 600 HoloGAN iterations).
 */
export const STANDARD: SteeringConfig = {
  imageSize: 32,
  ganImages: 4096,
  ganIdentities: 0,
  regressorImages: 3000,
  regressorSteps: 600,
  embeddingIdentities: 100,
  embeddingImagesPerIdentity: 12,
  embeddingSteps: 400,
  zDim: 64,
  gfDim: 8,
  dfDim: 16,
  hologanIterations: 900,
  hologanBatch: 8,
  hologanLr: 2e-4,
  dcganLatent: 64,
  dcganFilters: 32,
  dcganDiscriminatorFilters: 16,
  dcganIterations: 1200,
  dcganBatch: 32,
  dcganLr: 2e-4,
  emaHalfLife: 150,
  walkSteps: 200,
  dcganWalkSteps: 300,
  walkBatch: 8,
  walkLr: 0.01,
  evalZ: 16,
  poseZ: 6,
};

export const FULL: SteeringConfig = {
  imageSize: 64,
  ganImages: 20000,
  ganIdentities: 0,
  regressorImages: 8000,
  regressorSteps: 3000,
  embeddingIdentities: 400,
  embeddingImagesPerIdentity: 20,
  embeddingSteps: 3000,
  zDim: 128,
  gfDim: 32,
  dfDim: 32,
  hologanIterations: 20000,
  hologanBatch: 32,
  hologanLr: 1e-4,
  dcganLatent: 100,
  dcganFilters: 64,
  dcganIterations: 10000,
  dcganBatch: 32,
  dcganLr: 2e-4,
  walkSteps: 2000,
  dcganWalkSteps: 2000,
  walkBatch: 8,
  walkLr: 1e-3,
  evalZ: 32,
  poseZ: 8,
};

/** The three modes side by side: `--quick` (CI smoke test), standard (the default), `--full` (the document's scale). */
export const CONFIGS: Record<'quick' | 'standard' | 'full', SteeringConfig> = { quick: QUICK, standard: STANDARD, full: FULL };
