/**
 * Perceptual (feature-matching) loss over chosen layers of a frozen feature extractor.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertShape } from '../util/validate.js';
import { l2Loss } from './reconstruction.js';
import { addAll } from '../util/add_all.js';

/** A frozen feature extractor: images → the chosen layers' activations, in a fixed order. */
export type FeatureExtractor = (x: tf.Tensor) => tf.Tensor[];

/**
 * Perceptual (feature) loss: Σ_l w_l · MSE(φ_l(x̂), φ_l(x)) over the layers returned by
 * `features` (DFC-VAE, Hou et al. 2017; dfcvae.py `feature_loss`, each term `F.mse_loss`, w_l = 1).
 */
export interface PerceptualLossOptions {
  /** w_l per layer. Default 1 each. */
  layerWeights?: number[];
}

export function perceptualLoss(features: FeatureExtractor, prediction: tf.Tensor, target: tf.Tensor, options: PerceptualLossOptions | number[] = {}): tf.Scalar {
  // an array is the deprecated positional form of { layerWeights }
  const layerWeights = Array.isArray(options) ? options : options.layerWeights;
  if (typeof features !== 'function') throw new Error(`perceptualLoss: 'features' must be a function x → tensors; got ${typeof features}`);
  assertShape('perceptualLoss', 'target', target, prediction.shape);
  return tf.tidy(() => {
    const fp = features(prediction);
    const ft = features(target);
    if (!Array.isArray(fp) || fp.length === 0 || fp.length !== ft.length) {
      throw new Error(`perceptualLoss: 'features' must return a non-empty array of tensors; got ${Array.isArray(fp) ? fp.length : typeof fp} items`);
    }
    if (layerWeights != null && layerWeights.length !== fp.length) {
      throw new Error(`perceptualLoss: 'layerWeights' must have one weight per layer (${fp.length}); got ${layerWeights.length}`);
    }
    const terms = fp.map((f, i) => tf.mul(layerWeights?.[i] ?? 1, l2Loss(f, ft[i])));
    return (terms.length === 1 ? terms[0] : addAll(terms)) as tf.Scalar;
  });
}

/**
 * A {@link FeatureExtractor} that returns the outputs of the named layers of a (frozen) layers
 * model, e.g. a VGG-style classifier: builds one multi-output model sharing the weights. The
 * extractor's weights are never in a trainer's variable lists, so they stay frozen.
 */
export function layerFeatureExtractor(model: tfl.LayersModel, layerNames: string[]): FeatureExtractor {
  if (!Array.isArray(layerNames) || layerNames.length === 0) {
    throw new Error(`layerFeatureExtractor: 'layerNames' must be a non-empty array; got ${JSON.stringify(layerNames)}`);
  }
  const known = model.layers.map((l) => l.name);
  const outputs = layerNames.map((name) => {
    if (!known.includes(name)) throw new Error(`layerFeatureExtractor: layer '${name}' is not in the model; layers: ${known.join(', ')}`);
    return model.getLayer(name).output as tfl.SymbolicTensor;
  });
  const extractor = tfl.model({ inputs: model.inputs, outputs });
  return (x: tf.Tensor) => {
    const out = extractor.apply(x) as tf.Tensor | tf.Tensor[];
    return Array.isArray(out) ? out : [out];
  };
}
