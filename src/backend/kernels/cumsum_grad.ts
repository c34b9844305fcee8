/**
 * Gradient of `Cumsum`: the adjoint of a (forward) cumulative sum is the cumulative sum in the
 * opposite direction, ∂x = cumsum(dy, axis, exclusive, !reverse) (TensorFlow math_grad.py
 * `_CumsumGrad`). Stock tfjs additionally transposes the result by the axis permutation, which
 * `tf.cumsum` already handles: the gradient is wrong (or has the wrong shape) for any axis other
 * than the last.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradientPatch } from './patch.js';

export const cumsumGradient: GradientPatch = {
  kernelName: 'Cumsum',
  inputsToSave: ['x'],
  gradFunc: (dy, _saved, attrs) => {
    const { axis, exclusive, reverse } = attrs as unknown as { axis: number; exclusive: boolean; reverse: boolean };
    return { x: () => tf.cumsum(dy as tf.Tensor, axis, exclusive, !reverse) };
  },
  reason: 'wrong for axis ≠ last: the stock gradient transposes an already-correct result',
};
