/**
 * Matching-aware discriminator loss for conditional GANs (GAN-CLS).
 *
 * Reference: Reed et al. 2016, "Generative Adversarial Text to Image Synthesis", Algorithm 1:
 * `L_D = log s_r + (log(1 − s_w) + log(1 − s_f)) / 2`, where `s_w = D(x, ĥ)` scores a *real* image
 * with a *wrong* condition. Scoring wrong pairs as fake is what forces D to check the condition; a
 * D that only judges realism lets G ignore its label (the failure mode of a plain concat-cGAN on
 * classes that differ in a few pixels, such as facial expressions).
 *
 * gankit keeps the trainer's adversarial D loss as it is (`softplus(−s_r) + softplus(s_f)` for the
 * non-saturating family) and *adds* `weight · softplus(s_w)` = `weight · −log(1 − σ(s_w))`; with
 * `weight = 1` the wrong pairs count as much as the fakes. Algorithm 1 (and reedscot/icml2016) weight
 * the fake and wrong terms ½ each instead; that split is not reproduced here, because it would change
 * the trainer's unconditional fake term.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Random } from '../util/random.js';
import type { WeightOption } from './terms.js';

export type MismatchedConditionLossOptions = WeightOption;

/**
 * `weight · mean(softplus(wrongLogits))`: the D loss term that labels (real image, wrong condition)
 * pairs as fake (GAN-CLS). `wrongLogits` are D's logits of real images under wrong conditions.
 */
export function mismatchedConditionLoss(wrongLogits: tf.Tensor, options: MismatchedConditionLossOptions = {}): tf.Scalar {
  const weight = options.weight ?? 1;
  if (!(wrongLogits instanceof tf.Tensor) || wrongLogits.size === 0) {
    throw new Error(`mismatchedConditionLoss: 'wrongLogits' must be a non-empty tf.Tensor; got ${wrongLogits instanceof tf.Tensor ? `shape [${wrongLogits.shape}]` : typeof wrongLogits}`);
  }
  if (!(Number.isFinite(weight) && weight >= 0)) throw new Error(`mismatchedConditionLoss: 'weight' must be a finite number ≥ 0; got ${weight}`);
  return tf.tidy(() => tf.mul(tf.mean(tf.softplus(wrongLogits)), weight) as tf.Scalar);
}

/**
 * Wrong one-hot conditions: row i becomes class `(argmax(labels[i]) + shifts[i]) mod K`, so with
 * shifts in [1, K − 1] no row keeps its class. Runs on the device (no host read).
 *
 * @param labels one-hot `[B, K]` (K ≥ 2)
 * @param shifts int32 `[B]`, each in [1, K − 1]
 */
export function shiftedOneHot(labels: tf.Tensor2D, shifts: tf.Tensor1D): tf.Tensor2D {
  const where = 'shiftedOneHot';
  if (labels.rank !== 2 || labels.shape[1] < 2) throw new Error(`${where}: 'labels' must be one-hot [B, K] with K ≥ 2; got shape [${labels.shape}]`);
  if (shifts.rank !== 1 || shifts.shape[0] !== labels.shape[0]) {
    throw new Error(`${where}: 'shifts' must be [B] = [${labels.shape[0]}]; got shape [${shifts.shape}]`);
  }
  const k = labels.shape[1];
  return tf.tidy(() => {
    const cls = tf.argMax(labels, 1) as tf.Tensor1D;
    const wrong = tf.mod(tf.add(cls, tf.cast(shifts, 'int32')), k) as tf.Tensor1D;
    // cast: some backends (wasm) return mod of int32 tensors as float32
    return tf.cast(tf.oneHot(tf.cast(wrong, 'int32') as tf.Tensor1D, k), labels.dtype) as tf.Tensor2D;
  });
}

/** Seeded shifts in [1, K − 1] for {@link shiftedOneHot}, drawn on the host (no tensor read). */
export function randomLabelShifts(batch: number, numClasses: number, rng: Random): tf.Tensor1D {
  if (!(Number.isInteger(numClasses) && numClasses >= 2)) throw new Error(`randomLabelShifts: 'numClasses' must be an integer ≥ 2; got ${numClasses}`);
  return tf.tensor1d(
    Int32Array.from({ length: batch }, () => rng.int(1, numClasses)),
    'int32',
  );
}
