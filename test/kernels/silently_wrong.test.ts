import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import { checkGradients, checkSecondOrder, describeEachBackend, expectNoLeak, Random, randomNormal } from '../helpers/index.js';

// Each case here returned a silently wrong gradient in stock tfjs 4.22 on cpu, wasm or both
// (docs/tfjs-facts.md); full finite differences catch it.
describeEachBackend('gradients that stock tfjs got silently wrong', () => {
  it.each([
    { size: [7, 9], align: false, half: true },
    { size: [3, 4], align: false, half: true },
    { size: [8, 5], align: true, half: false },
    { size: [9, 7], align: false, half: false },
  ])('resizeBilinear (batch 2, 5×4 input) → %o', ({ size, align, half }) => {
    const x = randomNormal([2, 5, 4, 2], 1);
    const v = randomNormal([2, size[0], size[1], 2], 2);
    checkGradients((a) => tf.sum(tf.mul(tf.image.resizeBilinear(a as tf.Tensor4D, size as [number, number], align, half), v)) as tf.Scalar, [x]);
    tf.dispose([x, v]);
  });

  it.each([
    { size: [7, 9], align: false, half: false },
    { size: [7, 9], align: false, half: true },
    { size: [3, 2], align: true, half: false },
  ])('resizeNearestNeighbor (batch 3, 5×4 input) → %o', ({ size, align, half }) => {
    const x = randomNormal([3, 5, 4, 2], 3);
    const v = randomNormal([3, size[0], size[1], 2], 4);
    checkGradients((a) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(a as tf.Tensor4D, size as [number, number], align, half), v)) as tf.Scalar, [x]);
    tf.dispose([x, v]);
  });

  it.each(['reflect', 'symmetric'] as const)('mirrorPad (%s) on 3 axes, and its second order', (mode) => {
    const x = randomNormal([2, 5, 4, 3], 5);
    const pads: [number, number][] = [
      [0, 0],
      [2, 3],
      [mode === 'reflect' ? 3 : 4, 1],
      [1, 0],
    ];
    const padded = tf.mirrorPad(x, pads, mode);
    const v = randomNormal(padded.shape, 6);
    checkGradients((a) => tf.sum(tf.mul(tf.mirrorPad(a, pads, mode), v)) as tf.Scalar, [x]);
    const small = randomNormal([1, 4, 3, 1], 7);
    checkSecondOrder(
      (a) =>
        tf.sum(
          tf.square(
            tf.mul(
              tf.mirrorPad(
                a,
                [
                  [0, 0],
                  [1, 2],
                  [2, 1],
                  [0, 0],
                ],
                mode,
              ),
              tf.tanh(
                a.size > 0
                  ? tf.mirrorPad(
                      a,
                      [
                        [0, 0],
                        [1, 2],
                        [2, 1],
                        [0, 0],
                      ],
                      mode,
                    )
                  : a,
              ),
            ),
          ),
        ) as tf.Scalar,
      small,
    );
    tf.dispose([x, padded, v, small]);
  });

  it('maxPool where every window max is negative', () => {
    // Negative values at least 0.02 apart (a permutation of a grid), so ±eps never swaps a max.
    const perm = new Random(8).permutation(60);
    const x = tf.tensor4d(
      Array.from(perm, (k) => -5 + 0.02 * k),
      [1, 6, 5, 2],
    );
    const y = tf.maxPool(x as tf.Tensor4D, 2, 2, 'same');
    const v = randomNormal(y.shape, 9);
    checkGradients((a) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'same'), v)) as tf.Scalar, [x], { eps: 1e-3 });
    checkGradients((a) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 3, 1, 'valid'), randomNormal([1, 4, 3, 2], 10))) as tf.Scalar, [x], { eps: 1e-3 });
    tf.dispose([x, y, v]);
  });

  it('leaks no tensors', async () => {
    const x = randomNormal([2, 4, 3, 1], 11);
    await expectNoLeak(() =>
      tf.grad((a: tf.Tensor) =>
        tf.add(
          tf.sum(tf.image.resizeBilinear(a as tf.Tensor4D, [5, 7], false, true)),
          tf.add(
            tf.sum(tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [5, 7])),
            tf.sum(
              tf.mirrorPad(
                a,
                [
                  [0, 0],
                  [1, 1],
                  [2, 1],
                  [0, 0],
                ],
                'reflect',
              ),
            ),
          ),
        ),
      )(x),
    );
    x.dispose();
  });
});
