import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { buildDcganDiscriminator, buildDcganGenerator } from '../../src/models/dcgan.js';
import { buildVae } from '../../src/models/vae.js';
import { buildGlow } from '../../src/models/glow/glow.js';
import { buildProgressiveGan } from '../../src/models/progressive_gan.js';
import { buildHoloGanDiscriminator, buildHoloGanGenerator } from '../../src/models/hologan.js';
import { buildGanimationCritic, buildGanimationGenerator, ganimationCompose } from '../../src/models/ganimation.js';
import { buildIdentityEmbedding } from '../../src/models/heads.js';
import { trainableVariables } from '../../src/models/common.js';
import { gradientPenalty } from '../../src/losses/index.js';
import { sampleViews } from '../../src/layers/view_sampling.js';
import { describeEachBackend, expectClose, randomNormal, randomUniform } from '../helpers/index.js';

/**
 * Every model family computes the same values and the same gradients on the wasm backend (with
 * gankit's kernels) as on the cpu backend: forward outputs and d loss / d weights of one training
 * step. This catches stock-wasm kernels that are missing or silently wrong (conv3dTranspose,
 * conv3d gradients, conv weight gradients, …).
 */
interface Result {
  values: Float32Array[];
}

async function evaluate(backend: string, fn: () => tf.Tensor[], reset: () => void): Promise<Result> {
  const prev = tf.getBackend();
  await tf.setBackend(backend);
  try {
    reset();
    const ts = fn();
    const values = ts.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(ts);
    return { values };
  } finally {
    await tf.setBackend(prev);
  }
}

/** Outputs and variable gradients of `loss` (listed after the outputs; zeros where a variable gets none). */
function withGrads(outputs: () => tf.Tensor[], loss: () => tf.Scalar, vars: tf.Variable[]): () => tf.Tensor[] {
  return () => {
    const outs = tf.tidy(outputs);
    const { value, grads } = tf.variableGrads(loss, vars);
    value.dispose();
    return [...outs, ...vars.map((v) => grads[v.name] ?? tf.zerosLike(v))];
  };
}

/**
 * Run `fn` on cpu and on the current backend from the same model state (every weight, including
 * batch-norm statistics and spectral-norm vectors, is restored before each run) and compare:
 * |a − e| ≤ rtol·|e| + atol·max|e| per result tensor.
 */
async function expectSameOnBackends(models: tfl.LayersModel[], fn: () => tf.Tensor[], rtol = 2e-3, atol = 2e-3): Promise<void> {
  const snapshot = models.map((m) => m.getWeights().map((w) => tf.clone(w)));
  const reset = () => models.forEach((m, i) => m.setWeights(snapshot[i]));
  try {
    const cpu = await evaluate('cpu', fn, reset);
    const other = await evaluate(tf.getBackend(), fn, reset);
    expect(other.values.length).toBe(cpu.values.length);
    cpu.values.forEach((v, i) => {
      const scale = v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
      try {
        expectClose(other.values[i], v, { rtol, atol: atol * scale + 1e-6 });
      } catch (e) {
        throw new Error(`result ${i} differs from cpu: ${(e as Error).message}`);
      }
    });
  } finally {
    reset();
    snapshot.forEach((ws) => tf.dispose(ws));
  }
}

