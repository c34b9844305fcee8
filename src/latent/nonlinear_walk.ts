/**
 * GAN steerability: non-linear ("NNz") latent walks.
 *
 * Reference: ali-design/gan_steerability `graphs/*\/transform_base.py` (NNz walk) and
 * `utils/transforms.py` (`get_train_alpha` for `walk_type == 'NNz'`):
 * - two residual MLP chains: forward `z_{k+1} = z_k + T2(ReLU(T1 z_k))`, reverse with T3/T4, every
 *   T a Dense(dim → dim) (BigGAN init RandomNormal, StyleGAN glorot_normal);
 * - in Z, after every step the vector is rescaled to the ORIGINAL norm (`z_step·‖z‖/‖z_step‖`);
 *   in StyleGAN W it is truncated instead, `w̄ + ψ(step − w̄)`;
 * - α is an integer number of steps in [−N_f, N_f] (one per batch); the targets are `edit(G(z), t(α))`
 *   with t(α) = α·eps (color, shift, rotate) or eps^α (zoom). Class defaults: Color eps 0.1, N_f 5;
 *   Zoom eps 1.41, N_f 4; Shift eps 5, N_f 10; Rotate eps 10, N_f 5.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DeferredScalars, lossRecorder, resolveReadEvery, runReadingAsync, runReadingSync, type DueRead } from '../util/deferred_reads.js';
import { Random } from '../util/random.js';
import { walkEdit, type WalkEditName } from './edits.js';
import { maskedL2Loss } from '../losses/reconstruction.js';
import { callGenerator, type Generator } from './linear_walk.js';
import { sampleLatents } from './sampling.js';

export interface NonlinearWalkOptions {
  /** Weight init: 'normal' N(0, 0.05) (BigGAN, keras RandomNormal) or 'glorot' normal (StyleGAN). Default 'normal'. */
  init?: 'normal' | 'glorot';
  /** 'z': rescale to the input norm after every step (default); 'w': truncate towards `wMean` by `psi`. */
  space?: 'z' | 'w';
  /** W-space mean w̄ [dim] (required for space 'w'). */
  wMean?: number[];
  /** W-space truncation ψ (default 1: no truncation). */
  psi?: number;
  seed?: number;
}

/** One residual step `z + T2(ReLU(T1 z))` (T = x·W + b) followed by the Z-norm rescale or W truncation. */
export function nonlinearWalkStep(
  z: tf.Tensor2D,
  w1: tf.Tensor2D,
  b1: tf.Tensor1D,
  w2: tf.Tensor2D,
  b2: tf.Tensor1D,
  norm: { space: 'z'; targetNorm: tf.Tensor } | { space: 'w'; wMean: tf.Tensor; psi: number },
): tf.Tensor2D {
  return tf.tidy(() => {
    const step = tf.add(z, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(z, w1), b1)), w2), b2)) as tf.Tensor2D;
    if (norm.space === 'z') {
      const n = tf.sqrt(tf.sum(tf.square(step), 1, true));
      return tf.mul(step, tf.div(norm.targetNorm, n)) as tf.Tensor2D;
    }
    return tf.add(norm.wMean, tf.mul(norm.psi, tf.sub(step, norm.wMean))) as tf.Tensor2D;
  });
}

/** A trainable NNz walk; call {@link NonlinearWalk.dispose} when done. */
export class NonlinearWalk {
  readonly latentDim: number;
  readonly space: 'z' | 'w';
  readonly psi: number;
  /** [T1 kernel, T1 bias, T2 kernel, T2 bias, T3 kernel, T3 bias, T4 kernel, T4 bias]. */
  readonly variables: tf.Variable[];
  private readonly wMean: tf.Tensor | null;

