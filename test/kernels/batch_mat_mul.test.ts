import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectClose, expectNoLeak, randomNormal } from '../helpers/index.js';
import { runActive, stockCpu } from './reference.js';

describeEachBackend('BatchMatMul with transposed operands (explicit transpose on wasm)', () => {
  it.each([
    { a: [7, 5], b: [7, 3], tA: true, tB: false },
    { a: [5, 7], b: [3, 7], tA: false, tB: true },
    { a: [7, 5], b: [3, 7], tA: true, tB: true },
    { a: [2, 9, 4], b: [2, 9, 6], tA: true, tB: false },
    { a: [3, 4, 9], b: [1, 6, 9], tA: false, tB: true },
    { a: [1, 33, 65], b: [1, 33, 40], tA: true, tB: false },
    { a: [4, 6], b: [6, 5], tA: false, tB: false },
  ])('matches the stock cpu kernel: %o', ({ a, b, tA, tB }) => {
    const x = randomNormal(a, 1);
    const y = randomNormal(b, 2);
    const attrs = { transposeA: tA, transposeB: tB };
    const got = runActive('BatchMatMul', { a: x, b: y }, attrs);
    const want = stockCpu('BatchMatMul', { a: x, b: y }, attrs);
    expect(got.shape).toEqual(want.shape);
    expectClose(got, want.values, { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([x, y, got]);
  });
  it('gives a dense layer the gradients of the explicit formulas (∂x = dy·Wᵀ, ∂W = xᵀ·dy)', () => {
    const x = randomNormal([6, 5], 3);
    const w = randomNormal([5, 4], 4);
    const dy = randomNormal([6, 4], 5);
    const [gx, gw] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p, q), dy)))([x, w]);
    const xs = x.arraySync() as number[][];
    const ws = w.arraySync() as number[][];
    const ds = dy.arraySync() as number[][];
    const wantX = xs.map((_, i) => ws.map((row) => row.reduce((s, wv, k) => s + ds[i][k] * wv, 0)));
    const wantW = ws.map((row, r) => row.map((_, c) => xs.reduce((s, xr, i) => s + xr[r] * ds[i][c], 0)));
    expectClose(gx, wantX, { rtol: 1e-5, atol: 1e-5 });
    expectClose(gw, wantW, { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([x, w, dy, gx, gw]);
  });
  it('reads a float32 tensor cast from int32 or bool (cpu relabels the stored array)', () => {
    const hot = tf.cast(tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3), 'float32');
    const mask = tf.cast(tf.tensor2d([[true, false, true]]), 'float32');
    const w = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expectClose(
      tf.matMul(hot, w),
      [
        [5, 6],
        [1, 2],
      ],
      { atol: 0 },
    );
    expectClose(tf.matMul(mask, w), [[6, 8]], { atol: 0 });
    tf.dispose([hot, mask, w]);
  });
  it('leaks no tensors', async () => {
    const x = randomNormal([9, 4], 6);
    const y = randomNormal([9, 3], 7);
    await expectNoLeak(() => tf.matMul(x, y, true, false));
    tf.dispose([x, y]);
  });
});
