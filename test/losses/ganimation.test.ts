import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  GANIMATION_WEIGHTS,
  attentionLoss,
  auConditionLoss,
  ganimationComposite,
  ganimationDiscriminatorLoss,
  ganimationGeneratorLoss,
  gradientPenalty,
  totalVariation,
} from '../../src/losses/index.js';
import { checkGradients, expectClose, expectNoLeak, loadFixture, randomUniform } from '../helpers/index.js';

const fx = loadFixture('losses_torch').ganimation;

/** The fixture's tiny generator / critic (1×1 "convs" over channels), NHWC, as in the Python script. */
function tinyModels() {
  const P = {
    Wc: tf.variable(tf.tensor(fx.params.Wc)),
    Wa: tf.variable(tf.tensor(fx.params.Wa)),
    Wp: tf.variable(tf.tensor(fx.params.Wp)),
    Wq: tf.variable(tf.tensor(fx.params.Wq)),
  };
  const channels = (x: tf.Tensor, w: tf.Tensor) => {
    const [b, h, wd, c] = x.shape;
    return tf.reshape(tf.matMul(tf.reshape(x, [-1, c]), w), [b, h, wd, w.shape[1]!]);
  };
  const generator = (img: tf.Tensor, cond: tf.Tensor) => {
    const [b, h, w] = img.shape;
    const tiled = tf.tile(tf.reshape(cond, [b, 1, 1, -1]), [1, h, w, 1]);
    const x = tf.concat([img, tiled], 3);
    return { color: tf.tanh(channels(x, P.Wc)), attention: tf.sigmoid(channels(x, P.Wa)) };
  };
  const critic = (img: tf.Tensor) => ({ prob: tf.squeeze(channels(img, P.Wp), [3]), cond: tf.mean(channels(img, P.Wq), [1, 2]) });
  return { P, generator, critic };
}

