/**
 * The standard and full modes are never run by CI: build each example's models at those
 * configurations' real sizes (resolution, widths, latent sizes) and run one training step on a
 * batch of 2, so that a configuration that cannot build or train fails here.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { CONFIGS as STEERING, trainDcgan, trainHoloGan } from '../../examples/000-steering-hologan/pipeline.js';
import { CONFIGS as SYNTHESIS } from '../../examples/001-expression-synthesis.js';
import { CONFIGS as CHEERMEUP } from '../../examples/002-cheermeup.js';
import { CONFIGS as EMOTION_GEN } from '../../examples/003-emotion-generation.js';
import { CONFIGS as GANIMATION, disposeData, synthData, trainGanimation } from '../../examples/004-ganimation/pipeline.js';
import { oneHot, trainGan } from '../../examples/common/train_helpers.js';
import { synthFaceDataset } from '../../src/data/index.js';
import { buildConditionalDcganDiscriminator, buildConditionalDcganGenerator, buildDcganDiscriminator, buildDcganGenerator, buildGlow, buildVae, glowPreprocess } from '../../src/models/index.js';
import { betaVaeLoss } from '../../src/losses/index.js';
import { Trainer, adam } from '../../src/train/index.js';

const MODES = ['standard', 'full'] as const;
const faces = (size: number, n = 4, channels: 1 | 3 = 3): tf.Tensor4D =>
  tf.tidy(() => {
    const x = synthFaceDataset({ n, size, seed: 1 }).images;
    return (channels === 1 ? tf.mean(x, -1, true) : x) as tf.Tensor4D;
  });

/** One GAN step on a batch of 2; the losses must be finite. */
function oneGanStep(G: tfl.LayersModel, D: tfl.LayersModel, images: tf.Tensor4D, latentDim: number, labels?: tf.Tensor2D): void {
  const losses = trainGan(G, D, images, { steps: 1, batchSize: 2, latentDim, loss: 'nonSaturating', labels });
  expect(Number.isFinite(losses.d[0]) && Number.isFinite(losses.g[0])).toBe(true);
  G.dispose();
  D.dispose();
}

describe('standard and full configurations train one step at their real sizes', () => {
  for (const mode of MODES) {
    it(`000-steering-hologan ${mode}: HoloGAN (${STEERING[mode].imageSize} px, gf ${STEERING[mode].gfDim}) and DCGAN`, () => {
      const c = { ...STEERING[mode], hologanIterations: 1, hologanBatch: 2, dcganIterations: 1, dcganBatch: 2 };
      const images = faces(c.imageSize);
      for (const gan of [trainHoloGan(c, images, 0), trainDcgan(c, images, 0)]) {
        const last = gan.history.at(-1)!.metrics;
        expect(Object.values(last).every(Number.isFinite)).toBe(true);
        gan.generator.dispose();
        gan.discriminator?.dispose();
      }
      images.dispose();
    }, 240_000);

    it(`001-expression-synthesis ${mode}: DCGAN, VAE and Glow`, () => {
      const c = SYNTHESIS[mode];
      const images = faces(c.size);
      oneGanStep(
        buildDcganGenerator({ latentDim: c.ganLatent, imageSize: c.size, filters: c.ganFilters }),
        buildDcganDiscriminator({ imageSize: c.size, filters: c.ganDiscriminatorFilters ?? c.ganFilters }),
        images,
        c.ganLatent,
      );
      const vae = buildVae({ imageSize: c.size, channels: 3, hiddenDims: c.vaeHidden, latentDim: c.vaeLatent, seed: 1 });
      const glow = buildGlow([c.glowSize, c.glowSize, 3], { levels: 2, depth: c.glowDepth, width: c.glowWidth, coupling: 'additive', nBits: 5, seed: 1 });
      const small = tf.image.resizeBilinear(images, [c.glowSize, c.glowSize]);
      glow.initialize(tf.tidy(() => glowPreprocess(small, 5, 1)));
      const optimizers = [adam({ learningRate: c.vaeLr }), adam({ learningRate: 1e-3 })];
      const trainer = new Trainer({
        seed: 1,
        updates: [
          {
            name: 'vae',
            variables: vae.trainableVariables(),
            optimizer: optimizers[0],
            loss: () => {
              const x = tf.slice(images, 0, 2);
              const f = vae.forward(x, 1, true);
              return betaVaeLoss({ reconstruction: f.recon, input: x, mu: f.mu, logVar: f.logVar, type: 'H', beta: 4, kldWeight: 2.5e-4 });
            },
          },
          { name: 'glow', variables: glow.trainableVariables(), optimizer: optimizers[1], loss: () => glow.loss(glowPreprocess(tf.slice(small, 0, 2), 5, 2)) },
        ],
        data: () => ({}),
      });
      trainer.run(1, (r) => expect(Number.isFinite(r.metrics.vae) && Number.isFinite(r.metrics.glow)).toBe(true));
      trainer.dispose();
      optimizers.forEach((o) => o.dispose());
      vae.dispose();
      glow.dispose();
      tf.dispose([images, small]);
    }, 240_000);

    it(`002-cheermeup ${mode}: the LSGAN`, () => {
      const c = CHEERMEUP[mode];
      const images = faces(c.size);
      oneGanStep(
        buildDcganGenerator({ latentDim: c.latentDim, imageSize: c.size, filters: c.filters }),
        buildDcganDiscriminator({ imageSize: c.size, filters: c.discriminatorFilters ?? c.filters }),
        images,
        c.latentDim,
      );
      images.dispose();
    }, 240_000);

    it(`003-emotion-generation ${mode}: the conditional DCGAN`, () => {
      const c = EMOTION_GEN[mode];
      const images = faces(c.size, 4, 1);
      const labels = oneHot([0, 1, 2, 3], 7);
      oneGanStep(
        buildConditionalDcganGenerator({ latentDim: c.latentDim, imageSize: c.size, channels: 1, filters: c.filters, numClasses: 7 }),
        buildConditionalDcganDiscriminator({ imageSize: c.size, channels: 1, filters: c.discriminatorFilters ?? c.filters, numClasses: 7 }),
        images,
        c.latentDim,
        labels,
      );
      tf.dispose([images, labels]);
    }, 240_000);

    it(`004-ganimation ${mode}: generator and critic (${GANIMATION[mode].imageSize} px, conv_dim ${GANIMATION[mode].convDim})`, () => {
      const c = { ...GANIMATION[mode], trainImages: 4, regressorImages: 4, iterations: GANIMATION[mode].generatorEvery, batchSize: 2 };
      const data = synthData(c, 0);
      const trained = trainGanimation(c, data.train, data.auNames.length, 0);
      expect(trained.history.every((h) => Object.values(h.metrics).every(Number.isFinite))).toBe(true);
      expect(trained.history.some((h) => h.metrics.G !== undefined)).toBe(true);
      trained.generator.dispose();
      trained.critic.dispose();
      disposeData(data);
    }, 240_000);
  }
});
