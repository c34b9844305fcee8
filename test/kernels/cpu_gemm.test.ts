import * as tf from '@tensorflow/tfjs-core';
import { afterEach, it } from 'vitest';
import { im2colSettings } from '../../src/backend/kernels/im2col3d.js';
import { sgemm } from '../../src/backend/kernels/js_gemm.js';
import { describeEachBackend, expectClose, expectNoLeak, Random, randomNormal } from '../helpers/index.js';
import { agreesWithCpu as agrees } from './reference.js';

describeEachBackend('cpu GEMM kernels (packed JS GEMM; checked on every backend against the stock cpu kernels)', () => {
  afterEach(() => {
    im2colSettings.columnBudget = 16 * 1024 * 1024;
  });

  it('sgemm equals the naive triple loop for every transpose combination and ragged sizes', () => {
    const rng = new Random(5);
    for (const [M, N, K] of [
      [1, 1, 1],
      [5, 7, 3],
      [9, 4, 300],
      [13, 17, 257],
    ]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const A = Float32Array.from(rng.normalArray(M * K));
          const B = Float32Array.from(rng.normalArray(K * N));
          const C = new Float32Array(M * N);
          sgemm(M, N, K, A, B, C, { transA, transB });
          const want = new Float64Array(M * N);
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              let s = 0;
              for (let k = 0; k < K; k++) s += (transA ? A[k * M + i] : A[i * K + k]) * (transB ? B[j * K + k] : B[k * N + j]);
              want[i * N + j] = s;
            }
          }
          expectClose(C, want, { rtol: 1e-5, atol: 1e-5 });
        }
      }
    }
  });

  it.each([
    { a: [7, 5], b: [5, 3], tA: false, tB: false },
    { a: [5, 7], b: [3, 5], tA: true, tB: true },
    { a: [3, 4, 9], b: [3, 9, 6], tA: false, tB: false },
    { a: [2, 1, 9, 4], b: [9, 6], tA: true, tB: false },
    { a: [1, 6, 9], b: [4, 5, 9], tA: false, tB: true },
  ])('BatchMatMul matches the stock cpu kernel: %o', ({ a, b, tA, tB }) => {
    const x = randomNormal(a, 1);
    const y = randomNormal(b, 2);
    agrees('BatchMatMul', { a: x, b: y }, { transposeA: tA, transposeB: tB });
    tf.dispose([x, y]);
  });

  it('_FusedMatMul with bias and each activation matches the stock cpu kernel', () => {
    // The fused-matMul op hands the kernel rank-3 operands.
    const x = randomNormal([1, 6, 5], 3);
    const w = randomNormal([1, 5, 4], 4);
    const bias = randomNormal([4], 5);
    const alpha = tf.tensor1d([0.1, 0.2, 0.3, 0.4]);
    for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu']) {
      agrees('_FusedMatMul', { a: x, b: w, bias, ...(activation === 'prelu' ? { preluActivationWeights: alpha } : {}) }, { transposeA: false, transposeB: false, activation, leakyreluAlpha: 0.15 });
    }
    tf.dispose([x, w, bias, alpha]);
  });

  it.each([false, true])('Conv2D, FusedConv2D and Conv2DBackpropInput match the stock cpu kernels (chunked: %s)', (chunked) => {
    if (chunked) im2colSettings.columnBudget = 64;
    const cases = [
      { x: [2, 7, 9, 3], k: [3, 3], o: 4, s: 1, pad: 'same', d: 1 },
      { x: [1, 9, 8, 5], k: [4, 4], o: 3, s: 2, pad: 'same', d: 1 },
      { x: [3, 11, 7, 2], k: [4, 3], o: 5, s: [2, 1], pad: 'valid', d: 1 },
      { x: [2, 10, 10, 2], k: [3, 3], o: 2, s: 1, pad: 'same', d: 2 },
      { x: [1, 10, 10, 4], k: [5, 5], o: 2, s: 2, pad: 1, d: 1 },
    ];
    for (const { x, k, o, s, pad, d } of cases) {
      const xs = randomNormal(x, 6);
      const w = randomNormal([k[0], k[1], x[3], o], 7);
      const bias = randomNormal([o], 8);
      const conv = { strides: s, pad, dataFormat: 'NHWC', dilations: d, dimRoundingMode: undefined };
      agrees('Conv2D', { x: xs, filter: w }, conv);
      agrees('FusedConv2D', { x: xs, filter: w, bias }, { ...conv, activation: 'leakyrelu', leakyreluAlpha: 0.2 });
      if (d === 1) {
        const y = tf.conv2d(xs as tf.Tensor4D, w as tf.Tensor4D, s as 1, pad as 'same');
        const dy = randomNormal(y.shape, 9);
        agrees('Conv2DBackpropInput', { dy, filter: w }, { strides: s, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: x });
        tf.dispose([y, dy]);
      }
      tf.dispose([xs, w, bias]);
    }
  });

  it('leaks no tensors', async () => {
    const x = randomNormal([2, 6, 6, 3], 10);
    const w = randomNormal([3, 3, 3, 4], 11);
    const b = randomNormal([4], 12);
    await expectNoLeak(() =>
      tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.fused.conv2d({ x: p as tf.Tensor4D, filter: q as tf.Tensor4D, strides: 2, pad: 'same', bias: b, activation: 'relu' })))([x, w]),
    );
    tf.dispose([x, w, b]);
  });
});
