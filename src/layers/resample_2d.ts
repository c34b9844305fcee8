import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertRank } from '../util/validate.js';
import { singleInput, type LayerArgs } from './common.js';

/**
 * Progressive GAN's resampling (tkarras/progressive_growing_of_gans networks.py `upscale2d`,
 * `downscale2d`), written with reshapes and broadcasts only so that a gradient penalty can
 * differentiate through them twice (stock pooling/resize gradients are not twice differentiable in tfjs).
 */

/** Nearest-neighbour ×2 upsampling (`upscale2d`): [B, H, W, C] → [B, 2H, 2W, C]. */
export function upscale2d(x: tf.Tensor4D): tf.Tensor4D {
  assertRank('upscale2d', 'x', x, 4);
  const [b, h, w, c] = x.shape;
  return tf.tidy(() => tf.reshape(tf.mul(tf.reshape(x, [b, h, 1, w, 1, c]), tf.ones([1, 1, 2, 1, 2, 1])), [b, 2 * h, 2 * w, c]) as tf.Tensor4D);
}

/** 2×2 box-filter downscaling (`downscale2d`, = avg_pool 2×2): [B, H, W, C] → [B, H/2, W/2, C]. */
export function downscale2d(x: tf.Tensor4D): tf.Tensor4D {
  assertRank('downscale2d', 'x', x, 4);
  const [b, h, w, c] = x.shape;
  if (h % 2 !== 0 || w % 2 !== 0) throw new Error(`downscale2d: H and W must be even; got [${x.shape.join(', ')}]`);
  return tf.tidy(() => tf.mean(tf.reshape(x, [b, h / 2, 2, w / 2, 2, c]), [2, 4]) as tf.Tensor4D);
}

/** Layer form of {@link upscale2d}. */
export class Upscale2D extends tfl.layers.Layer {
  static className = 'GankitUpscale2D';
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override computeOutputShape(s: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [b, h, w, c] = s as tfl.Shape;
    return [b, h == null ? null : 2 * h, w == null ? null : 2 * w, c];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return upscale2d(singleInput('Upscale2D', inputs) as tf.Tensor4D);
  }
}

/** Layer form of {@link downscale2d}. */
export class Downscale2D extends tfl.layers.Layer {
  static className = 'GankitDownscale2D';
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override computeOutputShape(s: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [b, h, w, c] = s as tfl.Shape;
    return [b, h == null ? null : h / 2, w == null ? null : w / 2, c];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return downscale2d(singleInput('Downscale2D', inputs) as tf.Tensor4D);
  }
}
