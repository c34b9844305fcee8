/**
 * Zero gradients for comparison and logical ops.
 *
 * Stock tfjs differentiates `leakyRelu`, `maximum`, `minimum`, `relu6`, `selu`, `prelu` and
 * `clipByValue` through masks built with `greater`, `less`, `lessEqual`, `logicalAnd`, … . Their
 * first-order gradients never differentiate the mask, but a second-order gradient (WGAN-GP, R1)
 * differentiates the first gradient graph, and tfjs then fails with "gradient function not found
 * for Greater". A comparison is piecewise constant, so its derivative is zero almost everywhere
 * (TensorFlow registers the same: tensorflow/python/ops/math_grad.py, `ops.NotDifferentiable("Greater")`).
 * `GreaterEqual` already has a zero gradient in tfjs and is left alone.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradientPatch } from './patch.js';

/** Binary comparison/logical kernels whose stock gradient is missing. */
export const ZERO_GRADIENT_BINARY_KERNELS = ['Greater', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'LogicalAnd', 'LogicalOr', 'LogicalXor'] as const;
/** Unary logical kernels whose stock gradient is missing. */
export const ZERO_GRADIENT_UNARY_KERNELS = ['LogicalNot'] as const;

function zerosFloat(t: tf.Tensor): tf.Tensor {
  return tf.zeros(t.shape, 'float32');
}

/** The zero-gradient patches, one per kernel. */
export const comparisonGradients: GradientPatch[] = [
  ...ZERO_GRADIENT_BINARY_KERNELS.map((kernelName): GradientPatch => ({
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [a, b] = saved;
      return { a: () => zerosFloat(a), b: () => zerosFloat(b) };
    },
    reason: 'missing: comparisons need a (zero) gradient for second-order gradients through leakyRelu/maximum/minimum/relu6/selu/clipByValue',
  })),
  ...ZERO_GRADIENT_UNARY_KERNELS.map((kernelName): GradientPatch => ({
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [x] = saved;
      return { x: () => zerosFloat(x) };
    },
    reason: 'missing: logicalNot appears in the gradient of where/maximum; zero gradient for second order',
  })),
];
