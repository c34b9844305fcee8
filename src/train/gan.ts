/**
 * The generic GAN step as {@link UpdateSpec}s for a {@link Trainer}: D (n_critic repeats, gradient
 * penalty and drift inside its loss, or the penalty as a separate update as GANimation does),
 * then G (every k-th step, r repeats). Works with any functions over explicit variable lists, so
 * conditional GANs read their labels from `ctx.batch`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { adversarialLoss, driftPenalty, type AdversarialLoss, type AdversarialLossName } from '../losses/adversarial.js';
import { gradientPenalty, r1Penalty } from '../losses/gradient_penalty.js';
import type { Schedule } from './schedules.js';
import type { Batch, TrainContext, UpdateSpec } from './trainer.js';
import { addAll } from '../util/add_all.js';

export interface GanPenaltyConfig {
  /** 'wgan-gp' (interpolates, one u per sample) or 'r1' (real data). */
  type: 'wgan-gp' | 'r1';
  /** λ for WGAN-GP (default 10) or γ for R1 (default 10). */
  weight?: number;
  /** R1 only: `'gan-stability'` (γ · mean‖∇D‖², the default) or `'paper'` (γ/2, eq. 9 and StyleGAN2); see `r1Penalty`. */
  r1Convention?: 'gan-stability' | 'paper';
  /**
   * Take the penalty as its own optimizer step after the D step, with the same fakes and D's
   * optimizer (GANimation `optimize_parameters`). Default false: added to the D loss (WGAN-GP, PGGAN).
   */
  separateStep?: boolean;
  /**
   * With `separateStep`: run the penalty step only every N steps, its weight multiplied by N
   * (lazy regularisation, StyleGAN2 `D_reg_interval` 16). Default 1.
   */
  every?: number;
  /** With `separateStep`: zero gradients for critic variables the penalty does not reach (PyTorch < 2, as GANimation). Default false. */
  zeroMissingGradients?: boolean;
}

export interface GanUpdatesConfig {
  /** G: latents (and ctx, e.g. labels in `ctx.batch`) → samples. */
  generator: (z: tf.Tensor, ctx: TrainContext) => tf.Tensor;
  /** D: samples (and ctx) → logits `[B, ...]`. */
  discriminator: (x: tf.Tensor, ctx: TrainContext) => tf.Tensor;
  generatorVariables: tf.Variable[];
  discriminatorVariables: tf.Variable[];
  generatorOptimizer: tf.Optimizer;
  discriminatorOptimizer: tf.Optimizer;
  /**
   * Draw z once per step and share it between the D and G updates (and G's repeats), as HoloGAN
   * and carpedm20-style DCGAN code feed the same `batch_z` to every optimizer run of an
   * iteration. Default false: each update (and repeat) draws its own z.
   */
  latentPerStep?: boolean;
  /** Latent sampler; default N(0, I) of `[B, latentDim]` from the trainer's RNG. */
  latent?: (ctx: TrainContext, batchSize: number) => tf.Tensor;
  /** Used by the default latent sampler. */
  latentDim?: number;
  /** Real samples from the batch. Default: the batch itself, `batch[0]`, or `batch.x` / `.xs` (gankit/data batches) / `.real` / `.images`. */
  real?: (batch: Batch | undefined) => tf.Tensor;
  /** Adversarial family. Default 'nonSaturating'. */
  loss?: AdversarialLossName | AdversarialLoss;
  gradientPenalty?: GanPenaltyConfig;
  /** PGGAN drift ε (adds ε·mean D(x)² to the D loss). Default 0 (off); PGGAN uses 0.001. */
  drift?: number;
  /** D steps per step (n_critic). Default 1. */
  nCritic?: number;
  /** Draw new real data for each critic repeat. Default false. */
  freshBatchPerCritic?: boolean;
  /** Train G on steps where (step + 1) % generatorEvery === 0 (GANimation: 5). Default 1. */
  generatorEvery?: number;
  /** G steps each time it trains (HoloGAN: 2). Default 1. */
  generatorRepeats?: number;
  generatorSchedule?: Schedule;
  discriminatorSchedule?: Schedule;
  /** Extra D-loss terms (e.g. HoloGAN latent identity `q_loss`, style losses); weighted already. */
  discriminatorExtra?: (ctx: TrainContext, parts: { real: tf.Tensor; fake: tf.Tensor; z: tf.Tensor }) => Record<string, tf.Scalar>;
  /** Extra G-loss terms (e.g. HoloGAN latent identity, reconstruction). */
  generatorExtra?: (ctx: TrainContext, parts: { fake: tf.Tensor; z: tf.Tensor }) => Record<string, tf.Scalar>;
  /** Names of the updates. Default 'D', 'D_gp', 'G'. */
  names?: { discriminator?: string; penalty?: string; generator?: string };
}

function defaultReal(batch: Batch | undefined): tf.Tensor {
  if (batch instanceof tf.Tensor) return batch;
  if (Array.isArray(batch) && batch[0] instanceof tf.Tensor) return batch[0];
  if (batch != null && !Array.isArray(batch)) {
    for (const key of ['x', 'xs', 'real', 'images']) {
      const value = (batch as Record<string, unknown>)[key];
      if (value instanceof tf.Tensor) return value;
    }
  }
  throw new Error(`ganUpdates: cannot find the real samples in the batch; pass 'real: (batch) => tensor'`);
}

