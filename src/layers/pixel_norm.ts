import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertRank } from '../util/validate.js';
import { singleInput, type LayerArgs } from './common.js';

/**
 * Pixelwise feature normalisation (Progressive GAN, tkarras/progressive_growing_of_gans
 * networks.py `pixel_norm`): `x · rsqrt(mean_c(x²) + ε)` over the channel axis — the last axis here
 * (channels last; the reference is NCHW, axis 1). ε = 1e-8. Works on latents [B, D] and feature maps.
 */
export function pixelNorm(x: tf.Tensor, epsilon = 1e-8): tf.Tensor {
  assertRank('pixelNorm', 'x', x, [2, 3, 4, 5]);
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), epsilon))));
}

export interface PixelNormArgs extends LayerArgs {
  /** Default 1e-8 (reference). */
  epsilon?: number;
}

/** Layer form of {@link pixelNorm}. */
export class PixelNorm extends tfl.layers.Layer {
  static className = 'GankitPixelNorm';
  readonly epsilon: number;

  constructor(args: PixelNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-8;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return pixelNorm(singleInput('PixelNorm', inputs), this.epsilon);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
