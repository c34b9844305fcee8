import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { preciseSinCos } from '../../src/util/precise_trig.js';
import { expectNoLeak } from '../helpers/index.js';

describe('preciseSinCos', () => {
  it('matches Math.sin/Math.cos to 1e-6 from −20 to 20 rad (range reduction included)', () => {
    const xs = Array.from({ length: 4001 }, (_, i) => -20 + i * 0.01);
    const { sin, cos } = preciseSinCos(tf.tensor1d(xs));
    const s = sin.dataSync();
    const c = cos.dataSync();
    let worst = 0;
    xs.forEach((x, i) => (worst = Math.max(worst, Math.abs(s[i] - Math.sin(Math.fround(x))), Math.abs(c[i] - Math.cos(Math.fround(x))))));
    expect(worst).toBeLessThan(1e-6);
    tf.dispose([sin, cos]);
  });

  it('is differentiable: d sin = cos, d cos = −sin', () => {
    const x = tf.tensor1d([-2.5, -0.3, 0, 0.7, 3]);
    const ds = tf
      .grad((t: tf.Tensor) => tf.sum(preciseSinCos(t).sin))(x)
      .dataSync();
    const dc = tf
      .grad((t: tf.Tensor) => tf.sum(preciseSinCos(t).cos))(x)
      .dataSync();
    [-2.5, -0.3, 0, 0.7, 3].forEach((v, i) => {
      expect(ds[i]).toBeCloseTo(Math.cos(v), 5);
      expect(dc[i]).toBeCloseTo(-Math.sin(v), 5);
    });
    x.dispose();
  });

  it('does not leak tensors', async () => {
    const x = tf.tensor1d([0.1, 0.2]);
    await expectNoLeak(() => Object.values(preciseSinCos(x)));
    x.dispose();
  });
});
