/** The 001 Deep facial expression synthesis reproduction's configurations: quick (CI smoke test), standard (the default, ≤ 15 minutes on 2 cores) and full (the document's scale), side by side. */

export interface ExpressionSynthesisConfig {
  size: number;
  nTrain: number;
  regSteps: number;
  regFilters: number[];
  vaeHidden: number[];
  vaeLatent: number;
  vaeSteps: number;
  vaeBatch: number;
  vaeLr: number;
  ganFilters: number;
  /** D's width when it differs from G's (a D half as wide keeps the 32-px GAN from collapsing); default ganFilters. */
  ganDiscriminatorFilters?: number;
  ganLatent: number;
  ganSteps: number;
  ganBatch: number;
  ganLr: number;
  emaHalfLife: number;
  nBoundary: number;
  /** Share of the boundary samples taken from each end of the attribute score (InterFaceGAN's chosen_num_or_ratio; 0.02 of 500k there). */
  boundaryRatio: number;
  pcaComponents: number;
  glowSize: number;
  glowDepth: number;
  glowWidth: number;
  glowSteps: number;
  glowBatch: number;
  /** Images for Glow's data-dependent actnorm initialisation (openai: 256; bounded by wasm's 4 GB heap at full size). */
  glowInitBatch: number;
  /** Faces / latents edited per curve. */
  nEdit: number;
  /**
   * Latents walked along each InterFaceGAN boundary (default nEdit). The conditional claim compares
   * two slopes of curves that are not linear: at 32 latents, the kept share of the smile slope
   * came out 46 %; at 128 and 512 latents on the same boundaries, 80 % and 74 %.
   */
  nBoundaryEdit?: number;
}

export const QUICK: ExpressionSynthesisConfig = {
  size: 32,
  nTrain: 1500,
  regSteps: 250,
  regFilters: [16, 32, 64],
  vaeHidden: [16, 32, 64],
  vaeLatent: 32,
  vaeSteps: 100,
  vaeBatch: 32,
  vaeLr: 2e-3,
  ganFilters: 16,
  ganLatent: 64,
  ganSteps: 250,
  ganBatch: 16,
  ganLr: 1e-3,
  emaHalfLife: 30,
  nBoundary: 1000,
  boundaryRatio: 0.2,
  pcaComponents: 8,
  glowSize: 16,
  glowDepth: 4,
  glowWidth: 32,
  glowSteps: 100,
  glowBatch: 32,
  glowInitBatch: 128,
  nEdit: 16,
};

/**
 * Standard mode (the default): 32 px, a DCGAN of width 32 (D 16) with an EMA of G (BatchNorm statistics re-estimated) for 2,400 steps,
 * three VAEs of 250 steps (measured 0.6 s per VAE step at batch 64), a Glow of depth 4 at 16 px; about 13 minutes on 2 cores (wasm, 2 threads).
 */
export const STANDARD: ExpressionSynthesisConfig = {
  size: 32,
  nTrain: 4000,
  regSteps: 600,
  regFilters: [16, 32, 64],
  vaeHidden: [32, 64, 128],
  vaeLatent: 32,
  vaeSteps: 250,
  vaeBatch: 32,
  vaeLr: 2e-3,
  ganFilters: 32,
  ganDiscriminatorFilters: 16,
  ganLatent: 64,
  ganSteps: 2400,
  ganBatch: 32,
  ganLr: 2e-4,
  emaHalfLife: 150,
  nBoundary: 8000,
  boundaryRatio: 0.05,
  pcaComponents: 10,
  glowSize: 16,
  glowDepth: 4,
  glowWidth: 64,
  glowSteps: 500,
  glowBatch: 32,
  glowInitBatch: 128,
  nEdit: 32,
  nBoundaryEdit: 256,
};

export const FULL: ExpressionSynthesisConfig = {
  size: 64,
  nTrain: 20000,
  regSteps: 3000,
  regFilters: [32, 64, 128],
  vaeHidden: [32, 64, 128, 256, 512],
  vaeLatent: 128,
  vaeSteps: 3000,
  vaeBatch: 64,
  vaeLr: 5e-3,
  ganFilters: 64,
  ganLatent: 100,
  ganSteps: 5000,
  ganBatch: 16,
  ganLr: 2e-4,
  emaHalfLife: 500,
  nBoundary: 20000,
  boundaryRatio: 0.02,
  pcaComponents: 20,
  glowSize: 32,
  glowDepth: 8,
  glowWidth: 128,
  glowSteps: 3000,
  glowBatch: 16,
  glowInitBatch: 32,
  nEdit: 64,
};

/** The three modes side by side: `--quick` (CI smoke test), standard (the default), `--full` (the document's scale). */
export const CONFIGS: Record<'quick' | 'standard' | 'full', ExpressionSynthesisConfig> = { quick: QUICK, standard: STANDARD, full: FULL };
