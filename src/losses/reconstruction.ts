/**
 * Reconstruction losses: L1, L2 (MSE), sum of squares, cycle consistency and a masked L2.
 * Signature: `(prediction, target, ...) → Scalar`, element-wise means unless stated otherwise.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertShape } from '../util/validate.js';
import { resolveWeight, type WeightOption } from './terms.js';

function checkPair(where: string, prediction: tf.Tensor, target: tf.Tensor): void {
  if (!(prediction instanceof tf.Tensor)) throw new Error(`${where}: 'prediction' must be a tf.Tensor; got ${typeof prediction}`);
  if (!(target instanceof tf.Tensor)) throw new Error(`${where}: 'target' must be a tf.Tensor; got ${typeof target}`);
  if (prediction.dtype !== 'float32') throw new Error(`${where}: 'prediction' must be float32; got ${prediction.dtype}`);
  if (target.dtype !== 'float32') throw new Error(`${where}: 'target' must be float32; got ${target.dtype}`);
  assertShape(where, 'target', target, prediction.shape);
  if (prediction.size === 0) throw new Error(`${where}: 'prediction' must not be empty; got shape [${prediction.shape.join(', ')}]`);
}

/** Mean absolute error over all elements (PyTorch `L1Loss`, reduction 'mean'). */
export function l1Loss(prediction: tf.Tensor, target: tf.Tensor): tf.Scalar {
  checkPair('l1Loss', prediction, target);
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(prediction, target))) as tf.Scalar);
}

/** Mean squared error over all elements (PyTorch `MSELoss` / `F.mse_loss`, reduction 'mean'). */
export function l2Loss(prediction: tf.Tensor, target: tf.Tensor): tf.Scalar {
  checkPair('l2Loss', prediction, target);
  return tf.tidy(() => tf.mean(tf.square(tf.sub(prediction, target))) as tf.Scalar);
}

/** Alias of {@link l2Loss}. */
export const mseLoss = l2Loss;

/**
 * Sum over non-batch elements of squared errors, averaged over the batch:
 * mean_B Σ (p − t)² — the "sum over pixels, mean over batch" reconstruction that β-VAE
 * capacity defaults assume (AntixK/PyTorch-VAE issue #54).
 */
export function sumSquaredError(prediction: tf.Tensor, target: tf.Tensor): tf.Scalar {
  checkPair('sumSquaredError', prediction, target);
  if (prediction.rank < 1) throw new Error(`sumSquaredError: 'prediction' must have a batch axis; got a scalar`);
  return tf.tidy(() => tf.div(tf.sum(tf.square(tf.sub(prediction, target))), prediction.shape[0]) as tf.Scalar);
}

/**
 * Cycle-consistency loss (Zhu et al. 2017; GANimation albertpumarola/GANimation
 * models/ganimation.py: `criterion_cycle = torch.nn.L1Loss()`, `loss_g_cyc = L1(rec_real_img, real_img)·λ_cyc`):
 * weight · mean |G(G(x, c′), c) − x|. Default weight 1 (GANimation trains with λ_cyc = 10).
 */
export function cycleConsistencyLoss(reconstruction: tf.Tensor, original: tf.Tensor, options: WeightOption | number = {}): tf.Scalar {
  checkPair('cycleConsistencyLoss', reconstruction, original);
  const weight = resolveWeight('cycleConsistencyLoss', options);
  return tf.tidy(() => tf.mul(weight, l1Loss(reconstruction, original)) as tf.Scalar);
}

/**
 * Masked L2 with TF1's `compute_weighted_loss` default reduction SUM_BY_NONZERO_WEIGHTS
 * (ali-design/gan_steerability graphs/*\/transform_base.py): Σ w·(p − t)² / #{w ≠ 0}, where
 * `mask` broadcasts to the prediction's shape and the count is over the broadcast weights.
 * Returns 0 when the mask is all zeros (as TF does). Reads nothing on the host, so it can sit in a
 * training step on any backend (the steerability walks' loss).
 */
export function maskedL2Loss(prediction: tf.Tensor, target: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  checkPair('maskedL2Loss', prediction, target);
  const broadcastable = mask.rank <= prediction.rank && mask.shape.every((d, i) => d === 1 || d === prediction.shape[prediction.rank - mask.rank + i]);
  if (!broadcastable) {
    throw new Error(`maskedL2Loss: 'mask' must broadcast to [${prediction.shape.join(', ')}]; got [${mask.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const w = tf.broadcastTo(tf.cast(mask, 'float32'), prediction.shape);
    const num = tf.sum(tf.mul(w, tf.square(tf.sub(prediction, target))));
    const count = tf.sum(tf.cast(tf.notEqual(w, 0), 'float32'));
    return tf.div(num, tf.maximum(count, 1)) as tf.Scalar;
  });
}