/** Build the D (and D_gp) and G updates of a GAN. */
export function ganUpdates(config: GanUpdatesConfig): UpdateSpec[] {
  const loss = adversarialLoss(config.loss ?? 'nonSaturating');
  const getReal = config.real ?? defaultReal;
  const names = { discriminator: 'D', penalty: 'D_gp', generator: 'G', ...config.names };
  const penalty = config.gradientPenalty;
  // checked here, not first at the Trainer, so the error names the option the caller wrote
  for (const [name, value] of [
    ['nCritic', config.nCritic],
    ['generatorEvery', config.generatorEvery],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) throw new Error(`ganUpdates: '${name}' must be a positive integer; got ${value}`);
  }
  if (penalty && penalty.type !== 'wgan-gp' && penalty.type !== 'r1') {
    throw new Error(`ganUpdates: 'gradientPenalty.type' must be 'wgan-gp' or 'r1'; got '${String(penalty.type)}'`);
  }
  const latent =
    config.latent ??
    ((ctx: TrainContext, b: number) => {
      if (!(Number.isInteger(config.latentDim) && config.latentDim! > 0)) {
        throw new Error(`ganUpdates: give 'latentDim' (a positive integer) or a 'latent' sampler; got latentDim ${config.latentDim}`);
      }
      return ctx.normal([b, config.latentDim!]);
    });
  const sampleZ = (ctx: TrainContext, b: number): tf.Tensor => {
    if (!config.latentPerStep) return latent(ctx, b);
    return ctx.stashed('z') ?? ctx.stash('z', latent(ctx, b));
  };
  const D = config.discriminator;
  const G = config.generator;
  const interval = penalty?.every ?? 1;
  if (!(Number.isInteger(interval) && interval > 0)) throw new Error(`ganUpdates: 'gradientPenalty.every' must be a positive integer; got ${interval}`);
  if (interval > 1 && !penalty?.separateStep) throw new Error(`ganUpdates: 'gradientPenalty.every' needs 'separateStep: true'`);
  const penaltyTerm = (ctx: TrainContext, real: tf.Tensor, fake: tf.Tensor, gain = 1): tf.Scalar =>
    penalty!.type === 'wgan-gp'
      ? gradientPenalty((x) => D(x, ctx), real, fake, { weight: gain * (penalty!.weight ?? 10), seed: ctx.rng })
      : r1Penalty((x) => D(x, ctx), real, { gamma: gain * (penalty!.weight ?? 10), convention: penalty!.r1Convention });

  const updates: UpdateSpec[] = [
    {
      name: names.discriminator,
      variables: config.discriminatorVariables,
      optimizer: config.discriminatorOptimizer,
      repeats: config.nCritic ?? 1,
      freshBatch: config.freshBatchPerCritic ?? false,
      schedule: config.discriminatorSchedule,
      loss: (ctx) => {
        const real = getReal(ctx.batch);
        const z = sampleZ(ctx, real.shape[0]);
        const fake = G(z, ctx);
        if (penalty?.separateStep) ctx.stash('fake', fake);
        const realLogits = D(real, ctx);
        const terms: Record<string, tf.Scalar> = { adv: loss.discriminatorLoss(realLogits, D(fake, ctx)) };
        if (config.drift) terms.drift = driftPenalty(realLogits, { epsilon: config.drift });
        if (penalty && !penalty.separateStep) terms.gp = penaltyTerm(ctx, real, fake);
        if (config.discriminatorExtra) Object.assign(terms, config.discriminatorExtra(ctx, { real, fake, z }));
        return { total: addAll(Object.values(terms)) as tf.Scalar, terms };
      },
    },
  ];
  if (penalty?.separateStep) {
    updates.push({
      name: names.penalty,
      variables: config.discriminatorVariables,
      optimizer: config.discriminatorOptimizer,
      schedule: config.discriminatorSchedule,
      every: interval,
      zeroMissingGradients: penalty.zeroMissingGradients ?? false,
      loss: (ctx) => {
        const fake = ctx.stashed('fake');
        if (fake == null) throw new Error(`ganUpdates: the separate penalty step found no fakes from the D step`);
        return penaltyTerm(ctx, getReal(ctx.batch), fake, interval);
      },
    });
  }
  updates.push({
    name: names.generator,
    variables: config.generatorVariables,
    optimizer: config.generatorOptimizer,
    every: config.generatorEvery ?? 1,
    repeats: config.generatorRepeats ?? 1,
    schedule: config.generatorSchedule,
    loss: (ctx) => {
      const b = getReal(ctx.batch).shape[0];
      const z = sampleZ(ctx, b);
      const fake = G(z, ctx);
      const terms: Record<string, tf.Scalar> = { adv: loss.generatorLoss(D(fake, ctx)) };
      if (config.generatorExtra) Object.assign(terms, config.generatorExtra(ctx, { fake, z }));
      return { total: addAll(Object.values(terms)) as tf.Scalar, terms };
    },
  });
  return updates;
}
