import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import { describeEachBackend, expectClose, expectNoLeak, randomNormal } from '../helpers/index.js';
import { runActive, stockCpu } from './reference.js';

describeEachBackend('Tile (block copies on wasm)', () => {
  it.each([
    { shape: [1, 1, 1, 5], reps: [3, 4, 2, 1] },
    { shape: [2, 3], reps: [3, 1] },
    { shape: [2, 1, 3], reps: [1, 5, 2] },
    { shape: [4], reps: [3] },
    { shape: [3, 1], reps: [1, 7] },
    { shape: [2, 3, 1, 2], reps: [2, 1, 3, 2] },
  ])('matches the stock cpu kernel for %o', ({ shape, reps }) => {
    const x = randomNormal(shape, 1);
    const got = runActive('Tile', { x }, { reps });
    const want = stockCpu('Tile', { x }, { reps });
    expectClose(got, want.values, { rtol: 0, atol: 0 });
    tf.dispose([x, got]);
  });
  it('tiles int32 and bool tensors', () => {
    const a = tf.tensor2d([[1, 2]], [1, 2], 'int32');
    const t = tf.tile(a, [2, 2]);
    expectClose(t, [1, 2, 1, 2, 1, 2, 1, 2], { rtol: 0, atol: 0 });
    const b = tf.tile(tf.tensor1d([true, false], 'bool'), [2]);
    expectClose(b, [1, 0, 1, 0], { rtol: 0, atol: 0 });
    tf.dispose([a, t, b]);
  });
  it('leaks no tensors', async () => {
    const x = randomNormal([1, 1, 3], 2);
    await expectNoLeak(() => tf.tile(x, [2, 4, 1]));
    x.dispose();
  });
});
