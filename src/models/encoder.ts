import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger } from '../util/validate.js';
import { SeedStream, ap, assertModelInput, log2Stages, trainableVariables } from './common.js';

/**
 * An encoder E that inverts a generator G (document 003, Fan, Liu, Wang §2.2.2, Fig. 4: "similar to
 * the discriminator D, the fully-connected layer of E gives z"): the DCGAN discriminator trunk
 * (conv k4 s2 + LeakyReLU 0.2, then conv k4 s2 + batch norm + LeakyReLU, N(0, 0.02) weights) down
 * to 4×4, flattened, and a dense layer to the latent size.
 * Trained on L(E) = Σ_x (x − G(E(x)))² (document 003 eq. 14) and/or the latent cycle ‖z − E(G(z))‖².
 */
export interface EncoderOptions {
  imageSize?: number;
  channels?: number;
  latentDim?: number;
  /** Filters of the first conv, doubled per stage (default 64). */
  filters?: number;
  /** 'linear' (default, for N(0, I) latents) or 'tanh' (for U(−1, 1) latents). */
  outputActivation?: 'linear' | 'tanh';
  leak?: number;
  bnMomentum?: number;
  bnEpsilon?: number;
  seed?: number;
  name?: string;
}

/**
 * image [B, S, S, C] → z [B, latentDim]. Reference size (64×64×3, ndf 64, nz 100):
 * 2,755,584 (convs) + 1,792 (batch norm) + 819,300 (dense 8192·100 + 100) = 3,576,676 trainable parameters.
 */
export function buildEncoder(options: EncoderOptions = {}): tfl.LayersModel {
  const where = 'buildEncoder';
  const imageSize = options.imageSize ?? 64;
  const channels = options.channels ?? 3;
  const latentDim = options.latentDim ?? 100;
  const filters = options.filters ?? 64;
  const act = options.outputActivation ?? 'linear';
  for (const [k, v] of Object.entries({ channels, latentDim, filters })) assertPositiveInteger(where, k, v);
  if (act !== 'linear' && act !== 'tanh') throw new Error(`${where}: 'outputActivation' must be 'linear' or 'tanh'; got ${String(act)}`);
  const stages = log2Stages(where, 'imageSize', imageSize);
  const seeds = new SeedStream(options.seed ?? 0);
  const x = tfl.input({ shape: [imageSize, imageSize, channels], name: 'image' });
  let h = x;
  for (let i = 0; i < stages; i++) {
    h = ap(tfl.layers.conv2d({ filters: filters * 2 ** i, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: seeds.normal(0.02) }), h);
    if (i > 0) {
      h = ap(tfl.layers.batchNormalization({ momentum: options.bnMomentum ?? 0.9, epsilon: options.bnEpsilon ?? 1e-5, gammaInitializer: seeds.normal(0.02, 1) }), h);
    }
    h = ap(tfl.layers.leakyReLU({ alpha: options.leak ?? 0.2 }), h);
  }
  h = ap(tfl.layers.flatten(), h);
  h = ap(tfl.layers.dense({ units: latentDim, activation: act, kernelInitializer: seeds.normal(0.02) }), h);
  return tfl.model({ inputs: x, outputs: h, name: options.name ?? 'encoder' });
}

export interface EncoderLossArgs {
  encoder: tfl.LayersModel;
  /** G, called as G(z) or, when `labels` is given, G([z, labels]) (conditional generators). */
  generator: tfl.LayersModel;
  /** Real images for the image-space term ‖x − G(E(x))‖². */
  x?: tf.Tensor;
  /** Latents for the latent-space term ‖z − E(G(z))‖². */
  z?: tf.Tensor;
  /** Condition fed to G with every call (one-hot rows, or class indices for the ACGAN generator). */
  labels?: tf.Tensor;
  /** Weight of the image term (default 1). */
  imageWeight?: number;
  /** Weight of the latent term (default 1). */
  latentWeight?: number;
  /** 'mean' over elements (default) or 'sum' over elements and mean over the batch (document 003 eq. 14 sums). */
  reduction?: 'mean' | 'sum';
  /** Run E in training mode (batch statistics; default true). G always runs in inference mode. */
  training?: boolean;
}

function reduce(sq: tf.Tensor, reduction: 'mean' | 'sum'): tf.Scalar {
  if (reduction === 'mean') return tf.mean(sq);
  return tf.div(tf.sum(sq), sq.shape[0]!) as tf.Scalar;
}

/**
 * Encoder loss: imageWeight·‖x − G(E(x))‖² + latentWeight·‖z − E(G(z))‖² (document 003 eq. 14 and its
 * latent-cycle counterpart), reduced per `reduction`. Give `x`, `z` or both.
 */
export function encoderLoss(args: EncoderLossArgs): tf.Scalar {
  const where = 'encoderLoss';
  const { encoder, generator, x, z, labels } = args;
  const reduction = args.reduction ?? 'mean';
  const training = args.training ?? true;
  if (x == null && z == null) throw new Error(`${where}: give 'x' (images), 'z' (latents) or both; got neither`);
  if (x != null) assertModelInput(where, 'x', x, encoder);
  if (z != null) assertModelInput(where, 'z', z, generator, 0);
  if (labels != null) {
    if (generator.inputs.length < 2) throw new Error(`${where}: 'labels' given but the generator has ${generator.inputs.length} input`);
    assertModelInput(where, 'labels', labels, generator, 1);
    const n = (x ?? z)!.shape[0];
    if (labels.shape[0] !== n) throw new Error(`${where}: 'labels' must have ${n} rows (the batch); got ${labels.shape[0]}`);
  } else if (generator.inputs.length > 1) {
    throw new Error(`${where}: the generator takes ${generator.inputs.length} inputs; pass 'labels'`);
  }
  const gen = (zz: tf.Tensor): tf.Tensor => generator.apply(labels != null ? [zz, labels] : zz, { training: false }) as tf.Tensor;
  return tf.tidy(() => {
    let loss = tf.scalar(0);
    if (x != null) {
      const rec = gen(encoder.apply(x, { training }) as tf.Tensor);
      loss = tf.add(loss, tf.mul(args.imageWeight ?? 1, reduce(tf.square(tf.sub(x, rec)), reduction)));
    }
    if (z != null) {
      const zr = encoder.apply(gen(z), { training }) as tf.Tensor;
      loss = tf.add(loss, tf.mul(args.latentWeight ?? 1, reduce(tf.square(tf.sub(z, zr)), reduction)));
    }
    return loss as tf.Scalar;
  });
}

/**
 * One optimiser step on the encoder's variables only (G stays fixed; explicit variable list, no
 * `trainable` toggling). Returns the loss before the step as a number — a host read
 * (`dataSync`), which stalls a GPU backend every step; training loops on webgpu/webgl should use
 * {@link encoderTrainStepTensor} and read the losses every K steps.
 */
export function encoderTrainStep(optimizer: tf.Optimizer, args: EncoderLossArgs): number {
  const cost = encoderTrainStepTensor(optimizer, args);
  try {
    return cost.dataSync()[0];
  } finally {
    cost.dispose();
  }
}

/**
 * {@link encoderTrainStep} without the host read: returns the loss before the step as a scalar
 * tensor (the caller disposes it; e.g. `tf.stack` K of them and read once).
 */
export function encoderTrainStepTensor(optimizer: tf.Optimizer, args: EncoderLossArgs): tf.Scalar {
  const vars = trainableVariables(args.encoder);
  return optimizer.minimize(() => encoderLoss(args), true, vars)!;
}
