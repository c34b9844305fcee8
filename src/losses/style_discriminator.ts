/**
 * HoloGAN's style-discriminator loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bceDiscriminatorLoss } from './adversarial.js';
import { resolveWeight, type WeightOption } from './terms.js';
import { addAll } from '../util/add_all.js';

/**
 * HoloGAN style loss (thunguyenphuoc/HoloGAN@76c35a8 model_HoloGAN.py `discriminator_IN_style_res128`,
 * `d_h1_loss … d_h4_loss`): for every instance-norm layer k, a linear classifier on that layer's
 * feature statistics gives real/fake logits, and
 * L = DStyle_lambda · Σ_k [CE(real_k, 1) + CE(fake_k, 0)]   (sigmoid cross-entropy, batch means).
 * Added to the **D loss only** (the reference gives G no style term). `realLogits[k]` /
 * `fakeLogits[k]` are the per-layer logits. (The reference concatenates the IN means and variances
 * along the batch axis — issue #3 — which concerns the feature layer, not this loss.)
 */
export function styleDiscriminatorLoss(realLogits: tf.Tensor[], fakeLogits: tf.Tensor[], options: WeightOption | number = {}): tf.Scalar {
  const weight = resolveWeight('styleDiscriminatorLoss', options);
  if (!Array.isArray(realLogits) || realLogits.length === 0 || !Array.isArray(fakeLogits) || fakeLogits.length !== realLogits.length) {
    throw new Error(
      `styleDiscriminatorLoss: 'realLogits' and 'fakeLogits' must be non-empty arrays of equal length (one per layer); got ${Array.isArray(realLogits) ? realLogits.length : typeof realLogits} and ${Array.isArray(fakeLogits) ? fakeLogits.length : typeof fakeLogits}`,
    );
  }
  return tf.tidy(() => tf.mul(weight, addAll(realLogits.map((r, k) => bceDiscriminatorLoss(r, fakeLogits[k])))) as tf.Scalar);
}
