/** Toy-size configurations of the examples, shared by their tests (seconds on the cpu backend). */
import { QUICK as QUICK_002, type CheerMeUpConfig } from '../../examples/002-cheermeup.js';
import { QUICK as QUICK_003, type EmotionGenConfig } from '../../examples/003-emotion-generation.js';
import { QUICK as QUICK_004, type GanimationConfig } from '../../examples/004-ganimation/pipeline.js';

export const TOY_002: CheerMeUpConfig = {
  ...QUICK_002,
  size: 16,
  filters: 4,
  latentDim: 12,
  ganSteps: 3,
  ganBatch: 4,
  emaHalfLife: 2,
  nGan: 24,
  clfSteps: 3,
  clfBatch: 8,
  clfFilters: [4, 8],
  nClf: 42,
  nTest: 21,
  charSteps: 2,
  nZY: 40,
  nWalk: 3,
  walkRange: 2,
  walkSteps: 3,
};

export const TOY_003: EmotionGenConfig = {
  ...QUICK_003,
  size: 16,
  filters: 4,
  latentDim: 10,
  identities: 4,
  nTrain: 28,
  ganSteps: 3,
  ganBatch: 4,
  emaHalfLife: 2,
  encSteps: 2,
  encBatch: 4,
  clfSteps: 3,
  clfBatch: 8,
  nTest: 10,
  nSources: 5,
};

export const TOY_004: GanimationConfig = {
  ...QUICK_004,
  imageSize: 16,
  trainImages: 12,
  regressorImages: 12,
  regressorSteps: 2,
  regressorFilters: [4, 8],
  iterations: 2,
  batchSize: 2,
  convDim: 2,
  resBlocks: 1,
  criticDim: 2,
  criticBlocks: 2,
  generatorEvery: 2,
  evalFaces: 3,
};
