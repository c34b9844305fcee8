/**
 * Training and inference helpers shared by the emotion reproductions (001, 002, 003): batched
 * inference, a supervised classifier loop and a (conditional) GAN loop, all on gankit's
 * {@link Trainer} with explicit variable lists. They produce models, not reported numbers: the
 * numbers in the reports come from `gankit/metrics` and `gankit/latent`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ExponentialMovingAverage, Trainer, adam, ganUpdates, modelVariables, updateBatchNormStatistics, type GanPenaltyConfig, type StepResult } from '../../src/train/index.js';
import { mismatchedConditionLoss, randomLabelShifts, shiftedOneHot, type AdversarialLossName } from '../../src/losses/index.js';
import { Random } from '../../src/index.js';

/** Batches of 64 latents over which an EMA generator's BatchNorm statistics are re-estimated (the cumulative average of `updateBatchNormStatistics`). */
export const BATCH_NORM_UPDATE_BATCHES = 50;

/** A model, or a function of the model's inputs, applied in inference mode. */
export type Apply = tfl.LayersModel | ((...inputs: tf.Tensor[]) => tf.Tensor);

function callModel(model: Apply, inputs: tf.Tensor[], training = false): tf.Tensor {
  if (typeof model === 'function') return model(...inputs);
  return model.apply(inputs.length === 1 ? inputs[0] : inputs, { training }) as tf.Tensor;
}

/**
 * `model(inputs)` in inference mode, `batchSize` rows at a time (inputs share their first axis).
 * Returns one tensor `[N, ...]`; the caller disposes it.
 */
export function predictBatched(model: Apply, inputs: tf.Tensor | tf.Tensor[], batchSize = 256): tf.Tensor {
  const xs = Array.isArray(inputs) ? inputs : [inputs];
  const n = xs[0].shape[0];
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    parts.push(
      tf.tidy(() =>
        callModel(
          model,
          xs.map((x) => tf.slice(x, [start], [size])),
        ),
      ),
    );
  }
  if (parts.length === 1) return parts[0];
  const out = tf.concat(parts, 0);
  tf.dispose(parts);
  return out;
}

/** Run `trainer` for `iterations` steps, keeping every step's result (and passing it to `onStep`); wall seconds per iteration. */
export function runRecorded(trainer: Trainer, iterations: number, onStep?: (r: StepResult) => void): { history: StepResult[]; secondsPerIteration: number } {
  const history: StepResult[] = [];
  const start = Date.now();
  trainer.run(iterations, (r) => {
    history.push(r);
    onStep?.(r);
  });
  return { history, secondsPerIteration: (Date.now() - start) / 1000 / iterations };
}

/** Nearest-neighbour enlargement of images by an integer `factor` (for figures). */
export function upscale(x: tf.Tensor4D, factor: number): tf.Tensor4D {
  return tf.tidy(() => tf.image.resizeNearestNeighbor(x, [x.shape[1] * factor, x.shape[2] * factor]));
}

/** Rows of `x` at `indices` (a new tensor). */
export function takeRows(x: tf.Tensor, indices: ArrayLike<number>): tf.Tensor {
  return tf.tidy(() => tf.gather(x, tf.tensor1d(Array.from(indices), 'int32')));
}

/** One-hot rows [n, k] for integer labels. */
export function oneHot(labels: ArrayLike<number>, k: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), k), 'float32') as tf.Tensor2D);
}

export interface ClassifierTrainOptions {
  steps: number;
  batchSize: number;
  learningRate?: number;
  seed?: number;
  /** Called every `logEvery` steps with the step and the loss. */
  onLog?: (step: number, loss: number) => void;
  logEvery?: number;
}

/**
 * Adam on `loss(model(x), t)` over random minibatches (with replacement, drawn from the trainer's
 * seeded rng) of rows of `inputs` and `targets`; explicit variable list. Returns the loss per step.
 */
