import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { cycleConsistencyLoss, l1Loss, l2Loss, latentIdentityLoss, maskedL2Loss, styleDiscriminatorLoss, sumSquaredError } from '../../src/losses/index.js';
import { checkGradients, expectClose, expectNoLeak, randomNormal } from '../helpers/index.js';

describe('reconstruction losses (closed forms)', () => {
  const p = tf.tensor2d([
    [1, -2],
    [0.5, 3],
  ]);
  const t = tf.tensor2d([
    [0, 1],
    [0.5, 1],
  ]);

  it('l1Loss is the mean |p − t| (PyTorch L1Loss)', () => {
    expectClose(l1Loss(p, t), (1 + 3 + 0 + 2) / 4);
  });
  it('l2Loss is the mean (p − t)² (PyTorch MSELoss)', () => {
    expectClose(l2Loss(p, t), (1 + 9 + 0 + 4) / 4);
  });
  it('sumSquaredError sums over elements and averages over the batch', () => {
    expectClose(sumSquaredError(p, t), (1 + 9 + 0 + 4) / 2);
  });
  it('cycleConsistencyLoss is weight · L1 (GANimation λ_cyc · L1Loss)', () => {
    expectClose(cycleConsistencyLoss(p, t, { weight: 10 }), 10 * 1.5);
    expectClose(cycleConsistencyLoss(p, t, 10), 10 * 1.5); // deprecated positional weight
  });
  it('maskedL2Loss divides by the number of non-zero (broadcast) weights, as TF SUM_BY_NONZERO_WEIGHTS', () => {
    const mask = tf.tensor2d([[1], [0]]); // broadcast over columns: 2 non-zero weights
    expectClose(maskedL2Loss(p, t, mask), (1 + 9) / 2);
    const soft = tf.tensor1d([0.5, 1]);
    expectClose(maskedL2Loss(p, t, soft), (0.5 * 1 + 9 + 0 + 4) / 4);
    expectClose(maskedL2Loss(p, t, tf.zeros([2, 2])), 0);
    expect(() => maskedL2Loss(p, t, tf.zeros([3]))).toThrow(/maskedL2Loss: 'mask' must broadcast to \[2, 2\]; got \[3\]/);
  });
  it('gradients match finite differences', () => {
    const a = randomNormal([2, 3], 1);
    const b = randomNormal([2, 3], 2);
    checkGradients((x) => l1Loss(x, b), [a], { eps: 1e-3 });
    checkGradients((x) => l2Loss(x, b), [a]);
    checkGradients((x) => sumSquaredError(x, b), [a]);
    checkGradients((x) => maskedL2Loss(x, b, tf.tensor1d([1, 0, 2])), [a]);
  });
  it('rejects mismatched shapes, naming the function', () => {
    expect(() => l1Loss(p, tf.zeros([2, 3]))).toThrow(/l1Loss: 'target' must have shape \[2, 2\]; got \[2, 3\]/);
  });
  it('leaks no tensors', async () => {
    const mask = tf.onesLike(p);
    await expectNoLeak(() => tf.dispose([l1Loss(p, t), l2Loss(p, t), cycleConsistencyLoss(p, t), maskedL2Loss(p, t, mask)]));
    mask.dispose();
  });
});

describe('latentIdentityLoss (HoloGAN q_loss)', () => {
  it('is λ · mean((Q − z)²), optionally squashing Q by tanh', () => {
    const q = tf.tensor2d([
      [0.5, -0.5],
      [0, 1],
    ]);
    const z = tf.tensor2d([
      [0, 0],
      [0.5, 0.5],
    ]);
    expectClose(latentIdentityLoss(q, z), (0.25 + 0.25 + 0.25 + 0.25) / 4);
    expectClose(latentIdentityLoss(q, z, { weight: 3 }), 0.75);
    const th = [Math.tanh(0.5), Math.tanh(-0.5), 0, Math.tanh(1)];
    const expected = (th[0] ** 2 + th[1] ** 2 + 0.25 + (th[3] - 0.5) ** 2) / 4;
    expectClose(latentIdentityLoss(q, z, { applyTanh: true }), expected, { rtol: 1e-5 });
    checkGradients((x) => latentIdentityLoss(x, z, { applyTanh: true }), [q]);
    expect(() => latentIdentityLoss(q, tf.zeros([2, 3]))).toThrow(/latentIdentityLoss: 'z' must have shape \[2, 2\]/);
  });
});

describe('styleDiscriminatorLoss (HoloGAN d_hk_loss, D only)', () => {
  it('is λ · Σ_k [CE(real_k, 1) + CE(fake_k, 0)] (closed form at zero logits and with known logits)', () => {
    const z = tf.zeros([3, 1]);
    expectClose(styleDiscriminatorLoss([z, z, z, z], [z, z, z, z]), 4 * 2 * Math.LN2, { rtol: 1e-6 });
    const r = tf.tensor2d([[2], [-1]]);
    const f = tf.tensor2d([[0.5], [3]]);
    const sp = (x: number) => Math.log1p(Math.exp(x));
    const one = (sp(-2) + sp(1)) / 2 + (sp(0.5) + sp(3)) / 2;
    const z2 = tf.zeros([2, 1]);
    expectClose(styleDiscriminatorLoss([r, z2], [f, z2], { weight: 0.5 }), 0.5 * (one + 2 * Math.LN2), { rtol: 1e-5 });
    checkGradients((a) => styleDiscriminatorLoss([a], [f]), [r], { eps: 1e-3 });
    expect(() => styleDiscriminatorLoss([r], [])).toThrow(/styleDiscriminatorLoss: 'realLogits' and 'fakeLogits' must be non-empty arrays of equal length/);
  });
});
