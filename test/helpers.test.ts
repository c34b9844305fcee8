import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { checkGradients, checkSecondOrder, expectClose, expectNoLeak, finiteNumbers } from './helpers/index.js';

// The helpers must be able to fail: each is shown catching a planted error.
describe('test helpers', () => {
  it('finiteNumbers passes finite nested reports and names the path of the first NaN or Infinity', () => {
    expect(() => finiteNumbers({ a: [1, 2, { b: 3 }], c: 'text', d: null })).not.toThrow();
    expect(() => finiteNumbers({ a: [1, 2, { b: NaN }] })).toThrow(/metrics\.a\[2\]\.b is NaN/);
    expect(() => finiteNumbers([Infinity], 'report')).toThrow(/report\[0\] is Infinity/);
  });

  it('expectClose accepts tolerance-close values and rejects others', () => {
    expectClose([1, 2, 3], [1, 2, 3.000001]);
    expect(() => expectClose([1, 2, 3], [1, 2, 3.1])).toThrow(/element 2/);
  });

  it('checkGradients passes a correct gradient and catches a wrong custom gradient', () => {
    const x = tf.tensor1d([0.3, -1.2, 2.0]);
    checkGradients((a) => tf.sum(tf.mul(a, tf.sin(a))) as tf.Scalar, [x]);
    const wrong = tf.customGrad(((a: tf.Tensor, save: tf.GradSaveFunc) => {
      save([a]);
      return { value: tf.sum(tf.square(a)), gradFunc: (dy: tf.Tensor, [s]: tf.Tensor[]) => tf.mul(dy, tf.mul(s, 3)) };
    }) as any) as (a: tf.Tensor) => tf.Scalar;
    expect(() => checkGradients(wrong, [x])).toThrow(/gradient of input 0 wrong/);
    x.dispose();
  });

  it('checkSecondOrder differentiates through a gradient', () => {
    const x = tf.tensor1d([0.3, -1.2, 2.0]);
    checkSecondOrder((a) => tf.sum(tf.pow(a, 3)) as tf.Scalar, x);
    x.dispose();
  });

  it('expectNoLeak catches a leaking function', async () => {
    const kept: tf.Tensor[] = [];
    await expect(expectNoLeak(() => void kept.push(tf.scalar(1)))).rejects.toThrow(/tensor count grew/);
    await expectNoLeak(() => tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2))));
    tf.dispose(kept);
  });
});