function trainSupervised(
  name: string,
  model: tfl.LayersModel,
  inputs: tf.Tensor,
  targets: tf.Tensor,
  options: ClassifierTrainOptions,
  loss: (prediction: tf.Tensor, target: tf.Tensor) => tf.Scalar,
  onLog?: (step: number, loss: number) => void,
): number[] {
  const n = inputs.shape[0];
  const { batchSize, steps, seed = 0, logEvery = 100 } = options;
  const optimizer = adam({ learningRate: options.learningRate ?? 1e-3 });
  const trainer = new Trainer({
    seed,
    updates: [
      {
        name,
        variables: modelVariables(model),
        optimizer,
        loss: (ctx) => {
          const [x, t] = ctx.batch as tf.Tensor[];
          return loss(model.apply(x, { training: true }) as tf.Tensor, t);
        },
      },
    ],
    data: ({ rng }) => {
      const idx = Int32Array.from({ length: batchSize }, () => rng.int(0, n));
      return [takeRows(inputs, idx), takeRows(targets, idx)];
    },
  });
  const losses: number[] = [];
  try {
    trainer.run(steps, (r) => {
      losses.push(r.metrics[name]);
      if (onLog && (r.step % logEvery === 0 || r.step === steps - 1)) onLog(r.step, r.metrics[name]);
    });
  } finally {
    optimizer.dispose();
  }
  return losses;
}

/**
 * Train a classifier whose output is class probabilities `[B, k]` with the categorical cross
 * entropy −mean Σ_k y_k log p_k (Adam, explicit variable list). Returns the loss per step.
 */
export function trainClassifier(model: tfl.LayersModel, images: tf.Tensor, labels: ArrayLike<number>, numClasses: number, options: ClassifierTrainOptions): number[] {
  const y = oneHot(labels, numClasses);
  try {
    return trainSupervised('clf', model, images, y, options, (p, t) => tf.neg(tf.mean(tf.sum(tf.mul(t, tf.log(tf.clipByValue(p, 1e-7, 1))), -1))) as tf.Scalar, options.onLog);
  } finally {
    y.dispose();
  }
}

/**
 * Train a regressor `[B, ...] → [B, k]` on targets `[N, k]` with the mean squared error (Adam,
 * explicit variable list). Returns the loss per step. (`onLog` is not called.)
 */
export function trainRegressor(model: tfl.LayersModel, images: tf.Tensor, targets: tf.Tensor2D, options: ClassifierTrainOptions): number[] {
  return trainSupervised('reg', model, images, targets, options, (p, t) => tf.mean(tf.square(tf.sub(p, t))) as tf.Scalar);
}

export interface GanTrainOptions {
  steps: number;
  batchSize: number;
  latentDim: number;
  loss: AdversarialLossName;
  learningRate?: number;
  /** D's learning rate when it differs from G's (the two time-scale rule, Heusel et al. 2017); default learningRate. */
  discriminatorLearningRate?: number;
  beta1?: number;
  seed?: number;
  /** Conditional GAN: one-hot labels `[N, k]` of the real images; G and D then take `[input, label]`. */
  labels?: tf.Tensor2D;
  /** G updates per step (DCGAN-tensorflow runs G twice per iteration). Default 1. */
  generatorRepeats?: number;
  /**
   * Conditional GAN: also score real images under a wrong label as fake, with this weight
   * (GAN-CLS, Reed et al. 2016; `mismatchedConditionLoss`). Default 0 (off).
   */
  mismatchedLabelWeight?: number;
  /** Keep an exponential moving average of G's weights with this half-life (steps) and load it into G at the end (PGGAN's Gs), then re-estimate G's BatchNorm statistics for the averaged weights. */
  emaHalfLife?: number;
  /** A gradient penalty on D (R1 on real faces, WGAN-GP), passed to `ganUpdates`. Default none. */
  gradientPenalty?: GanPenaltyConfig;
  onLog?: (step: number, metrics: Record<string, number>) => void;
  logEvery?: number;
}

/**
 * Train a (conditional) GAN with gankit's `ganUpdates` (one D update then one G update per step,
 * Adam 2e-4 / β1 0.5 as DCGAN). Fakes of a conditional GAN use the labels of the real batch.
 * Returns the D and G losses per step.
 */
