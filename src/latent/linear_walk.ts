/**
 * GAN steerability: learned linear latent walks.
 *
 * Reference: ali-design/gan_steerability `graphs/*\/transform_base.py` (linear walk
 * `z' = z + Σ_i α[:, i]·w[:, :, i]`, `w ~ N(0, 0.1)` of shape [1, dim, Nsliders], only w trained,
 * Adam), `utils/transforms.py` (targets and α samplers, see ./edits.ts), `train.py` (one pass over
 * `num_samples` latents in batches of 4). Document 000 ("Steering HoloGAN") uses the same walk with a
 * learned objective (identity embedding + AU regressor) instead of an image edit: pass it as
 * `objective(imagesOriginal, imagesEdited, alpha) → scalar`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DeferredScalars, lossRecorder, resolveReadEvery, runReadingAsync, runReadingSync, type DueRead } from '../util/deferred_reads.js';
import { Random } from '../util/random.js';
import { kindOf, type MatrixLike, readMatrix, writeMatrix } from '../linalg/index.js';
import { type WalkEdit, walkEdit, type WalkEditName } from './edits.js';
import { maskedL2Loss } from '../losses/reconstruction.js';
import { sampleLatents } from './sampling.js';

/** z → images: a function, or anything with tfjs-layers' `apply` (a LayersModel). */
export type Generator = ((z: tf.Tensor2D) => tf.Tensor) | { apply(inputs: tf.Tensor, kwargs?: Record<string, unknown>): unknown };

/** Run a {@link Generator} on z (LayersModel: `apply(z, {training: false})`). */
export function callGenerator(generator: Generator, z: tf.Tensor2D): tf.Tensor {
  const out = typeof generator === 'function' ? generator(z) : generator.apply(z, { training: false });
  const t = Array.isArray(out) ? out[0] : out;
  if (!(t instanceof tf.Tensor)) throw new Error('callGenerator: the generator must return a Tensor');
  return t;
}

export type WalkObjective = (imagesOriginal: tf.Tensor, imagesEdited: tf.Tensor, alpha: tf.Tensor2D) => tf.Scalar;

