/**
 * Gradient of `GatherNd` (missing in stock tfjs): y = params[indices] routes each upstream value
 * back to the element it was read from, summing duplicates: ∂params = scatterND(indices, g, shape)
 * (TensorFlow `_GatherNdGrad`, tensorflow/python/ops/array_grad.py). Indices get no gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradientPatch } from './patch.js';

export const gatherNdGradient: GradientPatch = {
  kernelName: 'GatherNd',
  inputsToSave: ['params', 'indices'],
  gradFunc: (g, saved) => {
    const [params, indices] = saved;
    return {
      params: () => tf.scatterND(indices, g as tf.Tensor, params.shape),
      indices: () => tf.zerosLike(indices),
    };
  },
  reason: 'missing: gatherND had no gradient',
};