export function trainGan(G: tfl.LayersModel, D: tfl.LayersModel, images: tf.Tensor, options: GanTrainOptions): { d: number[]; g: number[] } {
  const { batchSize, steps, latentDim, labels, seed = 0, logEvery = 100 } = options;
  const n = images.shape[0];
  const lr = options.learningRate ?? 2e-4;
  const beta1 = options.beta1 ?? 0.5;
  const label = (ctx: { batch: unknown }): tf.Tensor | undefined => (labels ? (ctx.batch as { y: tf.Tensor }).y : undefined);
  const optimizers = [adam({ learningRate: lr, beta1 }), adam({ learningRate: options.discriminatorLearningRate ?? lr, beta1 })];
  const ema = options.emaHalfLife ? new ExponentialMovingAverage(modelVariables(G), { halfLife: options.emaHalfLife }) : undefined;
  const trainer = new Trainer({
    seed,
    ema,
    updates: ganUpdates({
      generator: (z, ctx) => {
        const y = label(ctx);
        return G.apply(y ? [z, y] : z, { training: true }) as tf.Tensor;
      },
      discriminator: (x, ctx) => {
        const y = label(ctx);
        return D.apply(y ? [x, y] : x, { training: true }) as tf.Tensor;
      },
      generatorVariables: modelVariables(G),
      discriminatorVariables: modelVariables(D),
      generatorOptimizer: optimizers[0],
      discriminatorOptimizer: optimizers[1],
      latentDim,
      loss: options.loss,
      gradientPenalty: options.gradientPenalty,
      generatorRepeats: options.generatorRepeats ?? 1,
      discriminatorExtra:
        labels && options.mismatchedLabelWeight
          ? (ctx, { real }) => {
              const y = label(ctx) as tf.Tensor2D;
              const wrong = shiftedOneHot(y, randomLabelShifts(y.shape[0], y.shape[1], ctx.rng));
              return { mismatch: mismatchedConditionLoss(D.apply([real, wrong], { training: true }) as tf.Tensor, { weight: options.mismatchedLabelWeight }) };
            }
          : undefined,
    }),
    data: ({ rng }) => {
      const idx = Int32Array.from({ length: batchSize }, () => rng.int(0, n));
      return labels ? { x: takeRows(images, idx), y: takeRows(labels, idx) } : { x: takeRows(images, idx) };
    },
  });
  const d: number[] = [];
  const g: number[] = [];
  try {
    trainer.run(steps, (r) => {
      d.push(r.metrics.D);
      g.push(r.metrics.G);
      if (options.onLog && (r.step % logEvery === 0 || r.step === steps - 1)) options.onLog(r.step, r.metrics);
    });
    if (ema) {
      const e = ema;
      e.variables.forEach((v, i) => v.assign(e.averages[i]));
      // the BatchNorm statistics belong to the raw weights: re-estimate them for the averaged ones
      const rng = new Random(seed + 1);
      updateBatchNormStatistics(
        G,
        () => {
          const z = tf.randomNormal([64, latentDim], 0, 1, 'float32', rng.int(0, 2 ** 31 - 1));
          return labels
            ? [
                z,
                takeRows(
                  labels,
                  Int32Array.from({ length: 64 }, () => rng.int(0, n)),
                ),
              ]
            : z;
        },
        { batches: BATCH_NORM_UPDATE_BATCHES },
      );
    }
  } finally {
    ema?.dispose();
    for (const o of optimizers) o.dispose();
  }
  return { d, g };
}

/** A seeded random subset of `count` indices out of `n` (without replacement). */
export function sampleIndices(n: number, count: number, seed: number): Int32Array {
  return new Random(seed).permutation(n).slice(0, Math.min(n, count));
}

/** Moving average of a series (window w, shorter at the start), for loss plots. */
export function smooth(values: number[], w = 20): number[] {
  const out: number[] = [];
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    s += values[i];
    if (i >= w) s -= values[i - w];
    out.push(s / Math.min(i + 1, w));
  }
  return out;
}
