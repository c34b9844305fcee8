/**
 * GANimation's training iteration as {@link UpdateSpec}s (albertpumarola/GANimation@40da9ae
 * models/ganimation.py `optimize_parameters`, train.py): a critic step on
 * `ganimationDiscriminatorLoss`, a **separate** critic step on the gradient penalty with the same
 * composed fakes, and a generator step on `ganimationGeneratorLoss` every 5th iteration; reference
 * weights λ_D_prob 1, λ_D_cond 4000, λ_cyc 10, λ_mask 0.1, λ_mask_smooth 1e-5, λ_D_gp 10.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  GANIMATION_WEIGHTS,
  ganimationComposite,
  ganimationDiscriminatorLoss,
  ganimationGeneratorLoss,
  type GanimationCompositeOptions,
  type GanimationCriticFn,
  type GanimationGeneratorFn,
  type GanimationWeights,
} from '../losses/ganimation.js';
import { gradientPenalty } from '../losses/gradient_penalty.js';
import type { Schedule } from './schedules.js';
import type { Batch, TrainContext, UpdateSpec } from './trainer.js';

export interface GanimationInputs {
  /** Input images `[B,H,W,3]` in [−1, 1]. */
  images: tf.Tensor;
  /** Their AUs `[B,c]` (OpenFace intensities / 5 in the reference). */
  realCond: tf.Tensor;
  /** Target AUs `[B,c]`; when absent, drawn by `desiredCond`. */
  desiredCond?: tf.Tensor;
}

export interface GanimationUpdatesConfig extends GanimationCompositeOptions {
  generator: GanimationGeneratorFn;
  critic: GanimationCriticFn;
  generatorVariables: tf.Variable[];
  criticVariables: tf.Variable[];
  /** Reference: Adam(lr 1e-4, β = (0.5, 0.999)). */
  generatorOptimizer: tf.Optimizer;
  criticOptimizer: tf.Optimizer;
  /** Read the step's inputs from the batch. Default: `batch.images`, `batch.realCond` (or `batch.cond`), `batch.desiredCond` (or `batch.desired`). */
  inputs?: (batch: Batch | undefined) => GanimationInputs;
  /**
   * Target AUs when the batch has none. Default: the batch's own AUs in a random order (from the
   * trainer's RNG) + U(−0.1, 0.1) noise — the reference takes a random *training sample's* AUs +
   * the same noise (`_generate_random_cond`); pass a sampler over the whole set to match it exactly.
   */
  desiredCond?: (ctx: TrainContext, realCond: tf.Tensor) => tf.Tensor;
  weights?: Partial<GanimationWeights>;
  /** G trains on steps where (step + 1) % generatorEvery === 0. Default 5 (`train_G_every_n_iterations`). */
  generatorEvery?: number;
  /** Reference: `linearDecaySchedule({ constantEpochs: 20, decayEpochs: 10 })` for both. */
  generatorSchedule?: Schedule;
  criticSchedule?: Schedule;
}

function defaultInputs(batch: Batch | undefined): GanimationInputs {
  const b = (batch ?? {}) as Record<string, unknown>;
  const images = b.images;
  const realCond = b.realCond ?? b.cond;
  const desiredCond = b.desiredCond ?? b.desired;
  if (!(images instanceof tf.Tensor) || !(realCond instanceof tf.Tensor)) {
    throw new Error(`ganimationUpdates: the batch must hold 'images' and 'realCond' (or 'cond') tensors, or pass 'inputs: (batch) => ({ images, realCond, desiredCond })'`);
  }
  return { images, realCond, desiredCond: desiredCond instanceof tf.Tensor ? desiredCond : undefined };
}

/** Build the GANimation updates `D`, `D_gp`, `G` for a {@link Trainer}. */
export function ganimationUpdates(config: GanimationUpdatesConfig): UpdateSpec[] {
  const { generator, critic, weights, composition, saturateMask } = config;
  const getInputs = config.inputs ?? defaultInputs;
  const w = { ...GANIMATION_WEIGHTS, ...weights };
  const composite = { composition, saturateMask };
  const desired = (ctx: TrainContext, inputs: GanimationInputs): tf.Tensor => {
    if (inputs.desiredCond != null) return inputs.desiredCond;
    const cached = ctx.stashed('desiredCond');
    if (cached != null) return cached;
    const made = config.desiredCond
      ? config.desiredCond(ctx, inputs.realCond)
      : tf.tidy(() => {
          const [b, c] = inputs.realCond.shape;
          const perm = tf.tensor1d(ctx.rng.permutation(b), 'int32');
          return tf.add(tf.gather(inputs.realCond, perm), ctx.uniform([b, c], -0.1, 0.1));
        });
    return ctx.stash('desiredCond', made);
  };
  return [
    {
      name: 'D',
      variables: config.criticVariables,
      optimizer: config.criticOptimizer,
      schedule: config.criticSchedule,
      loss: (ctx) => {
        const inputs = getInputs(ctx.batch);
        const fake = ctx.stash('fake', ganimationComposite(generator, inputs.images, desired(ctx, inputs), composite).image);
        return ganimationDiscriminatorLoss({ critic, realImages: inputs.images, realCond: inputs.realCond, fakeImages: fake, weights: w });
      },
    },
    {
      name: 'D_gp',
      variables: config.criticVariables,
      optimizer: config.criticOptimizer,
      schedule: config.criticSchedule,
      // PyTorch 0.3's zero_grad() leaves zero gradients: parameters the penalty does not reach
      // (the critic's output bias, the AU head) still take an Adam momentum step
      zeroMissingGradients: true,
      loss: (ctx) => {
        const inputs = getInputs(ctx.batch);
        const fake = ctx.stashed('fake');
        if (fake == null) throw new Error(`ganimationUpdates: the gradient-penalty step found no fakes from the D step`);
        return gradientPenalty((x) => critic(x).prob, inputs.images, fake, { weight: w.gp, seed: ctx.rng });
      },
    },
    {
      name: 'G',
      variables: config.generatorVariables,
      optimizer: config.generatorOptimizer,
      every: config.generatorEvery ?? 5,
      schedule: config.generatorSchedule,
      loss: (ctx) => {
        const inputs = getInputs(ctx.batch);
        return ganimationGeneratorLoss({
          generator,
          critic,
          realImages: inputs.images,
          realCond: inputs.realCond,
          desiredCond: desired(ctx, inputs),
          weights: w,
          ...composite,
        });
      },
    },
  ];
}
