import * as tf from '@tensorflow/tfjs-core';
import * as L from '../../../src/losses/index.js';
import { buildDcganDiscriminator } from '../../../src/models/index.js';
import { patchGANCritic } from '../../../src/layers/index.js';
import { trainableVariables } from '../../../src/models/index.js';
import type { ParitySpec } from '../harness.js';
import { forwardAndGradients, normal, seedWeights, uniform } from '../inputs.js';

/** A loss of tensors: its value and its gradient w.r.t. every input. */
function lossSpec(name: string, f: (...xs: tf.Tensor[]) => tf.Scalar, inputs: () => tf.Tensor[], tolerance?: number): ParitySpec {
  return { name, tolerance, run: () => forwardAndGradients(f, inputs(), [], 3) };
}

const logits = (seed: number) => normal([6, 1], seed, 2);
const images = (seed: number) => uniform([2, 8, 8, 3], seed);
const terms = (t: { total: tf.Scalar }) => t.total;

/**
 * A gradient penalty and its gradient w.r.t. the critic's weights: a second-order derivative
 * (the penalty is a function of ∂D/∂x), which is what a WGAN-GP or R1 training step computes.
 */
function penaltySpec(name: string, penalty: (critic: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, fake: tf.Tensor) => tf.Scalar, critic: 'dcgan' | 'patchgan'): ParitySpec {
  return {
    name: `${name}: value and its gradient w.r.t. the critic (second order)`,
    run: (ctx) => {
      const d = ctx.own(critic === 'dcgan' ? buildDcganDiscriminator({ imageSize: 16, filters: 4, seed: 2 }) : patchGANCritic({ imageSize: 16, convDim: 4, repeatNum: 2, auxOutputs: 3 }));
      seedWeights(d, 50);
      const call = (x: tf.Tensor) => {
        const out = d.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
        return Array.isArray(out) ? out[0] : out;
      };
      const real = uniform([2, 16, 16, 3], 51);
      const fake = uniform([2, 16, 16, 3], 52);
      const variables = trainableVariables(d);
      const { value, grads } = tf.variableGrads(() => penalty(call, real, fake), variables);
      // Heads that the penalty does not reach (PatchGAN's AU head) have no gradient.
      return { value, weightGradients: variables.filter((v) => grads[v.name] != null).map((v) => grads[v.name]) };
    },
  };
}

export const lossSpecs: ParitySpec[] = [
  lossSpec(
    'BCE discriminator + non-saturating generator',
    (r, f) => tf.add(L.bceDiscriminatorLoss(r, f), L.nonSaturatingGeneratorLoss(f)),
    () => [logits(1), logits(2)],
  ),
  lossSpec(
    'least-squares (LSGAN) D + G',
    (r, f) => tf.add(L.leastSquaresDiscriminatorLoss(r, f), L.leastSquaresGeneratorLoss(f)),
    () => [logits(3), logits(4)],
  ),
  lossSpec(
    'Wasserstein D + G, drift',
    (r, f) => tf.addN([L.wassersteinDiscriminatorLoss(r, f), L.wassersteinGeneratorLoss(f), L.driftPenalty(r)]),
    () => [logits(5), logits(6)],
  ),
  lossSpec(
    'hinge D + G',
    (r, f) => tf.add(L.hingeDiscriminatorLoss(r, f), L.hingeGeneratorLoss(f)),
    () => [logits(7), logits(8)],
  ),
  lossSpec(
    'minimax G',
    (f) => L.minimaxGeneratorLoss(f),
    () => [logits(9)],
  ),
  lossSpec(
    'L1, L2, SSE, cycle, masked L2',
    (a, b) => tf.addN([L.l1Loss(a, b), L.l2Loss(a, b), L.sumSquaredError(a, b), L.cycleConsistencyLoss(a, b), L.maskedL2Loss(a, b, tf.onesLike(a))]),
    () => [images(10), images(11)],
  ),
  lossSpec(
    'total variation, GANimation attention loss',
    (a) => tf.add(L.totalVariation(a), L.attentionLoss(tf.sigmoid(a))),
    () => [images(12)],
  ),
  lossSpec(
    'AU condition loss',
    (p, t) => L.auConditionLoss(p, t),
    () => [uniform([4, 5], 13, 0, 1), uniform([4, 5], 14, 0, 1)],
  ),
  lossSpec(
    'KL divergence; β-VAE (H and B)',
    (x, r, mu, lv) =>
      tf.addN([
        L.klDivergence(mu, lv),
        terms(L.betaVaeLoss({ reconstruction: r, input: x, mu, logVar: lv, type: 'H', beta: 4 })),
        terms(L.betaVaeLoss({ reconstruction: r, input: x, mu, logVar: lv, type: 'B', iteration: 100 })),
      ]),
    () => [images(15), images(16), normal([2, 4], 17), normal([2, 4], 18, 0.5)],
  ),
  lossSpec(
    'HoloGAN latent identity; style discriminator',
    (p, z, r, f) => tf.add(L.latentIdentityLoss(p, z), L.styleDiscriminatorLoss([r], [f])),
    () => [normal([4, 6], 19), uniform([4, 6], 20), logits(21), logits(22)],
  ),
  lossSpec(
    'triplet and contrastive (metric learning)',
    (a, p, n) => tf.add(L.tripletLoss(a, p, n), L.contrastiveLoss(a, p, tf.tensor1d([1, 0, 1, 0]))),
    () => [normal([4, 6], 23), normal([4, 6], 24), normal([4, 6], 25)],
  ),
  lossSpec(
    'GAN-CLS mismatched condition',
    (w) => L.mismatchedConditionLoss(w),
    () => [logits(26)],
  ),
  penaltySpec('WGAN-GP (DCGAN critic)', (c, r, f) => L.gradientPenalty(c, r, f, { seed: 3 }), 'dcgan'),
  penaltySpec('R1 (DCGAN critic)', (c, r) => L.r1Penalty(c, r), 'dcgan'),
  penaltySpec('WGAN-GP (GANimation PatchGAN critic)', (c, r, f) => L.gradientPenalty(c, r, f, { seed: 4 }), 'patchgan'),
];