describeEachBackend(
  'models on wasm match cpu (forward and gradients)',
  () => {
    it('DCGAN generator and discriminator', async () => {
      const g = buildDcganGenerator({ latentDim: 4, filters: 4, imageSize: 16, channels: 3, seed: 1 });
      const d = buildDcganDiscriminator({ filters: 4, imageSize: 16, channels: 3, seed: 2 });
      const z = randomNormal([2, 4], 1);
      const loss = () => tf.mean(tf.square(tf.sub(d.apply(g.apply(z, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor, 1))) as tf.Scalar;
      await expectSameOnBackends(
        [g, d],
        withGrads(() => [g.predict(z) as tf.Tensor], loss, [...trainableVariables(g), ...trainableVariables(d)]),
      );
      z.dispose();
      g.dispose();
      d.dispose();
    });

    it('VAE', async () => {
      const vae = buildVae({ imageSize: 16, channels: 3, hiddenDims: [4, 8], latentDim: 3, seed: 3 });
      const x = randomUniform([2, 16, 16, 3], 2);
      const loss = () => {
        const f = vae.forward(x, 5, true);
        return tf.mean(tf.square(tf.sub(f.recon, x))) as tf.Scalar;
      };
      await expectSameOnBackends(
        [vae.encoder, vae.decoder],
        withGrads(() => [vae.reconstruct(x)], loss, vae.trainableVariables()),
      );
      x.dispose();
      vae.dispose();
    });

    it('Glow (affine, LU)', async () => {
      const glow = buildGlow([8, 8, 2], { levels: 2, depth: 2, width: 8, coupling: 'affine', permutation: 'lu', seed: 4 });
      const init = randomUniform([16, 8, 8, 2], 3, -0.5, 0.5);
      glow.initialize(init);
      const x = randomUniform([2, 8, 8, 2], 4, -0.5, 0.5);
      await expectSameOnBackends(
        [glow.model],
        withGrads(
          () => [glow.encode(x).z, glow.bitsPerDim(x)],
          () => glow.loss(x),
          glow.trainableVariables(),
        ),
      );
      tf.dispose([init, x]);
      glow.dispose();
    });

    it('Progressive GAN fading stage with the gradient penalty', async () => {
      const pg = buildProgressiveGan({ resolution: 8, channels: 1, latentDim: 4, fmapBase: 16, fmapMax: 4, mbstdGroupSize: 2, seed: 5 });
      pg.setAlpha(0.5);
      const g = pg.generator(8, true);
      const d = pg.discriminator(8, true);
      const z = randomNormal([2, 4], 5);
      const real = randomUniform([2, 8, 8, 1], 6);
      const critic = (v: tf.Tensor) => d.apply(v) as tf.Tensor;
      const loss = () => tf.add(tf.mean(critic(g.apply(z) as tf.Tensor)), gradientPenalty(critic, real, g.apply(z) as tf.Tensor, { seed: 1 })) as tf.Scalar;
      const { generator, discriminator } = pg.stageVariables(8, true);
      await expectSameOnBackends(
        [pg.generatorAll, pg.discriminatorAll],
        withGrads(() => [g.predict(z) as tf.Tensor], loss, [...generator, ...discriminator]),
      );
      tf.dispose([z, real]);
      pg.dispose();
    });

    it('HoloGAN generator (3D transposed convs, rigid transform) and discriminator', async () => {
      const g = buildHoloGanGenerator({ imageSize: 32, zDim: 4, gfDim: 2, channels: 1, seed: 6 });
      const d = buildHoloGanDiscriminator({ imageSize: 32, dfDim: 2, zDim: 4, channels: 1, seed: 7 });
      const z = randomUniform([2, 4], 7);
      const view = sampleViews(2, undefined, 7);
      const loss = () => {
        const [logit, q] = d.apply(g.apply([z, view]) as tf.Tensor) as tf.Tensor[];
        return tf.add(tf.mean(tf.softplus(tf.neg(logit))), tf.mean(tf.square(tf.sub(q, z)))) as tf.Scalar;
      };
      // Spectral norm updates u on every call: both runs start from the same restored state.
      // Biases of the convolutions that feed an AdaIN have an identically zero gradient (a per-channel
      // constant is removed by the instance normalisation): only float noise is left there, so skip them.
      const vars = trainableVariables(g).filter((v) => !/g_h[1245]\/bias/.test(v.name));
      expect(vars.length).toBe(trainableVariables(g).length - 3);
      await expectSameOnBackends(
        [g, d],
        withGrads(() => [g.predict([z, view]) as tf.Tensor], loss, vars),
      );
      tf.dispose([z, view]);
      g.dispose();
      d.dispose();
    });

    it('GANimation generator and critic with the gradient penalty', async () => {
      const g = buildGanimationGenerator({ imageSize: 8, numAus: 3, convDim: 2, repeatNum: 1, seed: 8 });
      const d = buildGanimationCritic({ imageSize: 8, numAus: 3, convDim: 2, repeatNum: 2, seed: 9 });
      const img = randomUniform([2, 8, 8, 3], 8);
      const au = randomUniform([2, 3], 9, 0, 1);
      const critic = (v: tf.Tensor) => (d.apply(v) as tf.Tensor[])[0];
      const loss = () => {
        const f = ganimationCompose(g as tfl.LayersModel, img, au, { training: true }).composed;
        return tf.add(tf.mean(critic(f)), gradientPenalty(critic, img, f, { seed: 2 })) as tf.Scalar;
      };
      await expectSameOnBackends(
        [g, d],
        withGrads(() => [ganimationCompose(g, img, au).composed], loss, [...trainableVariables(g), ...trainableVariables(d)]),
      );
      tf.dispose([img, au]);
      g.dispose();
      d.dispose();
    });

    it('identity embedding', async () => {
      const m = buildIdentityEmbedding({ imageSize: 8, channels: 1, filters: [4, 8], embeddingDim: 4, seed: 10 });
      const x = randomUniform([3, 8, 8, 1], 10);
      const r = randomNormal([3, 4], 11);
      await expectSameOnBackends(
        [m],
        withGrads(
          () => [m.predict(x) as tf.Tensor],
          () => tf.sum(tf.mul(m.apply(x, { training: true }) as tf.Tensor, r)) as tf.Scalar,
          trainableVariables(m),
        ),
      );
      tf.dispose([x, r]);
      m.dispose();
    });
  },
  ['wasm'],
);
