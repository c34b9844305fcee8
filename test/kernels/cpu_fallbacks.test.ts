import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import { checkGradients, describeEachBackend, expectClose, expectNoLeak, randomNormal } from '../helpers/index.js';
import { agreesWithCpu } from './reference.js';

describeEachBackend('kernels routed to the cpu kernel on wasm', () => {
  it.each([
    { x: [2, 7, 6, 3], k: 3, m: 2, s: 1, pad: 'same' },
    { x: [1, 9, 8, 4], k: 4, m: 1, s: 2, pad: 'valid' },
    { x: [2, 5, 7, 2], k: 3, m: 1, s: 2, pad: 'same' },
  ])('DepthwiseConv2dNativeBackpropInput/Filter agree with cpu: %o', ({ x, k, m, s, pad }) => {
    const xs = randomNormal(x, 1);
    const w = randomNormal([k, k, x[3], m], 2);
    const y = tf.depthwiseConv2d(xs as tf.Tensor4D, w as tf.Tensor4D, s as 1, pad as 'same');
    const dy = randomNormal(y.shape, 3);
    const base = { strides: s, pad, dilations: 1, dimRoundingMode: undefined };
    agreesWithCpu('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...base, inputShape: x });
    agreesWithCpu('DepthwiseConv2dNativeBackpropFilter', { x: xs, dy }, { ...base, filterShape: [k, k, x[3], m] });
    tf.dispose([xs, w, y, dy]);
  });

  it('depthwiseConv2d trains: gradients match finite differences', () => {
    const x = randomNormal([1, 5, 5, 2], 4);
    const w = randomNormal([3, 3, 2, 2], 5);
    const v = randomNormal([1, 3, 3, 4], 6);
    checkGradients((a, b) => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), v)) as tf.Scalar, [x, w]);
    tf.dispose([x, w, v]);
  });

  it("UnsortedSegmentSum agrees with cpu, and gather's gradient works", () => {
    const x = randomNormal([7, 3], 7);
    const ids = tf.tensor1d([0, 2, 2, 1, 0, 4, 2], 'int32');
    agreesWithCpu('UnsortedSegmentSum', { x, segmentIds: ids }, { numSegments: 5 });
    const table = randomNormal([5, 3], 8);
    const idx = tf.tensor1d([4, 0, 4, 2], 'int32');
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, idx))))(table);
    const t = table.arraySync() as number[][];
    const want = t.map((row, i) => row.map((v) => 2 * v * [1, 0, 1, 0, 2][i]));
    expectClose(g, want);
    tf.dispose([x, ids, table, idx, g]);
  });

  it('Einsum runs and equals the batched matMul', () => {
    const a = randomNormal([2, 3, 4], 9);
    const b = randomNormal([2, 4, 5], 10);
    const got = tf.einsum('bij,bjk->bik', a, b);
    const want = tf.matMul(a, b);
    expectClose(got, want);
    tf.dispose([a, b, got, want]);
  });

  it.each([
    { x: [1, 5, 4, 6, 2], k: 3, o: 3, s: 2, pad: 'same' },
    { x: [2, 4, 5, 3, 3], k: 2, o: 2, s: 1, pad: 'valid' },
    { x: [1, 7, 5, 5, 2], k: 3, o: 2, s: 2, pad: 'valid' },
  ])('Conv3DBackpropInputV2/FilterV2 agree with cpu (stock wasm is wrong): %o', ({ x, k, o, s, pad }) => {
    const xs = randomNormal(x, 11);
    const w = randomNormal([k, k, k, x[4], o], 12);
    const y = tf.conv3d(xs as tf.Tensor5D, w as tf.Tensor5D, s as 1, pad as 'same');
    const dy = randomNormal(y.shape, 13);
    agreesWithCpu('Conv3DBackpropInputV2', { dy, filter: w }, { strides: s, pad, inputShape: x });
    agreesWithCpu('Conv3DBackpropFilterV2', { x: xs, dy }, { strides: s, pad, filterShape: [k, k, k, x[4], o] });
    tf.dispose([xs, w, y, dy]);
  });

  it('conv3d gradients (stride 2) and conv3dTranspose forward match finite differences / a naive sum', () => {
    const x = randomNormal([1, 4, 3, 4, 2], 14);
    const w = randomNormal([3, 3, 3, 2, 2], 15);
    const v = randomNormal([1, 2, 2, 2, 2], 16);
    checkGradients((a, b) => tf.sum(tf.mul(tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, 2, 'same'), v)) as tf.Scalar, [x, w]);
    // conv3dTranspose(v, w) is the adjoint of conv3d(·, w): ⟨conv3d(x, w), v⟩ = ⟨x, conv3dTranspose(v, w)⟩.
    const lhs = tf.sum(tf.mul(tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 2, 'same'), v));
    const rhs = tf.sum(tf.mul(x, tf.conv3dTranspose(v as tf.Tensor5D, w as tf.Tensor5D, [1, 4, 3, 4, 2], 2, 'same')));
    expectClose(rhs, lhs, { rtol: 1e-4 });
    tf.dispose([x, w, v, lhs, rhs]);
  });

  it('leaks no tensors', async () => {
    const x = randomNormal([1, 4, 4, 4, 2], 17);
    const w = randomNormal([3, 3, 3, 2, 2], 18);
    await expectNoLeak(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, 2, 'same')))([x, w]));
    tf.dispose([x, w]);
  });
});