  constructor(latentDim: number, options: NonlinearWalkOptions = {}) {
    const where = 'NonlinearWalk';
    if (!Number.isInteger(latentDim) || latentDim < 1) throw new Error(`${where}: 'latentDim' must be a positive integer; got ${latentDim}`);
    this.latentDim = latentDim;
    this.space = options.space ?? 'z';
    this.psi = options.psi ?? 1;
    if (this.space === 'w') {
      if (!options.wMean || options.wMean.length !== latentDim) throw new Error(`${where}: space 'w' needs 'wMean' of length ${latentDim}`);
      this.wMean = tf.tensor1d(options.wMean);
    } else {
      this.wMean = null;
    }
    const rng = new Random(options.seed ?? 0);
    const std = (options.init ?? 'normal') === 'glorot' ? Math.sqrt(2 / (latentDim + latentDim)) : 0.05;
    this.variables = [];
    for (let t = 0; t < 4; t++) {
      const k = tf.tensor2d(rng.normalArray(latentDim * latentDim, 0, std), [latentDim, latentDim]);
      const b = tf.zeros([latentDim]);
      this.variables.push(tf.variable(k, true), tf.variable(b, true));
      tf.dispose([k, b]);
    }
  }

  /** Apply `steps` integer steps (negative: the reverse chain). Z: each step keeps ‖z‖. */
  apply(z: tf.Tensor2D, steps: number): tf.Tensor2D {
    if (!Number.isInteger(steps)) throw new Error(`NonlinearWalk.apply: 'steps' must be an integer; got ${steps}`);
    if (z.rank !== 2 || z.shape[1] !== this.latentDim) throw new Error(`NonlinearWalk.apply: 'z' must be [B, ${this.latentDim}]; got [${z.shape.join(', ')}]`);
    return tf.tidy(() => {
      const [k1, c1, k2, c2, k3, c3, k4, c4] = this.variables;
      const fwd = steps >= 0;
      const norm = this.space === 'z' ? { space: 'z' as const, targetNorm: tf.sqrt(tf.sum(tf.square(z), 1, true)) } : { space: 'w' as const, wMean: this.wMean!, psi: this.psi };
      let out: tf.Tensor2D = z;
      for (let i = 0; i < Math.abs(steps); i++) {
        out = fwd
          ? nonlinearWalkStep(out, k1 as tf.Tensor2D, c1 as tf.Tensor1D, k2 as tf.Tensor2D, c2 as tf.Tensor1D, norm)
          : nonlinearWalkStep(out, k3 as tf.Tensor2D, c3 as tf.Tensor1D, k4 as tf.Tensor2D, c4 as tf.Tensor1D, norm);
      }
      return steps === 0 ? tf.clone(z) : out;
    });
  }

  dispose(): void {
    tf.dispose(this.variables);
    this.wMean?.dispose();
  }
}

/** The reference's NNz defaults per transform: target t(α) and (eps, N_f). */
const NNZ_DEFAULTS: Record<WalkEditName, { eps: number; nSteps: number; lr: number }> = {
  color: { eps: 0.1, nSteps: 5, lr: 1e-3 },
  brightness: { eps: 0.1, nSteps: 5, lr: 1e-3 },
  zoom: { eps: 1.41, nSteps: 4, lr: 1e-4 },
  shiftx: { eps: 5, nSteps: 10, lr: 1e-4 },
  shifty: { eps: 5, nSteps: 10, lr: 1e-4 },
  rotate2d: { eps: 10, nSteps: 5, lr: 2e-4 },
};

