/** Toy-size configurations of the examples, shared by their tests (seconds on the cpu backend). */
import { QUICK as QUICK_001, type ExpressionSynthesisConfig } from '../../examples/001-expression-synthesis.js';
import { QUICK as QUICK_002, type CheerMeUpConfig } from '../../examples/002-cheermeup.js';
import { QUICK as QUICK_003, type EmotionGenConfig } from '../../examples/003-emotion-generation.js';
import { QUICK as QUICK_004, type GanimationConfig } from '../../examples/004-ganimation/pipeline.js';
import { QUICK as QUICK_000, type SteeringConfig } from '../../examples/000-steering-hologan/pipeline.js';

/** 000 at toy size: every model a few units wide, one or two steps. */
export const TOY_000: SteeringConfig = {
  ...QUICK_000,
  ganImages: 16,
  ganIdentities: 4,
  regressorImages: 16,
  regressorSteps: 2,
  embeddingIdentities: 4,
  embeddingImagesPerIdentity: 3,
  embeddingSteps: 2,
  zDim: 4,
  gfDim: 1,
  dfDim: 2,
  hologanIterations: 1,
  hologanBatch: 2,
  dcganLatent: 4,
  dcganFilters: 2,
  dcganIterations: 1,
  dcganBatch: 2,
  walkSteps: 2,
  dcganWalkSteps: 2,
  walkBatch: 2,
  evalZ: 4,
  poseZ: 2,
};

/** 001 at toy size: 16 px, every network a few units wide, two or three steps. */
export const TOY_001: ExpressionSynthesisConfig = {
  ...QUICK_001,
  size: 16,
  nTrain: 60,
  regSteps: 3,
  regFilters: [4, 8],
  vaeHidden: [4, 8],
  vaeLatent: 6,
  vaeSteps: 2,
  vaeBatch: 8,
  ganFilters: 4,
  ganLatent: 8,
  ganSteps: 2,
  ganBatch: 4,
  emaHalfLife: 2,
  nBoundary: 40,
  pcaComponents: 4,
  glowSize: 8,
  glowDepth: 1,
  glowWidth: 4,
  glowSteps: 2,
  glowBatch: 8,
  nEdit: 3,
};

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
