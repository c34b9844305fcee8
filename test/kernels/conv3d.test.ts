import * as tf from '@tensorflow/tfjs-core';
import { afterEach, it } from 'vitest';
import { im2colSettings } from '../../src/backend/kernels/im2col3d.js';
import { describeEachBackend, expectNoLeak, randomNormal } from '../helpers/index.js';
import { agreesWithCpu as agrees } from './reference.js';

const CASES = [
  { x: [1, 5, 4, 6, 2], k: [3, 3, 3], o: 3, s: 2, pad: 'same', dil: 1 },
  { x: [2, 4, 5, 3, 3], k: [2, 2, 2], o: 2, s: 1, pad: 'valid', dil: 1 },
  { x: [1, 7, 5, 5, 2], k: [3, 2, 3], o: 2, s: [2, 1, 2], pad: 'valid', dil: 1 },
  { x: [3, 6, 6, 6, 1], k: [3, 3, 3], o: 4, s: 1, pad: 'same', dil: 2 },
  { x: [2, 4, 4, 4, 3], k: [1, 1, 1], o: 2, s: 2, pad: 'same', dil: 1 },
] as const;

describeEachBackend('Conv3D, Conv3DBackpropFilterV2, Conv3DBackpropInputV2 (im2col + BatchMatMul on wasm)', () => {
  afterEach(() => {
    im2colSettings.columnBudget = 16 * 1024 * 1024;
  });
  it.each([false, true])('agree with the stock cpu kernels (sample chunking forced: %s)', (chunked) => {
    if (chunked) im2colSettings.columnBudget = 64; // one sample per chunk
    for (const { x, k, o, s, pad, dil } of CASES) {
      const xs = randomNormal([...x], 1);
      const w = randomNormal([...k, x[4], o], 2);
      agrees('Conv3D', { x: xs, filter: w }, { strides: s, pad, dilations: dil, dataFormat: 'NDHWC' });
      if (dil === 1) {
        const y = tf.conv3d(xs as tf.Tensor5D, w as tf.Tensor5D, s as 1, pad as 'same');
        const dy = randomNormal(y.shape, 3);
        agrees('Conv3DBackpropFilterV2', { x: xs, dy }, { strides: s, pad, filterShape: [...k, x[4], o] });
        agrees('Conv3DBackpropInputV2', { dy, filter: w }, { strides: s, pad, inputShape: [...x] });
        tf.dispose([y, dy]);
      }
      tf.dispose([xs, w]);
    }
  });

  it('leaks no tensors (chunked and whole)', async () => {
    const x = randomNormal([2, 4, 4, 4, 2], 4);
    const w = randomNormal([3, 3, 3, 2, 3], 5);
    const step = () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, 2, 'same'))))([x, w]);
    await expectNoLeak(step);
    im2colSettings.columnBudget = 64;
    await expectNoLeak(step);
    tf.dispose([x, w]);
  });
});
