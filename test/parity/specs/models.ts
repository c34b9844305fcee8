import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  buildAcganDiscriminator,
  buildAcganGenerator,
  buildAuRegressor,
  buildConditionalDcganDiscriminator,
  buildConditionalDcganGenerator,
  buildDcganDiscriminator,
  buildDcganGenerator,
  buildEmotionClassifier,
  buildEncoder,
  buildGanimationCritic,
  buildGanimationGenerator,
  buildGlow,
  buildHoloGanDiscriminator,
  buildHoloGanGenerator,
  buildIdentityEmbedding,
  buildProgressiveGan,
  buildVae,
  trainableVariables,
} from '../../../src/models/index.js';
import type { ParityContext, ParitySpec } from '../harness.js';
import { normal, oneHot, probe, seedWeights, uniform } from '../inputs.js';

/**
 * One training step of a model: forward in training mode (BatchNorm batch statistics), the
 * gradient of a probe loss w.r.t. every trainable weight, one SGD step (lr 0.05), and the forward
 * pass after the step.
 */
function stepSpec(name: string, build: (ctx: ParityContext) => { models: tfl.LayersModel[]; call: () => tf.Tensor | tf.Tensor[] }, tolerance?: number): ParitySpec {
  return {
    name: `${name}: one training step`,
    tolerance,
    run: (ctx) => {
      const { models, call } = build(ctx);
      models.forEach((m, i) => seedWeights(m, 40 + i));
      const variables = models.flatMap((m) => trainableVariables(m));
      const before = call();
      const { grads } = tf.variableGrads(() => probe(call(), 5), variables);
      const optimizer = ctx.own(tf.train.sgd(0.05));
      optimizer.applyGradients(grads);
      return { forward: before, weightGradients: variables.map((v) => grads[v.name]), forwardAfterStep: call() };
    },
  };
}

const own = <T extends { dispose(): unknown }>(ctx: ParityContext, m: T): T => ctx.own(m);
const train = (m: tfl.LayersModel, x: tf.Tensor | tf.Tensor[]) => m.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];

