import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
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

/** The seed-002 classifier head on a feature tensor: Dense(numClasses) → ReLU → BatchNorm → softmax. */
function seed002Head(h: tfl.SymbolicTensor, numClasses: number, seeds: SeedStream, head: 'seed002' | 'linear'): tfl.SymbolicTensor {
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
  /** 'seed002' (fc → ReLU → batchnorm → softmax, as written in the seed; default) or 'linear' (fc → softmax). */
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
  return tfl.model({ inputs: f, outputs: seed002Head(f, numClasses, seeds, head), name: 'emotion_head' });
}

export interface EmotionClassifierOptions extends CnnTrunkOptions {
  numClasses?: number;
  head?: 'seed002' | 'linear';
}

/** Emotion classifier: CNN trunk (conv s2 + BN + ReLU per stage, global average pool) + the seed-002 head → probabilities. */
export function buildEmotionClassifier(options: EmotionClassifierOptions = {}): tfl.LayersModel {
  const where = 'buildEmotionClassifier';
  const numClasses = options.numClasses ?? 7;
  assertPositiveInteger(where, 'numClasses', numClasses);
  const head = options.head ?? 'seed002';
  if (head !== 'seed002' && head !== 'linear') throw new Error(`${where}: 'head' must be 'seed002' or 'linear'; got ${String(head)}`);
  const seeds = new SeedStream(options.seed ?? 0);
  const x = imageInput(where, options);
  const out = seed002Head(trunk(where, x, options, seeds), numClasses, seeds, head);
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
 * The seed's head on ResNet-18 features (512-D) has 512·17 + 17 = 8,721 parameters; here the trunk is small.
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

export interface L2NormalizeArgs {
  /** Added under the square root (default 1e-10). */
  epsilon?: number;
  name?: string;
}

/** x / √(Σ x² + ε) along the last axis (a layer, since tfjs-layers has no Lambda). */
export class L2Normalize extends tfl.layers.Layer {
  static className = 'GankitL2Normalize';
  readonly epsilon: number;
  constructor(args: L2NormalizeArgs = {}) {
    super({ name: args.name });
    this.epsilon = args.epsilon ?? 1e-10;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), -1, true), this.epsilon))));
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
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

function sameShape2(where: string, names: string[], ts: tf.Tensor[]): void {
  ts.forEach((t, i) => {
    if (t.rank !== 2 || !tf.util.arraysEqual(t.shape, ts[0].shape)) {
      throw new Error(`${where}: '${names[i]}' must be [B, D] like '${names[0]}' [${ts[0].shape.join(', ')}]; got [${t.shape.join(', ')}]`);
    }
  });
}

/**
 * Triplet loss (FaceNet eq. 1): mean_i max(‖a_i − p_i‖² − ‖a_i − n_i‖² + margin, 0).
 * Schroff, Kalenichenko, Philbin 2015; default margin 0.2 as FaceNet.
 */
export function tripletLoss(anchor: tf.Tensor, positive: tf.Tensor, negative: tf.Tensor, margin = 0.2): tf.Scalar {
  sameShape2('tripletLoss', ['anchor', 'positive', 'negative'], [anchor, positive, negative]);
  return tf.tidy(() => {
    const dp = tf.sum(tf.square(tf.sub(anchor, positive)), 1);
    const dn = tf.sum(tf.square(tf.sub(anchor, negative)), 1);
    return tf.mean(tf.relu(tf.add(tf.sub(dp, dn), margin))) as tf.Scalar;
  });
}

/**
 * Contrastive loss (Hadsell, Chopra, LeCun 2006 eq. 4, with ½ factors dropped):
 * mean_i [ y_i·d_i² + (1 − y_i)·max(margin − d_i, 0)² ], d_i = ‖e1_i − e2_i‖, y_i = 1 for the same identity.
 */
export function contrastiveLoss(e1: tf.Tensor, e2: tf.Tensor, same: tf.Tensor, margin = 1): tf.Scalar {
  sameShape2('contrastiveLoss', ['e1', 'e2'], [e1, e2]);
  if (same.rank !== 1 || same.shape[0] !== e1.shape[0]) throw new Error(`contrastiveLoss: 'same' must be [${e1.shape[0]}] (1 = same identity, 0 = different); got [${same.shape.join(', ')}]`);
  return tf.tidy(() => {
    const d2 = tf.sum(tf.square(tf.sub(e1, e2)), 1);
    const d = tf.sqrt(tf.add(d2, 1e-12));
    const neg = tf.square(tf.relu(tf.sub(margin, d)));
    return tf.mean(tf.add(tf.mul(same, d2), tf.mul(tf.sub(1, same), neg))) as tf.Scalar;
  });
}
