/**
 * Variable lists from tfjs-layers models, for explicit-variable training.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * The tf.Variables behind a layers model's (or layer's) weights: `'trainable'` (default) for an
 * optimizer's variable list, `'nonTrainable'` (BatchNorm moving statistics, …) or `'all'` for checkpoints.
 */
export function modelVariables(model: tfl.LayersModel | tfl.layers.Layer, which: 'trainable' | 'nonTrainable' | 'all' = 'trainable'): tf.Variable[] {
  const weights = which === 'trainable' ? model.trainableWeights : which === 'nonTrainable' ? model.nonTrainableWeights : model.weights;
  return weights.map((w) => {
    const v = w.read();
    if (!(v instanceof tf.Variable)) throw new Error(`modelVariables: weight '${w.name}' is not backed by a tf.Variable`);
    return v;
  });
}
