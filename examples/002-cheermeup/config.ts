/** The 002 CheerMeUp reproduction's configurations: quick (CI smoke test), standard (the default, ≤ 15 minutes on 2 cores) and full (the document's scale), side by side. */

export interface CheerMeUpConfig {
  size: number;
  filters: number;
  /** D's width when it differs from G's (a D half as wide keeps the 32-px GAN from collapsing); default filters. */
  discriminatorFilters?: number;
  latentDim: number;
  ganSteps: number;
  ganBatch: number;
  ganLr: number;
  /** Half-life (steps) of the EMA of G's weights used for sampling; 0 = off. */
  emaHalfLife: number;
  /**
   * R1 penalty on D's real faces (`r1Penalty`, γ · mean‖∇D‖²), as a lazy separate step every
   * `every` steps with its weight × every (StyleGAN2's D_reg_interval); 0 = off. The document's
   * LSGAN has none; without it D wins within 50 steps on the six-character set.
   */
  r1Gamma: number;
  r1Every: number;
  /** Training images per GAN. */
  nGan: number;
  clfSteps: number;
  clfBatch: number;
  clfFilters: number[];
  /** 'seed002' (fc → ReLU → batchnorm → softmax, as the document) or 'linear' (fc → softmax). */
  clfHead: 'seed002' | 'linear';
  nClf: number;
  nTest: number;
  charSteps: number;
  /** (z, y) samples for the regression. */
  nZY: number;
  /** Latents per walk. */
  nWalk: number;
  walkRange: number;
  walkSteps: number;
}

export const QUICK: CheerMeUpConfig = {
  size: 32,
  filters: 16,
  latentDim: 100,
  ganSteps: 300,
  ganBatch: 16,
  ganLr: 1e-3,
  emaHalfLife: 30,
  r1Gamma: 1,
  r1Every: 8,
  nGan: 1000,
  clfSteps: 200,
  clfBatch: 32,
  clfFilters: [16, 32, 64],
  clfHead: 'linear',
  nClf: 1200,
  nTest: 300,
  charSteps: 80,
  nZY: 1500,
  nWalk: 16,
  walkRange: 6,
  walkSteps: 9,
};

/** Standard mode (the default): 32 px, two DCGANs of width 32 (D 16) for 1,200 steps each with an EMA of G (BatchNorm statistics re-estimated; 1,800 steps collapsed: D's loss fell to ~0.05 by step 50 and G never recovered, KID 1.81 vs 0.98 untrained); lazy R1 (γ 1 every 8 steps) on both; about 11 minutes on 2 cores (644 s measured).
 * Measured on the six-character set at 1,200 steps without R1: D's loss fell to ~0.05 within 50 steps and G drew noise (KID 4.8;
 * the non-saturating loss instead of least squares: KID 23.5); R1 on every step: KID 0.69 in 860 s instead of 251 s; lazy R1 every 8: KID 0.23 in 277 s. */
export const STANDARD: CheerMeUpConfig = {
  size: 32,
  filters: 32,
  discriminatorFilters: 16,
  latentDim: 100,
  ganSteps: 1200,
  ganBatch: 32,
  ganLr: 2e-4,
  emaHalfLife: 150,
  r1Gamma: 1,
  r1Every: 8,
  nGan: 4000,
  clfSteps: 600,
  clfBatch: 64,
  clfFilters: [16, 32, 64],
  clfHead: 'linear',
  nClf: 4000,
  nTest: 1000,
  charSteps: 300,
  nZY: 4000,
  nWalk: 32,
  walkRange: 6,
  walkSteps: 9,
};

export const FULL: CheerMeUpConfig = {
  size: 64,
  filters: 64,
  latentDim: 100,
  ganSteps: 5000,
  ganBatch: 16,
  ganLr: 2e-4,
  emaHalfLife: 500,
  r1Gamma: 1,
  r1Every: 8,
  nGan: 12000,
  clfSteps: 3000,
  clfBatch: 64,
  clfFilters: [32, 64, 128],
  clfHead: 'seed002',
  nClf: 12000,
  nTest: 2000,
  charSteps: 1000,
  nZY: 20000,
  nWalk: 64,
  walkRange: 6,
  walkSteps: 9,
};

/** The three modes side by side: `--quick` (CI smoke test), standard (the default), `--full` (the document's scale). */
export const CONFIGS: Record<'quick' | 'standard' | 'full', CheerMeUpConfig> = { quick: QUICK, standard: STANDARD, full: FULL };
