import * as tfl from '@tensorflow/tfjs-layers';
import { L2Normalize } from '../layers/l2_normalize.js';
import { assertPositiveInteger } from '../util/validate.js';
import { SeedStream, ap } from './common.js';

/**
 * Classifier and regressor heads used by the reproductions:
 * - emotion classifier (document 002, cheermeup §4.1 "Emotion Classifier": features → fc → ReLU →
 *   batchnorm → softmax, on AlexNet features there; here on a small CNN trunk, or on any features);
 * - AU regressor (document 000 §II.B: a CNN backbone + one fully-connected layer predicting 17 AU
 *   intensities, trained with MSE on intensities rescaled from [0, 5]);
 * - identity embedding (document 000 uses OpenFace's 128-D embedding; here a small CNN trained with a
 *   triplet (FaceNet, Schroff et al. 2015 eq. 1) or contrastive (Hadsell et al. 2006 eq. 4) loss on
 *   L2-normalised embeddings).
 */

export interface CnnTrunkOptions {
  imageSize?: number;
  channels?: number;
  /** Filters per stage; each stage is conv3×3 stride 2 + batch norm + ReLU (default [16, 32, 64]). */
  filters?: number[];
  seed?: number;
}

function trunk(where: string, x: tfl.SymbolicTensor, o: CnnTrunkOptions, seeds: SeedStream): tfl.SymbolicTensor {
  const filters = o.filters ?? [16, 32, 64];
  if (!Array.isArray(filters) || filters.length === 0) throw new Error(`${where}: 'filters' must be a non-empty array of positive integers; got ${JSON.stringify(filters)}`);
  filters.forEach((f, i) => assertPositiveInteger(where, `filters[${i}]`, f));
  let h = x;
  for (const f of filters) {
    h = ap(tfl.layers.conv2d({ filters: f, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: seeds.glorotNormal() }), h);
    h = ap(tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }), h);
    h = ap(tfl.layers.reLU(), h);
  }
  return ap(tfl.layers.globalAveragePooling2d({}), h);
}

function imageInput(where: string, o: CnnTrunkOptions): tfl.SymbolicTensor {
  const size = o.imageSize ?? 64;
  const channels = o.channels ?? 3;
  assertPositiveInteger(where, 'imageSize', size);
  assertPositiveInteger(where, 'channels', channels);
  return tfl.input({ shape: [size, size, channels], name: 'image' });
}

/** The document-002 classifier head on a feature tensor: Dense(numClasses) → ReLU → BatchNorm → softmax. */
function document002Head(h: tfl.SymbolicTensor, numClasses: number, seeds: SeedStream, head: 'seed002' | 'linear'): tfl.SymbolicTensor {
  if (head === 'linear') return ap(tfl.layers.dense({ units: numClasses, activation: 'softmax', kernelInitializer: seeds.glorotNormal(), name: 'class_probs' }), h);
  let o = ap(tfl.layers.dense({ units: numClasses, kernelInitializer: seeds.glorotNormal() }), h);
  o = ap(tfl.layers.reLU(), o);
  o = ap(tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }), o);
  return ap(tfl.layers.softmax({ name: 'class_probs' }), o);
}

export interface EmotionHeadOptions {
  /** Feature size (default 9216 = AlexNet's 256·6·6 features, as document 002). */
  featureDim?: number;
  /** Number of emotions (default 7: anger, disgust, fear, joy, neutral, sadness, surprise). */
  numClasses?: number;
  /** 'seed002' (fc → ReLU → batchnorm → softmax, as written in document 002; default. The option keeps its historical name) or 'linear' (fc → softmax). */
  head?: 'seed002' | 'linear';
  seed?: number;
}

/**
 * Document 002's emotion classifier head on features [B, featureDim] → probabilities [B, numClasses].
 * Reference size (9216 AlexNet features, 7 emotions): 9216·7 + 7 + 2·7 = 64,533 trainable parameters.
 */