export interface TrainLinearWalkOptions {
  generator: Generator;
  latentDim: number;
  /** An image edit (name or {@link WalkEdit}): loss = masked L2 to `edit(G(z), α)`. */
  edit?: WalkEditName | WalkEdit;
  /** Or a pluggable objective on (G(z), G(z + αw), α) → scalar to minimise. */
  objective?: WalkObjective;
  /** Sliders for `objective` mode (default 1). Edit mode takes it from the edit (3 for color). */
  nSliders?: number;
  /** α sampler for `objective` mode → [batchSize][nSliders]; default U(−1, 1) per image and slider. */
  sampleAlpha?: (batchSize: number, rng: Random) => number[][];
  steps: number;
  /** Default 4 (`constants.BATCH_SIZE`). */
  batchSize?: number;
  /**
   * Adam learning rate. Default: the reference's per-edit rate ({@link LINEAR_WALK_LEARNING_RATES},
   * looked up by the edit's name), else 1e-3 (objective mode and unknown edits).
   */
  lr?: number;
  seed?: number;
  /** Latent prior (default 'normal'; BigGAN uses 'truncated'). */
  distribution?: 'normal' | 'uniform' | 'truncated';
  truncation?: number;
  /** Std of w's N(0, σ) initialisation (default 0.1). */
  initStd?: number;
  /** Optimizer (default `tf.train.adam(lr)`); disposed only if created here. */
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
 * Adam learning rates of the reference's linear walks, per edit: gan_steerability
 * `config/biggan_<edit>_linear.yml` `learning_rate` — color 1e-4, zoom 1e-4, shiftx / shifty /
 * rotate2d 1e-3 (the StyleGAN configs use 1e-3 for shift and rotate too). 'brightness' is gankit's
 * one-slider colour edit and takes colour's rate.
 */
export const LINEAR_WALK_LEARNING_RATES: Readonly<Record<WalkEditName, number>> = Object.freeze({
  color: 1e-4,
  brightness: 1e-4,
  zoom: 1e-4,
  shiftx: 1e-3,
  shifty: 1e-3,
  rotate2d: 1e-3,
});

export interface LinearWalkResult {
  /** Walk directions [latentDim, nSliders] (one column per slider). */
  w: tf.Tensor2D;
  /** Loss per step. */
  losses: number[];
}

/**
 * Learn `w` [latentDim, nSliders] so that `G(z + α·wᵀ)` matches the edited `G(z)` (masked L2) or
 * minimises `objective`. Only `w` is trained (explicit variable list); G is never modified.
 */
export function trainLinearWalk(options: TrainLinearWalkOptions): LinearWalkResult {
  return runReadingSync(linearWalkSteps(options));
}

/**
 * {@link trainLinearWalk} with asynchronous loss reads (`await data()`): the same steps and the
 * same result, for webgpu in Node (where a synchronous read is impossible) and for pages that must
 * not stall.
 */
export function trainLinearWalkAsync(options: TrainLinearWalkOptions): Promise<LinearWalkResult> {
  return runReadingAsync(linearWalkSteps(options));
}

/** The training loop of both drivers; it yields wherever the pending losses must be read. */
function* linearWalkSteps(options: TrainLinearWalkOptions): Iterator<DueRead, LinearWalkResult, void> {
  const where = 'trainLinearWalk';
  const { generator, latentDim, steps, batchSize = 4, seed = 0, initStd = 0.1 } = options;
  if (!generator) throw new Error(`${where}: 'generator' is required`);
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new Error(`${where}: 'latentDim' must be a positive integer; got ${latentDim}`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`${where}: 'steps' must be a positive integer; got ${steps}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${where}: 'batchSize' must be a positive integer; got ${batchSize}`);
  if ((options.edit === undefined) === (options.objective === undefined)) throw new Error(`${where}: give exactly one of 'edit' or 'objective'`);
  const edit = typeof options.edit === 'string' ? walkEdit(options.edit) : options.edit;
  const nSliders = edit ? edit.nSliders : (options.nSliders ?? 1);
  if (!Number.isInteger(nSliders) || nSliders < 1) throw new Error(`${where}: 'nSliders' must be a positive integer; got ${nSliders}`);
  const rng = new Random(seed);
  const w0 = tf.tensor2d(rng.normalArray(latentDim * nSliders, 0, initStd), [latentDim, nSliders]);
  const w = tf.variable(w0, true);
  w0.dispose();
  const lr = options.lr ?? (edit && edit.name in LINEAR_WALK_LEARNING_RATES ? LINEAR_WALK_LEARNING_RATES[edit.name as WalkEditName] : 1e-3);
  const optimizer = options.optimizer ?? tf.train.adam(lr);
  const losses: number[] = [];
  // per-step losses stay on the device and are read in one stacked read every K steps (see util/deferred_reads.ts)
  const reader = new DeferredScalars(resolveReadEvery(where, 'readLossEvery', options.readLossEvery));
  const due = lossRecorder(reader, losses, options.onStep);
  try {
    for (let step = 0; step < steps; step++) {
      const z = sampleLatents(batchSize, latentDim, { distribution: options.distribution, truncation: options.truncation, seed: rng.seed() });
      const original = tf.tidy(() => callGenerator(generator, z));
      if (original.rank < 1 || original.shape[0] !== batchSize) {
        z.dispose();
        original.dispose();
        throw new Error(`${where}: the generator must return a batch of ${batchSize}; got shape [${original.shape.join(', ')}]`);
      }
      let alphaGraph: number[][];
      let target: tf.Tensor | null = null;
      let mask: tf.Tensor | null = null;
      if (edit) {
        if (original.rank !== 4) throw new Error(`${where}: edits need NHWC images from the generator; got shape [${original.shape.join(', ')}]`);
        const a = edit.sample(batchSize, rng, original.shape.slice(1) as [number, number, number]);
        alphaGraph = a.graph;
        const r = edit.apply(original as tf.Tensor4D, a.target);
        target = r.target;
        mask = r.mask;
      } else {
        alphaGraph = options.sampleAlpha ? options.sampleAlpha(batchSize, rng) : Array.from({ length: batchSize }, () => Array.from({ length: nSliders }, () => rng.uniform(-1, 1)));
      }
      if (alphaGraph.length !== batchSize || alphaGraph.some((r) => r.length !== nSliders)) {
        throw new Error(`${where}: α must be [${batchSize}, ${nSliders}]; the sampler returned ${alphaGraph.length} rows`);
      }
      const alpha = tf.tensor2d(alphaGraph, [batchSize, nSliders]);
      const lossT = optimizer.minimize(
        () => {
          const zEdited = tf.add(z, tf.matMul(alpha, w, false, true)) as tf.Tensor2D;
          const edited = callGenerator(generator, zEdited);
          if (edit) return maskedL2Loss(edited, target!, mask!);
          const l = options.objective!(original, edited, alpha);
          if (!(l instanceof tf.Tensor) || l.size !== 1) throw new Error(`${where}: 'objective' must return a scalar tensor`);
          return tf.reshape(l, []) as tf.Scalar;
        },
        true,
        [w],
      );
      tf.dispose([z, original, target, mask, alpha].filter((t): t is tf.Tensor => t != null));
      if (reader.push(step, lossT)) yield due;
    }
    if (reader.size > 0) yield due;
    return { w: tf.clone(w) as tf.Tensor2D, losses };
  } finally {
    reader.dispose();
    w.dispose();
    if (!options.optimizer) optimizer.dispose();
  }
}

/**
 * `z + α·wᵀ` for z [B, D] and w [D, S]. `alphas`: one number (every row and slider), [S] (every
 * row), or [B][S] / Tensor [B, S]. Same kind as `z`.
 */
export function applyLinearWalk<T extends MatrixLike>(z: T, w: MatrixLike, alphas: number | number[] | number[][] | tf.Tensor): T extends tf.Tensor ? tf.Tensor2D : number[][] {
  const where = 'applyLinearWalk';
  const zm = readMatrix(where, 'z', z);
  const wm = readMatrix(where, 'w', w);
  if (wm.rows !== zm.cols) throw new Error(`${where}: 'w' must be [D = ${zm.cols}, nSliders]; got [${wm.rows}, ${wm.cols}]`);
  const B = zm.rows;
  const S = wm.cols;
  const a = new Float64Array(B * S);
  if (typeof alphas === 'number') a.fill(alphas);
  else if (alphas instanceof tf.Tensor) {
    if (!(alphas.rank === 2 && alphas.shape[0] === B && alphas.shape[1] === S)) throw new Error(`${where}: 'alphas' must be [${B}, ${S}]; got [${alphas.shape.join(', ')}]`);
    a.set(alphas.dataSync());
  } else if (Array.isArray(alphas) && Array.isArray(alphas[0])) {
    const aa = alphas as number[][];
    if (aa.length !== B || aa.some((r) => r.length !== S)) throw new Error(`${where}: 'alphas' must be [${B}][${S}]`);
    aa.forEach((r, b) => a.set(r, b * S));
  } else {
    const aa = alphas as number[];
    if (aa.length !== S) throw new Error(`${where}: 'alphas' as a vector must have one entry per slider (${S}); got ${aa.length}`);
    for (let b = 0; b < B; b++) a.set(aa, b * S);
  }
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new Error(`${where}: 'alphas' must be finite; entry ${i} is ${a[i]}`);
  const D = zm.cols;
  const out = new Float64Array(B * D);
  for (let b = 0; b < B; b++) {
    for (let d = 0; d < D; d++) {
      let s = zm.data[b * D + d];
      for (let k = 0; k < S; k++) s += a[b * S + k] * wm.data[d * S + k];
      out[b * D + d] = s;
    }
  }
  return writeMatrix({ data: out, rows: B, cols: D }, kindOf(z)) as never;
}
