import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectClose, expectNoLeak, randomNormal } from '../helpers/index.js';

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0];

// Stock tfjs-backend-cpu 4.22 transformed only batch item 0 and returned the fill value for the rest.
describeEachBackend('tf.image.transform on a batch', () => {
  it('transforms every batch item (identity: each item keeps its sum)', () => {
    const out = tf.image.transform(tf.ones([3, 4, 4, 1]) as tf.Tensor4D, tf.tensor2d([IDENTITY, IDENTITY, IDENTITY]));
    expect(Array.from(tf.sum(out, [1, 2, 3]).dataSync())).toEqual([16, 16, 16]);
    out.dispose();
  });

  it.each(['nearest', 'bilinear'] as const)('item b of a batch equals the single-item result with its own transform (%s)', async (interpolation) => {
    const images = randomNormal([3, 6, 5, 2], 1) as tf.Tensor4D;
    const rows = [
      [1, 0, 1.5, 0, 1, -0.5, 0, 0],
      [0.9, -0.2, 0.3, 0.2, 0.9, 0.1, 0, 0],
      [1.2, 0, -1, 0, 0.8, 2, 0.01, 0],
    ];
    const batched = tf.image.transform(images, tf.tensor2d(rows), interpolation, 'constant', 0.5, [7, 4]);
    for (let b = 0; b < 3; b++) {
      const single = tf.image.transform(tf.slice(images, [b, 0, 0, 0], [1, 6, 5, 2]), tf.tensor2d([rows[b]]), interpolation, 'constant', 0.5, [7, 4]);
      expectClose(tf.slice(batched, [b, 0, 0, 0], [1, 7, 4, 2]), single, { rtol: 0, atol: 1e-6 });
    }
    await expectNoLeak(() => tf.tidy(() => tf.image.transform(images, tf.tensor2d(rows), interpolation)));
    tf.dispose([images, batched]);
  });

  it('applies one shared transform to every item', () => {
    const images = randomNormal([2, 5, 5, 1], 2) as tf.Tensor4D;
    const shift = [1, 0, 1, 0, 1, 0, 0, 0];
    const out = tf.image.transform(images, tf.tensor2d([shift]), 'nearest');
    // Output pixel (y, x) reads input (y, x + 1): the last column is the fill value 0.
    expectClose(tf.slice(out, [0, 0, 0, 0], [2, 5, 4, 1]), tf.slice(images, [0, 0, 1, 0], [2, 5, 4, 1]));
    expectClose(tf.slice(out, [0, 0, 4, 0], [2, 5, 1, 1]), tf.zeros([2, 5, 1, 1]));
    tf.dispose([images, out]);
  });
});