export const modelSpecs: ParitySpec[] = [
  stepSpec('DCGAN generator', (ctx) => {
    const g = own(ctx, buildDcganGenerator({ imageSize: 16, filters: 4, latentDim: 8, seed: 1 }));
    const z = normal([4, 8], 1);
    return { models: [g], call: () => train(g, z) };
  }),
  stepSpec('DCGAN discriminator (minibatch stddev)', (ctx) => {
    const d = own(ctx, buildDcganDiscriminator({ imageSize: 16, filters: 4, minibatchStdDevGroup: 2, seed: 2 }));
    const x = normal([4, 16, 16, 3], 2);
    return { models: [d], call: () => train(d, x) };
  }),
  stepSpec('conditional DCGAN G + D (labels at every layer)', (ctx) => {
    const g = own(ctx, buildConditionalDcganGenerator({ latentDim: 8, imageSize: 16, channels: 1, filters: 4, numClasses: 3, labelInjection: 'every-layer', seed: 3 }));
    const d = own(ctx, buildConditionalDcganDiscriminator({ imageSize: 16, channels: 1, filters: 4, numClasses: 3, labelInjection: 'every-layer', seed: 4 }));
    const z = normal([4, 8], 3);
    const y = oneHot(4, 3, 4);
    return { models: [g, d], call: () => train(d, [train(g, [z, y]) as tf.Tensor, y]) };
  }),
  stepSpec('conditional DCGAN G (conditional BatchNorm)', (ctx) => {
    const g = own(ctx, buildConditionalDcganGenerator({ latentDim: 8, imageSize: 16, channels: 1, filters: 4, numClasses: 3, labelInjection: 'conditional-bn', seed: 5 }));
    return { models: [g], call: () => train(g, [normal([4, 8], 5), oneHot(4, 3, 6)]) };
  }),
  stepSpec('ACGAN G + D', (ctx) => {
    const g = own(ctx, buildAcganGenerator({ latentDim: 4, numClasses: 3, baseSize: 1, seed: 1 }));
    const size = g.outputs[0].shape[1] as number;
    const d = own(ctx, buildAcganDiscriminator({ imageSize: size, numClasses: 3, dropout: 0, seed: 2 }));
    const z = normal([2, 4], 7);
    const label = tf.tensor2d([[0], [2]]);
    return { models: [g, d], call: () => train(d, train(g, [z, label]) as tf.Tensor) };
  }),
  stepSpec('encoder', (ctx) => {
    const e = own(ctx, buildEncoder({ latentDim: 3, filters: 2, imageSize: 8, channels: 1, seed: 2 }));
    return { models: [e], call: () => train(e, normal([2, 8, 8, 1], 8)) };
  }),
  stepSpec('VAE (encode, reparameterise, decode)', (ctx) => {
    const vae = own(ctx, buildVae({ imageSize: 8, channels: 3, hiddenDims: [4, 8], latentDim: 4, seed: 1 }));
    const x = normal([2, 8, 8, 3], 9);
    const eps = normal([2, 4], 10);
    return {
      models: [vae.encoder, vae.decoder],
      call: () => {
        const { mu, logVar } = vae.encode(x, true);
        return [vae.decode(tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)), true), mu, logVar];
      },
    };
  }),
  stepSpec('Glow (affine coupling, LU-decomposed 1×1 convolution): bits per dim', (ctx) => {
    const glow = buildGlow([4, 4, 2], { levels: 2, depth: 1, width: 4, coupling: 'affine', permutation: 'lu', seed: 3 });
    ctx.own(glow.model);
    const x = uniform([2, 4, 4, 2], 11, -0.5, 0.5);
    glow.initialize(x); // data-dependent actnorm initialisation
    return { models: [glow.model], call: () => glow.bitsPerDim(x) };
  }),
  stepSpec('emotion classifier', (ctx) => {
    const m = own(ctx, buildEmotionClassifier({ imageSize: 8, channels: 1, filters: [4, 8], numClasses: 3, seed: 1 }));
    return { models: [m], call: () => train(m, normal([2, 8, 8, 1], 12)) };
  }),
  stepSpec('AU regressor', (ctx) => {
    const m = own(ctx, buildAuRegressor({ imageSize: 8, channels: 3, filters: [4], seed: 2 }));
    return { models: [m], call: () => train(m, normal([2, 8, 8, 3], 13)) };
  }),
  stepSpec('identity embedding', (ctx) => {
    const m = own(ctx, buildIdentityEmbedding({ imageSize: 8, channels: 1, filters: [4, 8], embeddingDim: 4, seed: 3 }));
    return { models: [m], call: () => train(m, normal([2, 8, 8, 1], 14)) };
  }),
  stepSpec('Progressive GAN G + D at 8×8 while fading in', (ctx) => {
    const pg = buildProgressiveGan({ resolution: 16, channels: 1, latentDim: 8, fmapBase: 32, fmapMax: 8, mbstdGroupSize: 2, seed: 3 });
    ctx.own(pg);
    const g = pg.generator(8, true);
    const d = pg.discriminator(8, true);
    const z = normal([2, 8], 15);
    return { models: [g, d], call: () => train(d, train(g, z) as tf.Tensor) };
  }),
  stepSpec('HoloGAN G + D (3D rigid transform, projection unit, AdaIN)', (ctx) => {
    const g = own(ctx, buildHoloGanGenerator({ imageSize: 32, zDim: 4, gfDim: 2, channels: 1, seed: 1 }));
    const d = own(ctx, buildHoloGanDiscriminator({ imageSize: 32, dfDim: 2, zDim: 4, channels: 1, seed: 2 }));
    const z = uniform([2, 4], 16);
    // Generic views: sampleViews' integer degrees put samples on lattice points, where the
    // reference edge rule jumps to 0 and a last-bit difference in sin/cos flips the value.
    const views = tf.tensor2d([
      [1.93, 0.17, 1.07, 0.11, -0.23, 0.16],
      [1.31, -0.21, 0.93, -0.07, 0.19, 0.05],
    ]);
    return { models: [g, d], call: () => train(d, train(g, [z, views]) as tf.Tensor) };
  }),
  stepSpec('GANimation G + critic', (ctx) => {
    const g = own(ctx, buildGanimationGenerator({ imageSize: 8, numAus: 3, convDim: 2, repeatNum: 1, seed: 1 }));
    const d = own(ctx, buildGanimationCritic({ imageSize: 8, numAus: 3, convDim: 2, repeatNum: 2, seed: 2 }));
    const x = uniform([2, 8, 8, 3], 17);
    const aus = uniform([2, 3], 18, 0, 1);
    return {
      models: [g, d],
      call: () => {
        const [color, attention] = train(g, [x, aus]) as tf.Tensor[];
        const image = tf.add(tf.mul(attention, x), tf.mul(tf.sub(1, attention), color));
        return [image, ...(train(d, image) as tf.Tensor[])];
      },
    };
  }),
];