export function buildEmotionHead(options: EmotionHeadOptions = {}): tfl.LayersModel {
  const where = 'buildEmotionHead';
  const featureDim = options.featureDim ?? 9216;
  const numClasses = options.numClasses ?? 7;
  assertPositiveInteger(where, 'featureDim', featureDim);
  assertPositiveInteger(where, 'numClasses', numClasses);
  const head = options.head ?? 'seed002';
  if (head !== 'seed002' && head !== 'linear') throw new Error(`${where}: 'head' must be 'seed002' or 'linear'; got ${String(head)}`);
  const seeds = new SeedStream(options.seed ?? 0);
  const f = tfl.input({ shape: [featureDim], name: 'features' });
  return tfl.model({ inputs: f, outputs: document002Head(f, numClasses, seeds, head), name: 'emotion_head' });
}

export interface EmotionClassifierOptions extends CnnTrunkOptions {
  numClasses?: number;
  head?: 'seed002' | 'linear';
}

/** Emotion classifier: CNN trunk (conv s2 + BN + ReLU per stage, global average pool) + the document-002 head → probabilities. */
export function buildEmotionClassifier(options: EmotionClassifierOptions = {}): tfl.LayersModel {
  const where = 'buildEmotionClassifier';
  const numClasses = options.numClasses ?? 7;
  assertPositiveInteger(where, 'numClasses', numClasses);
  const head = options.head ?? 'seed002';
  if (head !== 'seed002' && head !== 'linear') throw new Error(`${where}: 'head' must be 'seed002' or 'linear'; got ${String(head)}`);
  const seeds = new SeedStream(options.seed ?? 0);
  const x = imageInput(where, options);
  const out = document002Head(trunk(where, x, options, seeds), numClasses, seeds, head);
  return tfl.model({ inputs: x, outputs: out, name: 'emotion_classifier' });
}

export interface AuRegressorOptions extends CnnTrunkOptions {
  /** Number of action units (default 17, as document 000 and GANimation). */
  numAus?: number;
  /** 'sigmoid' (intensities rescaled to [0, 1], i.e. /5; default) or 'linear'. */
  outputActivation?: 'sigmoid' | 'linear';
}

/**
 * AU regressor (document 000): CNN trunk + one fully-connected layer to `numAus` intensities; train with MSE.
 * Document 002's head on ResNet-18 features (512-D) has 512·17 + 17 = 8,721 parameters; here the trunk is small.
 */
export function buildAuRegressor(options: AuRegressorOptions = {}): tfl.LayersModel {
  const where = 'buildAuRegressor';
  const numAus = options.numAus ?? 17;
  assertPositiveInteger(where, 'numAus', numAus);
  const act = options.outputActivation ?? 'sigmoid';
  if (act !== 'sigmoid' && act !== 'linear') throw new Error(`${where}: 'outputActivation' must be 'sigmoid' or 'linear'; got ${String(act)}`);
  const seeds = new SeedStream(options.seed ?? 0);
  const x = imageInput(where, options);
  const out = ap(tfl.layers.dense({ units: numAus, activation: act, kernelInitializer: seeds.glorotNormal(), name: 'au' }), trunk(where, x, options, seeds));
  return tfl.model({ inputs: x, outputs: out, name: 'au_regressor' });
}

export interface IdentityEmbeddingOptions extends CnnTrunkOptions {
  /** Embedding size (default 128, as OpenFace / FaceNet). */
  embeddingDim?: number;
}

/** Identity embedding: CNN trunk → Dense(embeddingDim) → L2 normalisation (unit-norm embeddings). */
export function buildIdentityEmbedding(options: IdentityEmbeddingOptions = {}): tfl.LayersModel {
  const where = 'buildIdentityEmbedding';
  const dim = options.embeddingDim ?? 128;
  assertPositiveInteger(where, 'embeddingDim', dim);
  const seeds = new SeedStream(options.seed ?? 0);
  const x = imageInput(where, options);
  let h = ap(tfl.layers.dense({ units: dim, kernelInitializer: seeds.glorotNormal() }), trunk(where, x, options, seeds));
  h = ap(new L2Normalize({ name: 'l2_normalize' }), h);
  return tfl.model({ inputs: x, outputs: h, name: 'identity_embedding' });
}

// Moved (one concept per file); deprecated re-exports keep the old import paths working.
export { L2Normalize, type L2NormalizeArgs } from '../layers/l2_normalize.js';
export { tripletLoss, contrastiveLoss } from '../losses/metric_learning.js';
