import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import { checkGradients, checkSecondOrder, describeEachBackend, expectClose, expectNoLeak, randomNormal } from '../helpers/index.js';

describeEachBackend('gradients stock tfjs lacks', () => {
  it.each([
    { x: [1, 2, 3, 2, 3], k: 3, o: 2, s: 2, pad: 'same', out: [1, 4, 6, 4, 2] },
    { x: [2, 2, 2, 3, 2], k: 2, o: 3, s: 1, pad: 'valid', out: [2, 3, 3, 4, 3] },
  ])('conv3dTranspose trains: dy and filter gradients match finite differences (%o)', ({ x, k, o, s, pad, out }) => {
    const dy = randomNormal(x, 1);
    const w = randomNormal([k, k, k, o, x[4]], 2);
    const v = randomNormal(out, 3);
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv3dTranspose(a as tf.Tensor5D, b as tf.Tensor5D, out as [number, number, number, number, number], s, pad as 'same'), v)) as tf.Scalar;
    checkGradients(f, [dy, w]);
    tf.dispose([dy, w, v]);
  });

  it('conv2dTranspose is twice differentiable (second order through Conv2DBackpropInput)', () => {
    const w = randomNormal([3, 3, 2, 2], 4);
    const x = randomNormal([1, 3, 3, 2], 5);
    checkSecondOrder((y) => tf.sum(tf.square(tf.conv2dTranspose(y as tf.Tensor4D, w as tf.Tensor4D, [1, 6, 6, 2], 2, 'same'))) as tf.Scalar, x);
    tf.dispose([w, x]);
  });

  it('gatherND: params gradient matches finite differences and sums repeated indices', () => {
    const params = randomNormal([3, 4, 2], 6);
    const indices = tf.tensor2d(
      [
        [0, 1],
        [2, 3],
        [0, 1],
        [1, 0],
      ],
      [4, 2],
      'int32',
    );
    const v = randomNormal([4, 2], 7);
    checkGradients((p) => tf.sum(tf.mul(tf.gatherND(p, indices), v)) as tf.Scalar, [params]);
    const g = tf.grad((p: tf.Tensor) => tf.sum(tf.gatherND(p, indices)))(params);
    const want = new Float32Array(24);
    for (const [i, j] of [
      [0, 1],
      [2, 3],
      [0, 1],
      [1, 0],
    ])
      for (let c = 0; c < 2; c++) want[(i * 4 + j) * 2 + c] += 1;
    expectClose(g, want);
    tf.dispose([params, indices, v, g]);
  });

  it.each([
    { d: 2, pad: 'same' },
    { d: [2, 3], pad: 'valid' },
  ])('conv2d with dilation %o: x and filter gradients match finite differences', ({ d, pad }) => {
    const x = randomNormal([2, 7, 8, 2], 8);
    const w = randomNormal([3, 2, 2, 3], 9);
    const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, pad as 'same', 'NHWC', d as number);
    const v = randomNormal(y.shape, 10);
    checkGradients((a, b) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad as 'same', 'NHWC', d as number), v)) as tf.Scalar, [x, w]);
    tf.dispose([x, w, y, v]);
  });

  it('leaks no tensors', async () => {
    const dy = randomNormal([1, 2, 2, 2, 2], 11);
    const w = randomNormal([3, 3, 3, 2, 2], 12);
    await expectNoLeak(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv3dTranspose(a as tf.Tensor5D, b as tf.Tensor5D, [1, 4, 4, 4, 2], 2, 'same')))([dy, w]));
    const x = randomNormal([1, 6, 6, 2], 13);
    const k = randomNormal([3, 3, 2, 2], 14);
    await expectNoLeak(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same', 'NHWC', 2)))([x, k]));
    tf.dispose([dy, w, x, k]);
  });
});
