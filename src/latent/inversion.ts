/**
 * GAN inversion: find latents whose generated images match given images.
 *
 * Optimisation-based inversion (minimise `loss(G(z), x)` over z with Adam, G frozen) is what the
 * InterFaceGAN issues point to for real-image editing (genforce/interfacegan #3, #57, #61); the
 * encoder helpers cover the learned-encoder route (an encoder E with E(G(z)) ≈ z, optionally used to
 * initialise the optimisation — the "hybrid" inversion).
 */
import * as tf from '@tensorflow/tfjs-core';
import { DeferredScalars, lossRecorder, resolveReadEvery, runReadingAsync, runReadingSync, type DueRead } from '../util/deferred_reads.js';
import { Random } from '../util/random.js';
import { callGenerator, type Generator } from './linear_walk.js';

export type InversionLoss = 'l2' | 'l1' | ((generated: tf.Tensor, images: tf.Tensor) => tf.Scalar);

export interface InvertOptions {
  /** Adam steps (default 200). */
  steps?: number;
  /** Adam learning rate (default 0.05). */
  lr?: number;
  /** 'l2' (mean squared error, default), 'l1' (mean absolute error) or a custom loss. */
  loss?: InversionLoss;
  /** Latent dimension (required unless `init` is given). */
  latentDim?: number;
  /** Initial latents [B, D] (e.g. from an encoder); default N(0, I) with `seed`. */
  init?: tf.Tensor2D;
  /** Optional prior weight λ: adds `λ·mean(z²)` (keeps z near the Gaussian shell). Default 0. */
  latentPenalty?: number;
  seed?: number;
  optimizer?: tf.Optimizer;
  /**
   * Called with each step's loss. With `readLossEvery` K > 1 the calls come in bursts at the read
   * steps (every K steps and at the end), in step order, with the same values.
   */
  onStep?: (step: number, loss: number) => void;
  /**
   * Read the per-step losses from the device every K steps (one stacked read) instead of every
   * step: a positive integer or 'auto' (default: 1 on cpu/wasm/tensorflow, 25 on GPU backends,
   * where each read stalls the pipeline). The loss history is the same whichever K.
   */
  readLossEvery?: number | 'auto';
}

export interface InversionResult {
  /** Optimised latents [B, D]. */
  z: tf.Tensor2D;
  losses: number[];
}

function lossFn(loss: InversionLoss): (g: tf.Tensor, x: tf.Tensor) => tf.Scalar {
  if (loss === 'l2') return (g, x) => tf.mean(tf.square(tf.sub(g, x))) as tf.Scalar;
  if (loss === 'l1') return (g, x) => tf.mean(tf.abs(tf.sub(g, x))) as tf.Scalar;
  if (typeof loss === 'function') return loss;
  throw new Error(`invertByOptimization: 'loss' must be 'l2', 'l1' or a function; got ${String(loss)}`);
}

/**
 * Minimise `loss(G(z), images) + λ·mean(z²)` over z (only z is trained; explicit variable list).
 */
export function invertByOptimization(generator: Generator, images: tf.Tensor, options: InvertOptions = {}): InversionResult {
  return runReadingSync(inversionSteps(generator, images, options));
}

/**
 * {@link invertByOptimization} with asynchronous loss reads (`await data()`): the same steps and
 * the same latents, for webgpu in Node (where a synchronous read is impossible) and for pages that
 * must not stall.
 */
export function invertByOptimizationAsync(generator: Generator, images: tf.Tensor, options: InvertOptions = {}): Promise<InversionResult> {
  return runReadingAsync(inversionSteps(generator, images, options));
}