describe('GANimation losses match the reference (albertpumarola/GANimation models/ganimation.py, via PyTorch)', () => {
  it('totalVariation is the sum of |horizontal| + |vertical| differences; attentionLoss = 0.1·mean + 1e-5·TV', () => {
    const a = tf.tensor(fx.attention);
    expectClose(totalVariation(a), fx.tv, { rtol: 1e-5 });
    expectClose(attentionLoss(a), fx.attentionLoss, { rtol: 1e-5 });
    a.dispose();
  });

  it('totalVariation closed form on a 2×2 mask', () => {
    const a = tf.tensor4d([1, 3, 0, 7], [1, 2, 2, 1]);
    expectClose(totalVariation(a), 2 + 7 + 1 + 4);
  });

  it('auConditionLoss divides the MSE by B once more (reference quirk); extraBatchDivision: false is the plain MSE', () => {
    expectClose(auConditionLoss(tf.tensor(fx.condPred), tf.tensor(fx.condTarget)), fx.condLoss, { rtol: 1e-5 });
    expectClose(auConditionLoss(tf.tensor(fx.condPred), tf.tensor(fx.condTarget), { extraBatchDivision: false }), fx.condLoss * 3, { rtol: 1e-5 });
  });

  it("totalVariation reduction 'mean' averages each direction instead of summing (not the reference)", () => {
    const a = tf.tensor4d([1, 3, 0, 7], [1, 2, 2, 1]);
    // horizontal |1-3|, |0-7| → mean 4.5; vertical |1-0|, |3-7| → mean 2.5
    expectClose(totalVariation(a, { reduction: 'mean' }), 7);
    expect(() => totalVariation(a, { reduction: 'max' as never })).toThrow(/totalVariation: 'reduction' must be 'sum' or 'mean'; got 'max'/);
  });

  it('generator recipe: every term, the total and ∂total/∂θ', () => {
    const { P, generator, critic } = tinyModels();
    const images = tf.tensor(fx.images);
    const realCond = tf.tensor(fx.realCond);
    const desiredCond = tf.tensor(fx.desiredCond);
    const out = ganimationGeneratorLoss({ generator, critic, realImages: images, realCond, desiredCond });
    for (const [k, v] of Object.entries(out.terms)) expectClose(v, fx.generator.terms[k], { rtol: 1e-4, atol: 1e-7 });
    expectClose(out.total, fx.generator.total, { rtol: 1e-4 });
    const { grads } = tf.variableGrads(() => ganimationGeneratorLoss({ generator, critic, realImages: images, realCond, desiredCond }).total, [P.Wc, P.Wa]);
    expectClose(grads[P.Wc.name], fx.generator.gradWc, { rtol: 1e-3, atol: 1e-4 });
    expectClose(grads[P.Wa.name], fx.generator.gradWa, { rtol: 1e-3, atol: 1e-4 });
    tf.dispose([images, realCond, desiredCond, out.total, ...Object.values(out.terms), ...Object.values(grads), ...Object.values(P)]);
  });

  it('critic recipe (+ the separate GP step with the same fakes): terms, total and gradients', () => {
    const { P, generator, critic } = tinyModels();
    const images = tf.tensor(fx.images);
    const realCond = tf.tensor(fx.realCond);
    const fakeImages = tf.tensor(fx.discriminator.fakeImages);
    const composed = ganimationComposite(generator, images, tf.tensor(fx.desiredCond));
    expectClose(composed.image, fakeImages, { rtol: 1e-5, atol: 1e-6 });
    const loss = () => ganimationDiscriminatorLoss({ critic, realImages: images, realCond, fakeImages });
    const out = loss();
    for (const [k, v] of Object.entries(out.terms)) expectClose(v, fx.discriminator.terms[k], { rtol: 1e-4, atol: 1e-7 });
    const { grads } = tf.variableGrads(() => loss().total, [P.Wp, P.Wq]);
    expectClose(grads[P.Wp.name], fx.discriminator.gradWp, { rtol: 1e-3, atol: 1e-4 });
    expectClose(grads[P.Wq.name], fx.discriminator.gradWq, { rtol: 1e-3, atol: 1e-4 });
    const u = tf.tensor(fx.gp.u);
    const gp = tf.variableGrads(() => gradientPenalty((x) => critic(x).prob, images, fakeImages, { u, weight: GANIMATION_WEIGHTS.gp }), [P.Wp]);
    expectClose(gp.value, fx.gp.value, { rtol: 1e-4 });
    expectClose(gp.grads[P.Wp.name], fx.gp.gradWp, { rtol: 1e-3, atol: 1e-4 });
    tf.dispose([images, realCond, fakeImages, u, composed.image, composed.attention, out.total, gp.value]);
    tf.dispose([...Object.values(out.terms), ...Object.values(grads), ...Object.values(gp.grads), ...Object.values(P)]);
  });

  it("composition 'code' keeps the input where A = 1; 'paper' keeps the color there", () => {
    const img = tf.fill([1, 2, 2, 3], 0.7);
    const gen = () => ({ color: tf.fill([1, 2, 2, 3], -0.3), attention: tf.ones([1, 2, 2, 1]) });
    expectClose(ganimationComposite(gen, img, tf.zeros([1, 2])).image, img);
    expectClose(ganimationComposite(gen, img, tf.zeros([1, 2]), { composition: 'paper' }).image, tf.fill([1, 2, 2, 3], -0.3));
    const half = () => ({ color: tf.zeros([1, 2, 2, 3]), attention: tf.fill([1, 2, 2, 1], 0.5) });
    // saturate: 0.55·tanh(0) + 0.5 = 0.5 at A = 0.5
    expectClose(ganimationComposite(half, img, tf.zeros([1, 2]), { saturateMask: true }).attention, tf.fill([1, 2, 2, 1], 0.5));
  });

  it('attentionLoss gradient matches finite differences', () => {
    const a = randomUniform([1, 3, 3, 1], 4, 0, 1);
    checkGradients((x) => attentionLoss(x, { lambdaMask: 0.1, lambdaSmooth: 0.05 }), [a], { eps: 1e-3 });
  });

  it('rejects bad input, naming the argument', () => {
    expect(() => totalVariation(tf.zeros([2, 3]))).toThrow(/totalVariation: 'x' must have rank 4/);
    expect(() => auConditionLoss(tf.zeros([2, 3]), tf.zeros([2, 4]))).toThrow(/auConditionLoss: 'target' must have shape \[2, 3\]/);
  });

  it('leaks no tensors', async () => {
    const { P, generator, critic } = tinyModels();
    const images = tf.tensor(fx.images);
    const realCond = tf.tensor(fx.realCond);
    const desiredCond = tf.tensor(fx.desiredCond);
    await expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => ganimationGeneratorLoss({ generator, critic, realImages: images, realCond, desiredCond }).total, [P.Wc, P.Wa]);
      tf.dispose([value, ...Object.values(grads)]);
    });
    expect(Object.keys(P)).toHaveLength(4);
    tf.dispose([images, realCond, desiredCond, ...Object.values(P)]);
  });
});