export interface TrainNonlinearWalkOptions extends NonlinearWalkOptions {
  generator: Generator;
  latentDim: number;
  edit: WalkEditName;
  steps: number;
  /** Default 4. */
  batchSize?: number;
  /** Default: the transform's (Color 1e-3, Zoom/Shift 1e-4, Rotate 2e-4). */
  lr?: number;
  /** Step size in edit units (default per transform, see the module doc). */
  eps?: number;
  /** N_f: α ∈ [−N_f, N_f] (default per transform). */
  nSteps?: number;
  distribution?: 'normal' | 'uniform' | 'truncated';
  truncation?: number;
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
 * Train an NNz walk with masked L2 to `edit(G(z), t(α))`; only the walk's variables are trained.
 * Every batch steps the optimizer, α = 0 included (with a zero gradient, as the reference's
 * train_step does). Returns the walk (caller disposes) and the per-step losses (0 where α = 0).
 */
export function trainNonlinearWalk(options: TrainNonlinearWalkOptions): NonlinearWalkResult {
  return runReadingSync(nonlinearWalkSteps(options));
}

/**
 * {@link trainNonlinearWalk} with asynchronous loss reads (`await data()`): the same steps and the
 * same result, for webgpu in Node (where a synchronous read is impossible) and for pages that must
 * not stall.
 */
export function trainNonlinearWalkAsync(options: TrainNonlinearWalkOptions): Promise<NonlinearWalkResult> {
  return runReadingAsync(nonlinearWalkSteps(options));
}

export interface NonlinearWalkResult {
  /** The trained walk (the caller disposes it). */
  walk: NonlinearWalk;
  /** Loss per step (0 where α = 0). */
  losses: number[];
}

/** The training loop of both drivers; it yields wherever the pending losses must be read. */
function* nonlinearWalkSteps(options: TrainNonlinearWalkOptions): Iterator<DueRead, NonlinearWalkResult, void> {
  const where = 'trainNonlinearWalk';
  const { generator, latentDim, edit, steps, batchSize = 4, seed = 0 } = options;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`${where}: 'steps' must be a positive integer; got ${steps}`);
  const defaults = NNZ_DEFAULTS[edit];
  if (!defaults) throw new Error(`${where}: 'edit' must be one of ${Object.keys(NNZ_DEFAULTS).join(', ')}; got ${String(edit)}`);
  const eps = options.eps ?? defaults.eps;
  const nSteps = options.nSteps ?? defaults.nSteps;
  const transform = walkEdit(edit);
  const walk = new NonlinearWalk(latentDim, options);
  const rng = new Random(seed + 1);
  const optimizer = options.optimizer ?? tf.train.adam(options.lr ?? defaults.lr);
  const losses: number[] = [];
  // per-step losses stay on the device and are read in one stacked read every K steps (see util/deferred_reads.ts)
  const reader = new DeferredScalars(resolveReadEvery(where, 'readLossEvery', options.readLossEvery));
  const due = lossRecorder(reader, losses, options.onStep);
  let finished = false;
  try {
    for (let step = 0; step < steps; step++) {
      const z = sampleLatents(batchSize, latentDim, { distribution: options.distribution, truncation: options.truncation, seed: rng.seed() });
      const original = tf.tidy(() => callGenerator(generator, z));
      if (original.rank !== 4) {
        tf.dispose([z, original]);
        throw new Error(`${where}: the generator must return NHWC images; got shape [${original.shape.join(', ')}]`);
      }
      const alpha = rng.int(-nSteps, nSteps + 1);
      const C = original.shape[3] as number;
      let target: unknown;
      if (edit === 'zoom') target = eps ** alpha;
      else if (edit === 'color') {
        const rows: number[][] = [];
        for (let b = 0; b < batchSize; b++) rows.push(new Array<number>(C).fill(alpha * eps));
        target = rows;
      } else if (edit === 'brightness') target = new Array<number>(batchSize).fill(alpha * eps);
      else target = alpha * eps;
      const { target: tgt, mask } = transform.apply(original as tf.Tensor4D, target);
      let v: tf.Tensor | number = 0;
      if (alpha === 0) {
        // α = 0 is the identity: zero loss, zero gradient. The reference still runs its Adam
        // train_step on the batch (its graph indexes w[α], so the gradient is 0, not absent), which
        // decays Adam's moments and keeps moving the weights by their momentum: do the same.
        tf.tidy(() => optimizer.applyGradients(walk.variables.map((w) => ({ name: w.name, tensor: tf.zerosLike(w) }))));
      } else {
        v = optimizer.minimize(() => maskedL2Loss(callGenerator(generator, walk.apply(z, alpha)), tgt, mask), true, walk.variables)!;
      }
      tf.dispose([z, original, tgt, mask]);
      if (reader.push(step, v)) yield due;
    }
    if (reader.size > 0) yield due;
    finished = true;
    return { walk, losses };
  } finally {
    // a throw here, in a read or in onStep (the driver then returns the generator) frees the walk
    if (!finished) walk.dispose();
    reader.dispose();
    if (!options.optimizer) optimizer.dispose();
  }
}
