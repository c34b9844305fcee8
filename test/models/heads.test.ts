import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { buildAuRegressor, buildEmotionClassifier, buildEmotionHead, buildIdentityEmbedding, contrastiveLoss, tripletLoss } from '../../src/models/heads.js';
import { countTrainableParams, trainableVariables } from '../../src/models/common.js';
import { checkGradients, expectClose, expectNoLeak, lossBeforeAfter, randomNormal, randomUniform } from '../helpers/index.js';
import { roundTrip } from './model_test_utils.js';

function steps(loss: () => tf.Scalar, vars: tf.Variable[], n: number, lr = 1e-2): [number, number] {
  const opt = tf.train.adam(lr);
  const result = lossBeforeAfter(opt, loss, vars, n);
  opt.dispose();
  return result;
}

describe('emotion classifier (document 002)', () => {
  it('the document-002 head ("seed002") has 9216·7 + 7 + 2·7 = 64,533 parameters on AlexNet features and outputs probabilities', () => {
    const head = buildEmotionHead();
    expect(countTrainableParams(head)).toBe(64_533);
    const f = randomNormal([3, 9216], 1);
    const p = head.predict(f) as tf.Tensor;
    expect(p.shape).toEqual([3, 7]);
    expectClose(tf.sum(p, 1), tf.ones([3]), { atol: 1e-5 });
    tf.dispose([f, p]);
    head.dispose();
  });

  it('CNN classifier: shape, cross-entropy falls on a fixed batch, save/load, no leak', async () => {
    const m = buildEmotionClassifier({ imageSize: 8, channels: 1, filters: [4, 8], numClasses: 3, seed: 1 });
    // trunk: 9·1·4 + 2·4 + 9·4·8 + 2·8 = 348; head: 8·3 + 3 + 2·3 = 33.
    expect(countTrainableParams(m)).toBe(381);
    const x = randomUniform([6, 8, 8, 1], 2);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3);
    const ce = () => tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.add(m.apply(x, { training: true }) as tf.Tensor, 1e-7))), 1))) as tf.Scalar);
    const [a, b] = steps(ce, trainableVariables(m), 5);
    expect(b).toBeLessThan(a);
    const before = m.predict(x) as tf.Tensor;
    const loaded = await roundTrip(m);
    expectClose(loaded.predict(x) as tf.Tensor, before, { rtol: 0, atol: 0 });
    await expectNoLeak(() => (m.predict(x) as tf.Tensor).dispose());
    expect(() => buildEmotionClassifier({ head: 'mlp' as never })).toThrow(/'head' must be 'seed002' or 'linear'/);
    tf.dispose([x, y, before]);
    m.dispose();
    loaded.dispose();
  });
});

describe('AU regressor (document 000)', () => {
  it('predicts 17 intensities in [0, 1]; MSE falls on a fixed batch; save/load; bad input rejected', async () => {
    const m = buildAuRegressor({ imageSize: 8, channels: 3, filters: [4], seed: 2 });
    expect(m.outputs[0].shape).toEqual([null, 17]);
    // 9·3·4 + 2·4 + 4·17 + 17 = 201.
    expect(countTrainableParams(m)).toBe(201);
    const x = randomUniform([4, 8, 8, 3], 3);
    const t = randomUniform([4, 17], 4, 0, 1);
    const mse = () => tf.tidy(() => tf.mean(tf.square(tf.sub(m.apply(x, { training: true }) as tf.Tensor, t))) as tf.Scalar);
    const [a, b] = steps(mse, trainableVariables(m), 5);
    expect(b).toBeLessThan(a);
    const p = m.predict(x) as tf.Tensor;
    expect(tf.min(p).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(p).dataSync()[0]).toBeLessThanOrEqual(1);
    const loaded = await roundTrip(m);
    expectClose(loaded.predict(x) as tf.Tensor, p, { rtol: 0, atol: 0 });
    const bad = tf.zeros([1, 8, 8, 1]);
    expect(() => m.predict(bad)).toThrow(/expected image to have shape \[null,8,8,3\] but got array with shape \[1,8,8,1\]/);
    tf.dispose([x, t, p, bad]);
    m.dispose();
    loaded.dispose();
  });
});

describe('identity embedding + triplet / contrastive losses', () => {
  it('tripletLoss and contrastiveLoss match their closed forms and have correct gradients', () => {
    const a = tf.tensor2d([
      [0, 0],
      [1, 0],
    ]);
    const p = tf.tensor2d([
      [0.1, 0],
      [1, 0.5],
    ]);
    const n = tf.tensor2d([
      [0.3, 0],
      [1, 0.2],
    ]);
    // sample 0: 0.01 − 0.09 + 0.2 = 0.12; sample 1: 0.25 − 0.04 + 0.2 = 0.41 → mean 0.265.
    expect(tripletLoss(a, p, n).dataSync()[0]).toBeCloseTo(0.265, 6);
    // d0 = 0.1 (same) → 0.01; d1 = 0.5 (different, margin 1) → 0.25 → mean 0.13.
    const same = tf.tensor1d([1, 0]);
    expect(contrastiveLoss(a, p, same).dataSync()[0]).toBeCloseTo(0.13, 5);
    const x = randomNormal([3, 4], 1);
    const y = randomNormal([3, 4], 2);
    const z = randomNormal([3, 4], 3);
    checkGradients((u, v, w) => tripletLoss(u, v, w, 2), [x, y, z]);
    checkGradients((u, v) => contrastiveLoss(u, v, tf.tensor1d([1, 0, 0]), 3), [x, y]);
    expect(() => tripletLoss(a, p, tf.zeros([2, 3]))).toThrow(/tripletLoss: 'negative' must be \[B, D\] like 'anchor' \[2, 2\]; got \[2, 3\]/);
    expect(() => contrastiveLoss(a, p, tf.zeros([3]))).toThrow(/contrastiveLoss: 'same' must be \[2\]/);
    tf.dispose([a, p, n, same, x, y, z]);
  });

  it('embeddings are unit-norm; triplet training separates two synthetic identities; save/load with the custom layer; no leak', async () => {
    const m = buildIdentityEmbedding({ imageSize: 8, channels: 1, filters: [4, 8], embeddingDim: 4, seed: 3 });
    // Two "identities": distinct base patterns plus noise.
    const base0 = randomUniform([1, 8, 8, 1], 10);
    const base1 = randomUniform([1, 8, 8, 1], 11);
    const noisy = (b: tf.Tensor, s: number) => tf.add(tf.tile(b, [4, 1, 1, 1]), randomNormal([4, 8, 8, 1], s, 0.1));
    const A = noisy(base0, 1);
    const P = noisy(base0, 2);
    const N = noisy(base1, 3);
    const e = m.predict(A) as tf.Tensor;
    expectClose(tf.norm(e, 2, 1), tf.ones([4]), { atol: 1e-5 });
    const loss = () =>
      tf.tidy(() => {
        const f = (v: tf.Tensor) => m.apply(v, { training: true }) as tf.Tensor;
        return tripletLoss(f(A), f(P), f(N), 0.5);
      });
    const [a, b] = steps(loss, trainableVariables(m), 8);
    expect(b).toBeLessThan(a);
    const loaded = await roundTrip(m);
    expectClose(loaded.predict(A) as tf.Tensor, m.predict(A) as tf.Tensor, { rtol: 0, atol: 0 });
    await expectNoLeak(() => (m.predict(A) as tf.Tensor).dispose());
    tf.dispose([base0, base1, A, P, N, e]);
    m.dispose();
    loaded.dispose();
  });
});