/** The optimisation loop of both drivers; it yields wherever the pending losses must be read. */
function* inversionSteps(generator: Generator, images: tf.Tensor, options: InvertOptions): Iterator<DueRead, InversionResult, void> {
  const where = 'invertByOptimization';
  const { steps = 200, lr = 0.05, seed = 0, latentPenalty = 0 } = options;
  if (!(images instanceof tf.Tensor) || images.rank < 1) throw new Error(`${where}: 'images' must be a batched Tensor`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`${where}: 'steps' must be a positive integer; got ${steps}`);
  if (!(lr > 0)) throw new Error(`${where}: 'lr' must be > 0; got ${lr}`);
  const B = images.shape[0];
  let init: tf.Tensor2D;
  if (options.init) {
    if (options.init.rank !== 2 || options.init.shape[0] !== B) throw new Error(`${where}: 'init' must be [${B}, D]; got [${options.init.shape.join(', ')}]`);
    if (options.latentDim !== undefined && options.init.shape[1] !== options.latentDim)
      throw new Error(`${where}: 'init' has ${options.init.shape[1]} columns but 'latentDim' is ${options.latentDim}`);
    init = tf.clone(options.init);
  } else {
    const D = options.latentDim;
    if (!Number.isInteger(D) || (D as number) < 1) throw new Error(`${where}: 'latentDim' must be a positive integer when no 'init' is given; got ${D}`);
    init = tf.tensor2d(new Random(seed).normalArray(B * (D as number)), [B, D as number]);
  }
  const z = tf.variable(init, true);
  init.dispose();
  const f = lossFn(options.loss ?? 'l2');
  const optimizer = options.optimizer ?? tf.train.adam(lr);
  const losses: number[] = [];
  // per-step losses stay on the device and are read in one stacked read every K steps (see util/deferred_reads.ts)
  const reader = new DeferredScalars(resolveReadEvery(where, 'readLossEvery', options.readLossEvery));
  const due = lossRecorder(reader, losses, options.onStep);
  try {
    // shape check once
    let probe: tf.Tensor;
    try {
      probe = tf.tidy(() => callGenerator(generator, z));
    } catch (e) {
      throw new Error(`${where}: the generator failed on latents [${z.shape.join(', ')}]: ${(e as Error).message}`);
    }
    const same = probe.shape.join() === images.shape.join();
    const probeShape = probe.shape;
    probe.dispose();
    if (!same) throw new Error(`${where}: the generator's output [${probeShape.join(', ')}] must match 'images' [${images.shape.join(', ')}]`);
    for (let step = 0; step < steps; step++) {
      const l = optimizer.minimize(
        () => {
          const recon = f(callGenerator(generator, z), images);
          return latentPenalty > 0 ? (tf.add(recon, tf.mul(latentPenalty, tf.mean(tf.square(z)))) as tf.Scalar) : recon;
        },
        true,
        [z],
      );
      if (reader.push(step, l)) yield due;
    }
    if (reader.size > 0) yield due;
    return { z: tf.clone(z) as tf.Tensor2D, losses };
  } finally {
    reader.dispose();
    z.dispose();
    if (!options.optimizer) optimizer.dispose();
  }
}

/** An encoder images → latents: a function or a tfjs-layers model. */
export type Encoder = ((images: tf.Tensor) => tf.Tensor) | { apply(inputs: tf.Tensor, kwargs?: Record<string, unknown>): unknown };

/** E(images) → latents [B, D] (LayersModel: `apply(x, {training: false})`). */
export function encodeImages(encoder: Encoder, images: tf.Tensor): tf.Tensor2D {
  const out = typeof encoder === 'function' ? encoder(images) : encoder.apply(images, { training: false });
  const t = Array.isArray(out) ? out[0] : out;
  if (!(t instanceof tf.Tensor) || t.rank !== 2 || t.shape[0] !== images.shape[0]) {
    throw new Error(`encodeImages: the encoder must return latents [${images.shape[0]}, D]; got ${t instanceof tf.Tensor ? `[${t.shape.join(', ')}]` : typeof t}`);
  }
  return t as tf.Tensor2D;
}

/** Hybrid inversion: encoder initialisation followed by {@link invertByOptimization}. */
export function invertWithEncoder(generator: Generator, encoder: Encoder, images: tf.Tensor, options: Omit<InvertOptions, 'init'> = {}): InversionResult {
  const init = tf.tidy(() => encodeImages(encoder, images));
  try {
    return invertByOptimization(generator, images, { ...options, init });
  } finally {
    init.dispose();
  }
}

