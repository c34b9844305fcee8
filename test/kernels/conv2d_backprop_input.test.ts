import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { checkGradients, describeEachBackend, expectClose, expectNoLeak, randomNormal } from '../helpers/index.js';
import { runActive, stockCpu } from './reference.js';

type Pad = 'same' | 'valid' | number;
// dx shape, kernel, dy channels, stride, padding — odd sizes, kernel < stride, k not divisible by s.
const CASES: { x: [number, number, number, number]; k: [number, number]; o: number; s: number | [number, number]; pad: Pad }[] = [
  { x: [2, 8, 8, 3], k: [4, 4], o: 5, s: 2, pad: 'same' },
  { x: [1, 7, 9, 2], k: [3, 3], o: 4, s: 2, pad: 'same' },
  { x: [2, 9, 7, 3], k: [3, 2], o: 2, s: [2, 3], pad: 'valid' },
  { x: [1, 6, 6, 4], k: [3, 3], o: 3, s: 1, pad: 'same' },
  { x: [2, 5, 8, 2], k: [2, 3], o: 3, s: 1, pad: 'valid' },
  { x: [1, 11, 10, 2], k: [5, 5], o: 2, s: 3, pad: 2 },
  { x: [1, 9, 9, 3], k: [1, 1], o: 2, s: 2, pad: 'valid' },
  { x: [3, 10, 10, 2], k: [4, 4], o: 3, s: 2, pad: 'valid' },
  // ≥ 16 dx channels take the phase-convolution path on wasm (fewer take matMul + col2im).
  { x: [1, 7, 9, 16], k: [3, 3], o: 4, s: 2, pad: 'same' },
  { x: [2, 8, 8, 17], k: [4, 4], o: 3, s: 2, pad: 'valid' },
  { x: [1, 6, 5, 16], k: [3, 2], o: 2, s: [2, 3], pad: 1 },
  { x: [1, 9, 9, 16], k: [5, 5], o: 2, s: 3, pad: 'same' },
];

describeEachBackend('Conv2DBackpropInput (conv2dTranspose forward, conv2d input gradient)', () => {
  it.each(CASES)('matches the stock cpu kernel: dx %o', ({ x, k, o, s, pad }) => {
    const w = randomNormal([k[0], k[1], x[3], o], 1);
    const outShape = tf.conv2d(tf.zeros(x) as tf.Tensor4D, w as tf.Tensor4D, s, pad).shape;
    const dy = randomNormal(outShape, 2);
    const attrs = { strides: s, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: x };
    const got = runActive('Conv2DBackpropInput', { dy, filter: w }, attrs);
    const want = stockCpu('Conv2DBackpropInput', { dy, filter: w }, attrs);
    expect(got.shape).toEqual(want.shape);
    expectClose(got, want.values, { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([w, dy, got]);
  });

  it('conv2dTranspose gradients match finite differences (stride 2, same)', () => {
    const x = randomNormal([2, 3, 3, 3], 3);
    const w = randomNormal([4, 4, 2, 3], 4);
    const v = randomNormal([2, 6, 6, 2], 5);
    checkGradients((a, b) => tf.sum(tf.mul(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 6, 6, 2], 2, 'same'), v)) as tf.Scalar, [x, w]);
    tf.dispose([x, w, v]);
  });

  it('leaks no tensors', async () => {
    const x = randomNormal([1, 3, 3, 2], 6);
    const w = randomNormal([4, 4, 2, 2], 7);
    await expectNoLeak(() => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [1, 6, 6, 2], 2, 'same'));
    tf.dispose([x, w]);
  });
});
