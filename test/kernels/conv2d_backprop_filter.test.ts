import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect, it } from 'vitest';
import { im2colSettings } from '../../src/backend/kernels/im2col3d.js';
import { checkGradients, describeEachBackend, expectClose, expectNoLeak, randomNormal } from '../helpers/index.js';
import { runActive, stockCpu } from './reference.js';

type Pad = 'same' | 'valid' | number;
const CASES: { x: [number, number, number, number]; k: [number, number]; o: number; s: number | [number, number]; pad: Pad }[] = [
  { x: [2, 7, 9, 3], k: [3, 3], o: 4, s: 1, pad: 'same' },
  { x: [2, 7, 9, 3], k: [3, 3], o: 4, s: 1, pad: 'valid' },
  { x: [1, 9, 8, 5], k: [4, 4], o: 3, s: 2, pad: 'same' },
  { x: [3, 11, 7, 2], k: [4, 3], o: 5, s: [2, 1], pad: 'valid' },
  { x: [1, 10, 10, 4], k: [5, 5], o: 2, s: 2, pad: 1 },
  { x: [2, 5, 6, 1], k: [1, 1], o: 3, s: 2, pad: 'valid' },
  // ≥ 16 output channels take im2col + matMul on wasm (fewer: one XNNPACK convolution).
  { x: [2, 7, 9, 3], k: [3, 3], o: 16, s: 1, pad: 'same' },
  { x: [1, 9, 8, 5], k: [4, 4], o: 17, s: 2, pad: 'same' },
  { x: [2, 9, 7, 2], k: [4, 3], o: 16, s: 2, pad: 'valid' },
  { x: [2, 8, 8, 4], k: [7, 7], o: 1, s: 1, pad: 'same' },
];

describeEachBackend('Conv2DBackpropFilter (im2col + BatchMatMul)', () => {
  afterEach(() => {
    im2colSettings.columnBudget = 16 * 1024 * 1024;
  });
  it.each(CASES)('matches the stock cpu kernel: x %o', ({ x, k, o, s, pad }) => {
    const xs = randomNormal(x, 1);
    const outShape = tf.conv2d(xs as tf.Tensor4D, tf.zeros([k[0], k[1], x[3], o]) as tf.Tensor4D, s, pad).shape;
    const dy = randomNormal(outShape, 2);
    const attrs = { strides: s, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [k[0], k[1], x[3], o] };
    const got = runActive('Conv2DBackpropFilter', { x: xs, dy }, attrs);
    const want = stockCpu('Conv2DBackpropFilter', { x: xs, dy }, attrs);
    expect(got.shape).toEqual(want.shape);
    expectClose(got, want.values, { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([xs, dy, got]);
  });

  it('matches the stock cpu kernel when the columns are built one sample at a time', () => {
    im2colSettings.columnBudget = 64;
    const xs = randomNormal([3, 7, 6, 4], 3);
    const dy = randomNormal([3, 4, 3, 5], 4);
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [3, 3, 4, 5] };
    const got = runActive('Conv2DBackpropFilter', { x: xs, dy }, attrs);
    expectClose(got, stockCpu('Conv2DBackpropFilter', { x: xs, dy }, attrs).values, { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([xs, dy, got]);
  });

  it('gives conv2d the weight gradient that finite differences give (stride 2, same padding)', () => {
    const x = randomNormal([2, 5, 6, 2], 3);
    const w = randomNormal([3, 3, 2, 3], 4);
    const v = randomNormal([2, 3, 3, 3], 5);
    checkGradients((ww) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, ww as tf.Tensor4D, 2, 'same'), v)) as tf.Scalar, [w]);
    tf.dispose([x, w, v]);
  });

  it('leaks no tensors', async () => {
    const x = randomNormal([1, 6, 6, 2], 6);
    const w = randomNormal([3, 3, 2, 2], 7);
    await expectNoLeak(() => tf.grad((ww: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, ww as tf.Tensor4D, 2, 'same')) as tf.Scalar)(w));
    tf.dispose([x, w]);
  });
});
