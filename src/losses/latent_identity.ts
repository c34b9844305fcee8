/**
 * HoloGAN latent (identity) reconstruction loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertShape } from '../util/validate.js';

export interface LatentIdentityOptions {
  /** λ_latent. Default 1 (the reference config's default is 0.0, i.e. off; its README enables it at 128 px). */
  weight?: number;
  /**
   * Apply tanh to `predicted` first. Default false: HoloGAN's latent head already ends in tanh
   * (matching z ~ U(−1, 1)); set true when passing the head's raw pre-activation.
   */
  applyTanh?: boolean;
}

/**
 * HoloGAN identity loss (thunguyenphuoc/HoloGAN@76c35a8 model_HoloGAN.py `q_loss`):
 * λ_latent · mean((Q(G(z)) − z)²), where Q is the discriminator's latent head (ending in tanh).
 * The reference adds the same term to **both** `d_loss` and `g_loss` (Q trains with D, G is pushed
 * to keep z recoverable).
 */
export function latentIdentityLoss(predicted: tf.Tensor, z: tf.Tensor, options: LatentIdentityOptions = {}): tf.Scalar {
  if (predicted.rank < 2) throw new Error(`latentIdentityLoss: 'predicted' must be [B, zDim]; got shape [${predicted.shape.join(', ')}]`);
  assertShape('latentIdentityLoss', 'z', z, predicted.shape);
  const { weight = 1, applyTanh = false } = options;
  return tf.tidy(() => {
    const q = applyTanh ? tf.tanh(predicted) : predicted;
    return tf.mul(weight, tf.mean(tf.square(tf.sub(q, z)))) as tf.Scalar;
  });
}
