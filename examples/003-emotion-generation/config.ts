/** The 003 emotion generation reproduction's configurations: quick (CI smoke test), standard (the default, ≤ 15 minutes on 2 cores) and full (the document's scale), side by side. */

import type { LabelInjection } from '../../src/models/index.js';

export interface EmotionGenConfig {
  size: number;
  filters: number;
  /** Where the label enters G and D: DCGAN-tensorflow's y_dim path tiles it onto every layer ('every-layer'). */
  labelInjection: LabelInjection;
  /** D's label injection when it differs from G's; default labelInjection. */
  discriminatorLabelInjection?: LabelInjection;
  /** Weight of GAN-CLS's wrong-label term in D's loss (real faces under a wrong emotion scored as fake; 0 = plain cGAN). */
  mismatchedLabelWeight: number;
  /** D adds the projection term ⟨embed(y), φ(x)⟩ to its logit (Miyato & Koyama 2018). */
  projectionDiscriminator: boolean;
  /** D's width when it differs from G's (a D half as wide keeps the 32-px GAN from collapsing); default filters. */
  discriminatorFilters?: number;
  latentDim: number;
  /** Identities in the synthetic pool (the test sources are new pictures of them). */
  identities: number;
  nTrain: number;
  ganSteps: number;
  ganBatch: number;
  ganLr: number;
  /** G updates per step (DCGAN-tensorflow's 2; the document: "change the times of updating G"). */
  ganGRepeats: number;
  emaHalfLife: number;
  /** R1 penalty γ on D's real faces under their labels, as a lazy separate step every `r1Every` steps (weight × every); 0 = off (the document has none). */
  r1Gamma: number;
  r1Every: number;
  encSteps: number;
  encBatch: number;
  encLr: number;
  clfSteps: number;
  clfBatch: number;
  nTest: number;
  /** Source faces transferred to each of the seven emotions. */
  nSources: number;
}

export const QUICK: EmotionGenConfig = {
  size: 32,
  filters: 16,
  labelInjection: 'input',
  mismatchedLabelWeight: 1,
  projectionDiscriminator: true,
  latentDim: 100,
  identities: 12,
  nTrain: 1400,
  ganSteps: 450,
  ganBatch: 16,
  ganLr: 1e-3,
  ganGRepeats: 1,
  emaHalfLife: 30,
  r1Gamma: 0,
  r1Every: 8,
  encSteps: 200,
  encBatch: 32,
  encLr: 1e-3,
  clfSteps: 200,
  clfBatch: 32,
  nTest: 300,
  nSources: 24,
};

/**
 * Standard mode (the default): 32 px, a conditional DCGAN of width 32 (D 16) at learning rate 5e-4 for 2,500 steps with an EMA of G (BatchNorm statistics re-estimated), an encoder of 700 steps;
 * 784 s on 2 cores at a1539c0 (73 % conditional accuracy, KID 0.028, 75 % transfer accuracy; at 2e-4: 52 %, 0.127, 61 %, 800 s;
 * an earlier 2,800 + 800-step setup at 2e-4 took 1,020 s: 55 % conditional accuracy, 63 % transfer accuracy).
 * D is a projection discriminator with GAN-CLS's wrong-label term. Measured at 1,000 steps (seed 0, conditional accuracy / KID):
 * plain cDCGAN 26 % (label at the input) and 28 % (every layer) at 2,800 steps; at 1,000: input + wrong-label term 37 % / 0.19; input + projection 39 % / 0.10;
 * both 46 % / 0.29; both with G's label at every layer 41 % / 0.53; every layer in G and D with the wrong-label term collapsed (KID 5.4).
 * Learning rate, at 1,000 steps with both (seed 0, accuracy / KID): 2e-4 (DCGAN's) 46 % / 0.29; 5e-4 59 % / 0.13; 1e-3 collapsed (29 % / 7.5);
 * wrong-label weight 2 at 2e-4: 40 %. R1 (γ 1 every 8 steps) at 2,500 steps, 2e-4: 40 %, KID 8.5 (collapsed).
 */
export const STANDARD: EmotionGenConfig = {
  size: 32,
  filters: 32,
  labelInjection: 'input',
  mismatchedLabelWeight: 1,
  projectionDiscriminator: true,
  discriminatorFilters: 16,
  latentDim: 100,
  identities: 40,
  nTrain: 5000,
  ganSteps: 2500,
  ganBatch: 32,
  ganLr: 5e-4,
  ganGRepeats: 1,
  emaHalfLife: 150,
  r1Gamma: 0,
  r1Every: 8,
  encSteps: 700,
  encBatch: 32,
  encLr: 1e-3,
  clfSteps: 600,
  clfBatch: 64,
  nTest: 1000,
  nSources: 60,
};

export const FULL: EmotionGenConfig = {
  size: 64,
  filters: 64,
  labelInjection: 'input',
  mismatchedLabelWeight: 1,
  projectionDiscriminator: true,
  latentDim: 100,
  identities: 300,
  nTrain: 30000,
  ganSteps: 6000,
  ganBatch: 32,
  ganLr: 2e-4,
  ganGRepeats: 1,
  emaHalfLife: 0,
  r1Gamma: 0,
  r1Every: 8,
  encSteps: 2000,
  encBatch: 32,
  encLr: 2e-4,
  clfSteps: 3000,
  clfBatch: 64,
  nTest: 3000,
  nSources: 200,
};

/** The three modes side by side: `--quick` (CI smoke test), standard (the default), `--full` (the document's scale). */
export const CONFIGS: Record<'quick' | 'standard' | 'full', EmotionGenConfig> = { quick: QUICK, standard: STANDARD, full: FULL };
