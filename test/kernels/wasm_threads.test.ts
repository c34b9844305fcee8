import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { setupBackend } from '../../src/backend/setup.js';
import { expectClose, randomNormal } from '../helpers/index.js';

// This file must be the first to initialise wasm in its process (vitest runs each file in its own fork).
describe('two wasm threads in Node (setupBackend wasmThreads)', () => {
  afterAll(async () => {
    await setupBackend('cpu', { log: () => {} });
  });
  it('starts a 2-thread pool and computes what the cpu backend computes', async () => {
    const x = randomNormal([2, 9, 9, 8], 1);
    const w = randomNormal([3, 3, 8, 16], 2);
    const a = randomNormal([40, 70], 3);
    const b = randomNormal([70, 30], 4);
    const wantConv = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same');
    const wantMm = tf.matMul(a, b);
    const gradOf = (k: tf.Tensor) => tf.grad((kk: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, kk as tf.Tensor4D, 2, 'same'))))(k);
    const wantG = gradOf(w);
    await setupBackend('wasm', { log: () => {}, wasmThreads: 2 });
    expect(tf.getBackend()).toBe('wasm');
    expect(getThreadsCount()).toBe(2);
    const conv = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same');
    const mm = tf.matMul(a, b);
    expectClose(conv, wantConv, { rtol: 1e-4, atol: 1e-4 });
    expectClose(mm, wantMm, { rtol: 1e-4, atol: 1e-4 });
    // The training kernels work on the threaded module too.
    const g = gradOf(w);
    expectClose(g, wantG, { rtol: 1e-4, atol: 1e-3 });
    tf.dispose([x, w, a, b, wantConv, wantMm, wantG, conv, mm, g]);
  });
  it('rejects a bad thread count', async () => {
    const { prepareWasmThreads } = await import('../../src/backend/wasm_threads.js');
    await expect(prepareWasmThreads(0)).rejects.toThrow(/threads must be a positive integer; got 0/);
  });
});