/** {@link invertWithEncoder} with asynchronous loss reads (see {@link invertByOptimizationAsync}). */
export async function invertWithEncoderAsync(generator: Generator, encoder: Encoder, images: tf.Tensor, options: Omit<InvertOptions, 'init'> = {}): Promise<InversionResult> {
  const init = tf.tidy(() => encodeImages(encoder, images));
  try {
    return await invertByOptimizationAsync(generator, images, { ...options, init });
  } finally {
    init.dispose();
  }
}

export interface TrainEncoderOptions {
  generator: Generator;
  encoder: Encoder;
  /** The encoder's trainable variables (for a LayersModel: `model.trainableWeights.map((w) => w.read())`). */
  variables: tf.Variable[];
  latentDim: number;
  steps: number;
  batchSize?: number;
  lr?: number;
  /** Weight of the image reconstruction term `mean((G(E(G(z))) − G(z))²)` (default 0: latent loss only). */
  imageWeight?: number;
  seed?: number;
  optimizer?: tf.Optimizer;
  /**
   * Called with each step's loss. With `readLossEvery` K > 1 the calls come in bursts at the read
   * steps (every K steps and at the end), in step order, with the same values.
   */
  onStep?: (step: number, loss: number) => void;
  /**
   * Read the per-step losses from the device every K steps (one stacked read) instead of every
   * step: a positive integer or 'auto' (default: 1 on cpu/wasm/tensorflow, 25 on GPU backends,
   * where each read stalls the pipeline). The loss history is the same whichever K.
   */
  readLossEvery?: number | 'auto';
}

/**
 * Train an encoder on generated pairs: minimise `mean((E(G(z)) − z)²) + w·mean((G(E(G(z))) − G(z))²)`
 * over the encoder's variables only (G frozen), z ~ N(0, I).
 */
export function trainInversionEncoder(options: TrainEncoderOptions): { losses: number[] } {
  return runReadingSync(encoderSteps(options));
}

/**
 * {@link trainInversionEncoder} with asynchronous loss reads (`await data()`): the same steps and
 * the same encoder, for webgpu in Node and for pages that must not stall.
 */
export function trainInversionEncoderAsync(options: TrainEncoderOptions): Promise<{ losses: number[] }> {
  return runReadingAsync(encoderSteps(options));
}

/** The training loop of both drivers; it yields wherever the pending losses must be read. */
function* encoderSteps(options: TrainEncoderOptions): Iterator<DueRead, { losses: number[] }, void> {
  const where = 'trainInversionEncoder';
  const { generator, encoder, variables, latentDim, steps, batchSize = 16, lr = 1e-3, imageWeight = 0, seed = 0 } = options;
  if (!Array.isArray(variables) || variables.length === 0) throw new Error(`${where}: 'variables' must list the encoder's tf.Variables`);
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new Error(`${where}: 'latentDim' must be a positive integer; got ${latentDim}`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`${where}: 'steps' must be a positive integer; got ${steps}`);
  const rng = new Random(seed);
  const optimizer = options.optimizer ?? tf.train.adam(lr);
  const losses: number[] = [];
  // per-step losses stay on the device and are read in one stacked read every K steps (see util/deferred_reads.ts)
  const reader = new DeferredScalars(resolveReadEvery(where, 'readLossEvery', options.readLossEvery));
  const due = lossRecorder(reader, losses, options.onStep);
  try {
    for (let step = 0; step < steps; step++) {
      const z = tf.tensor2d(rng.normalArray(batchSize * latentDim), [batchSize, latentDim]);
      const x = tf.tidy(() => callGenerator(generator, z));
      const l = optimizer.minimize(
        () => {
          const zHat = encodeImages(encoder, x);
          let loss = tf.mean(tf.square(tf.sub(zHat, z))) as tf.Scalar;
          if (imageWeight > 0) loss = tf.add(loss, tf.mul(imageWeight, tf.mean(tf.square(tf.sub(callGenerator(generator, zHat), x))))) as tf.Scalar;
          return loss;
        },
        true,
        variables,
      );
      tf.dispose([z, x]);
      if (reader.push(step, l)) yield due;
    }
    if (reader.size > 0) yield due;
    return { losses };
  } finally {
    reader.dispose();
    if (!options.optimizer) optimizer.dispose();
  }
}
