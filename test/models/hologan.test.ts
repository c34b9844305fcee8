import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { buildHoloGanDiscriminator, buildHoloGanGenerator } from '../../src/models/hologan.js';
import { countTrainableParams, trainableVariables } from '../../src/models/common.js';
import { bceDiscriminatorLoss, nonSaturatingGeneratorLoss } from '../../src/losses/index.js';
import { sampleViews } from '../../src/layers/view_sampling.js';
import { checkSecondOrder, expectClose, expectNoLeak, loadFixture, lossBeforeAfter, randomNormal, randomUniform } from '../helpers/index.js';
import { type FixtureTensor, fromFixture, roundTrip } from './model_test_utils.js';

const G_TINY = { imageSize: 32 as const, zDim: 4, gfDim: 2, channels: 1, seed: 1 };
const D_TINY = { imageSize: 32 as const, dfDim: 2, zDim: 4, channels: 1, seed: 2 };

function views(n: number, seed: number): tf.Tensor {
  return sampleViews(n, undefined, seed);
}

describe('HoloGAN generator_AdaIN / discriminator_IN', () => {
  it('has the reference parameter counts at 64×64 (G 7,797,251; D 5,381,761)', () => {
    // G by hand (z 128, gf 64): constant 4·4·4·512 = 32,768; mappings z→2C (+2C bias) for C = 512, 128, 64, 256, 64:
    //   132,096 + 33,024 + 16,512 + 66,048 + 16,512; ConvT3D 27·512·128 + 128 = 1,769,600, 27·128·64 + 64 = 221,248;
    //   projection 1024·1024 + 1024 = 1,049,600; ConvT2D 16·1024·256 + 256 = 4,194,560, 16·256·64 + 64 = 262,208,
    //   16·64·3 + 3 = 3,075 → 7,797,251.
    // D by hand (df 64): conv5 3→64: 4,864; SN conv5 64→128: 204,928; 128→256: 819,456; 256→512: 3,277,312;
    //   IN γ, β: 256 + 512 + 1,024; logit 8192 + 1 = 8,193; latent 8192·128 + 128 = 1,048,704; 128·128 + 128 = 16,512 → 5,381,761.
    const g = buildHoloGanGenerator();
    const d = buildHoloGanDiscriminator();
    expect(countTrainableParams(g)).toBe(7_797_251);
    expect(countTrainableParams(d)).toBe(5_381_761);
    expect(g.outputs[0].shape).toEqual([null, 64, 64, 3]);
    expect(d.outputs.map((o) => o.shape)).toEqual([
      [null, 1],
      [null, 128],
    ]);
    g.dispose();
    d.dispose();
  });

  it('computes an independent PyTorch float64 generator_AdaIN with the reference rigid-transform port (fixture, 32 px)', () => {
    const fx = loadFixture('models_hologan');
    const g = buildHoloGanGenerator(fx.options);
    for (const [name, ws] of Object.entries(fx.weights as Record<string, FixtureTensor[]>)) {
      const values = ws.map(fromFixture);
      g.getLayer(name).setWeights(values);
      tf.dispose(values);
    }
    const z = fromFixture(fx.z);
    const view = fromFixture(fx.view);
    const img = g.predict([z, view]) as tf.Tensor;
    expectClose(img, fromFixture(fx.image), { rtol: 1e-4, atol: 2e-5 });
    tf.dispose([z, view, img]);
    g.dispose();
  });

  it('renders [B, 32, 32, C] in [−1, 1]; the view changes the image; D gives a logit and a tanh latent', () => {
    const g = buildHoloGanGenerator(G_TINY);
    const d = buildHoloGanDiscriminator({ ...D_TINY, styleDiscriminator: true });
    const z = randomUniform([2, 4], 1);
    const v0 = views(2, 1);
    const v1 = tf.add(
      v0,
      tf.tensor2d([
        [0.6, 0, 0, 0, 0, 0],
        [0.6, 0, 0, 0, 0, 0],
      ]),
    );
    const a = g.predict([z, v0]) as tf.Tensor;
    const b = g.predict([z, v1]) as tf.Tensor;
    expect(a.shape).toEqual([2, 32, 32, 1]);
    expect(tf.max(tf.abs(a)).dataSync()[0]).toBeLessThanOrEqual(1);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-6);
    const outs = d.predict(a) as tf.Tensor[];
    // Style logits follow the reference code by default: mean and variance joined on the batch axis (issue #3): [2B, 1].
    expect(outs.map((o) => o.shape)).toEqual([
      [2, 1],
      [2, 4],
      [4, 1],
      [4, 1],
      [4, 1],
    ]);
    expect(tf.max(tf.abs(outs[1])).dataSync()[0]).toBeLessThanOrEqual(1);
    // The paper's reading joins them on the feature axis: [B, 1] logits.
    const paper = buildHoloGanDiscriminator({ ...D_TINY, styleDiscriminator: true, styleConcat: 'features' });
    const paperOuts = paper.predict(a) as tf.Tensor[];
    expect(paperOuts.slice(2).map((o) => o.shape)).toEqual([
      [2, 1],
      [2, 1],
      [2, 1],
    ]);
    tf.dispose(paperOuts);
    paper.dispose();
    tf.dispose([z, v0, v1, a, b, ...outs]);
    g.dispose();
    d.dispose();
  });

  it('one D step and one G step (non-saturating + latent identity) lower their losses on a fixed batch', () => {
    const g = buildHoloGanGenerator(G_TINY);
    const d = buildHoloGanDiscriminator(D_TINY);
    const z = randomUniform([2, 4], 3);
    const view = views(2, 3);
    const real = randomUniform([2, 32, 32, 1], 4);
    const fake = g.predict([z, view]) as tf.Tensor;
    const dLoss = () =>
      tf.tidy(() => {
        const [rl] = d.apply(real) as tf.Tensor[];
        const [fl, q] = d.apply(fake) as tf.Tensor[];
        return tf.add(bceDiscriminatorLoss(rl, fl), tf.mean(tf.square(tf.sub(q, z)))) as tf.Scalar;
      });
    const opt = tf.train.adam(1e-3, 0.5);
    const [d0, d1] = lossBeforeAfter(opt, dLoss, trainableVariables(d));
    expect(d1).toBeLessThan(d0);
    const gLoss = () =>
      tf.tidy(() => {
        const [fl, q] = d.apply(g.apply([z, view]) as tf.Tensor) as tf.Tensor[];
        return tf.add(nonSaturatingGeneratorLoss(fl), tf.mean(tf.square(tf.sub(q, z)))) as tf.Scalar;
      });
    const gOpt = tf.train.adam(1e-3, 0.5);
    const [g0, g1] = lossBeforeAfter(gOpt, gLoss, trainableVariables(g));
    expect(g1).toBeLessThan(g0);
    tf.dispose([z, view, real, fake]);
    opt.dispose();
    gOpt.dispose();
    g.dispose();
    d.dispose();
  });

  it('the discriminator is twice differentiable (second-order finite differences, for a gradient penalty)', () => {
    // Spectral norm updates u on every call (reference): restore the weights before each evaluation.
    const d = buildHoloGanDiscriminator({ ...D_TINY, dfDim: 1, zDim: 2 });
    const x = randomUniform([2, 32, 32, 1], 12);
    const logits = (v: tf.Tensor) => tf.sum((d.apply(v) as tf.Tensor[])[0]) as tf.Scalar;
    const u = d.getWeights().map((w) => tf.clone(w));
    const f = (v: tf.Tensor) => {
      d.setWeights(u);
      return logits(v);
    };
    checkSecondOrder(f, x, { maxElements: 10, eps: 1e-3 });
    tf.dispose([x, ...u]);
    d.dispose();
  });

  it('builds the same discriminator, spectral-norm u vectors included, from the same seed', () => {
    const a = buildHoloGanDiscriminator({ ...D_TINY, seed: 3 });
    const b = buildHoloGanDiscriminator({ ...D_TINY, seed: 3 });
    const c = buildHoloGanDiscriminator({ ...D_TINY, seed: 4 });
    const weights = (m: tfl.LayersModel) => m.weights.map((w) => Array.from(w.read().dataSync()));
    expect(weights(b)).toEqual(weights(a));
    expect(weights(c)).not.toEqual(weights(a));
    a.dispose();
    b.dispose();
    c.dispose();
  });

  it('round-trips G and D through saveModel / loadModel', async () => {
    const g = buildHoloGanGenerator(G_TINY);
    const d = buildHoloGanDiscriminator({ ...D_TINY, styleDiscriminator: true });
    const z = randomUniform([2, 4], 5);
    const view = views(2, 5);
    const img = g.predict([z, view]) as tf.Tensor;
    const g2 = await roundTrip(g);
    expectClose(g2.predict([z, view]) as tf.Tensor, img, { rtol: 0, atol: 0 });
    d.predict(img); // spectral norm updates u on every call (reference); save after one call
    const d2 = await roundTrip(d);
    const a = d.predict(img) as tf.Tensor[];
    const b = d2.predict(img) as tf.Tensor[];
    a.forEach((t, i) => expectClose(b[i], t, { rtol: 1e-6, atol: 1e-7 }));
    tf.dispose([z, view, img, ...a, ...b]);
    g.dispose();
    g2.dispose();
    d.dispose();
    d2.dispose();
  });

  it('does not leak in forward passes and a G step', async () => {
    const g = buildHoloGanGenerator(G_TINY);
    const d = buildHoloGanDiscriminator(D_TINY);
    const z = randomNormal([2, 4], 6);
    const view = views(2, 6);
    const opt = tf.train.sgd(1e-3);
    await expectNoLeak(() => {
      opt.minimize(() => tf.tidy(() => nonSaturatingGeneratorLoss((d.apply(g.apply([z, view]) as tf.Tensor) as tf.Tensor[])[0])), true, trainableVariables(g))?.dispose();
    });
    tf.dispose([z, view]);
    opt.dispose();
    g.dispose();
    d.dispose();
  });

  it('rejects bad sizes and wrong inputs clearly', () => {
    expect(() => buildHoloGanGenerator({ imageSize: 128 as never })).toThrow(/buildHoloGanGenerator: 'imageSize' must be 32 or 64; got 128/);
    expect(() => buildHoloGanDiscriminator({ zDim: -1 })).toThrow(/'zDim' must be an integer ≥ 0; got -1/);
    const g = buildHoloGanGenerator(G_TINY);
    const z = tf.zeros([2, 4]);
    const badView = tf.zeros([2, 5]);
    expect(() => g.predict([z, badView])).toThrow(/expected view to have shape \[null,6\] but got array with shape \[2,5\]/);
    tf.dispose([z, badView]);
    g.dispose();
  });
});
