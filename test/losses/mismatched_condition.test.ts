import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { mismatchedConditionLoss, randomLabelShifts, shiftedOneHot } from '../../src/losses/index.js';
import { Random } from '../../src/index.js';
import { checkGradients, expectClose, expectNoLeak, randomNormal } from '../helpers/index.js';

describe('mismatchedConditionLoss', () => {
  it('scores real-image/wrong-label logits as fake: weight · mean(−log(1 − σ(s_w))) (GAN-CLS, Reed et al. 2016 Alg. 1)', () => {
    const logits = [-2, -0.5, 0, 1.5, 3];
    const expected = (2.5 * logits.reduce((s, l) => s - Math.log(1 - 1 / (1 + Math.exp(-l))), 0)) / logits.length;
    expectClose(mismatchedConditionLoss(tf.tensor1d(logits), { weight: 2.5 }), [expected], { atol: 1e-5 });
  });

  it('has the finite-difference gradient of softplus', () => {
    checkGradients((s) => mismatchedConditionLoss(s, { weight: 0.7 }), [randomNormal([6, 1], 3)]);
  });

  it('rejects a negative or non-finite weight by name', () => {
    expect(() => mismatchedConditionLoss(tf.zeros([2]), { weight: -1 })).toThrow(/'weight' must be a finite number ≥ 0; got -1/);
    expect(() => mismatchedConditionLoss(tf.zeros([2]), { weight: Number.NaN })).toThrow(/'weight'/);
  });
});

describe('shiftedOneHot', () => {
  it('moves every row to class (c + shift) mod K, so no row keeps its label', () => {
    const y = tf.cast(tf.oneHot(tf.tensor1d([0, 3, 6, 2], 'int32'), 7), 'float32') as tf.Tensor2D;
    const wrong = shiftedOneHot(y, tf.tensor1d([1, 4, 1, 6], 'int32'));
    expect(Array.from(tf.argMax(wrong, 1).dataSync())).toEqual([1, 0, 0, 1]);
    expect(wrong.dtype).toBe('float32');
    expect(Array.from(tf.sum(wrong, 1).dataSync())).toEqual([1, 1, 1, 1]);
  });

  it('never returns the true class with random shifts in [1, K − 1], and draws them from the seed', () => {
    const rng = new Random(3);
    const cls = Int32Array.from({ length: 200 }, () => rng.int(0, 5));
    const y = tf.cast(tf.oneHot(tf.tensor1d(cls, 'int32'), 5), 'float32') as tf.Tensor2D;
    const shifts = randomLabelShifts(200, 5, new Random(7));
    const s = Array.from(shifts.dataSync());
    expect(Math.min(...s)).toBe(1);
    expect(Math.max(...s)).toBe(4);
    expect(Array.from(randomLabelShifts(200, 5, new Random(7)).dataSync())).toEqual(s);
    const got = tf.argMax(shiftedOneHot(y, shifts), 1).dataSync();
    expect(Array.from(got).every((c, i) => c !== cls[i])).toBe(true);
  });

  it('names the argument and shape on bad input', () => {
    expect(() => shiftedOneHot(tf.zeros([3, 1]) as tf.Tensor2D, tf.ones([3], 'int32') as tf.Tensor1D)).toThrow(/'labels' must be one-hot \[B, K\] with K ≥ 2; got shape \[3,1\]/);
    expect(() => shiftedOneHot(tf.zeros([3, 4]) as tf.Tensor2D, tf.ones([2], 'int32') as tf.Tensor1D)).toThrow(/'shifts' must be \[B\] = \[3\]; got shape \[2\]/);
    expect(() => randomLabelShifts(3, 1, new Random(0))).toThrow(/'numClasses' must be an integer ≥ 2; got 1/);
  });

  it('leaks no tensors', async () => {
    const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1], 'int32'), 3), 'float32') as tf.Tensor2D;
    const s = tf.tensor1d([1, 2], 'int32');
    const logits = tf.ones([2]);
    await expectNoLeak(() => {
      tf.dispose([shiftedOneHot(y, s), mismatchedConditionLoss(logits)]);
    });
  });
});
