import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { singleInput, type LayerArgs } from './common.js';

export interface InstanceMomentsArgs extends LayerArgs {
  /**
   * How mean and variance are joined: 'features' → [B, 2C] (the paper's style statistics) or
   * 'batch' → [2B, C], the reference code's concatenation along axis 0 (HoloGAN issue #3).
   */
  concat?: 'features' | 'batch';
}

/**
 * Per-sample, per-channel mean and variance over the spatial axes of [B, …, C] — the statistics
 * HoloGAN's style discriminator (`discriminator_IN_style_res128`) classifies at each IN layer.
 */
export class InstanceMoments extends tfl.layers.Layer {
  static className = 'GankitInstanceMoments';
  readonly concat: 'features' | 'batch';
  constructor(args: InstanceMomentsArgs = {}) {
    super(args);
    this.concat = args.concat ?? 'features';
    if (this.concat !== 'features' && this.concat !== 'batch') throw new Error(`InstanceMoments: 'concat' must be 'features' or 'batch'; got ${String(this.concat)}`);
  }
  override computeOutputShape(s: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = s as tfl.Shape;
    const b = shape[0];
    const c = shape[shape.length - 1];
    if (this.concat === 'features') return [b, c == null ? null : 2 * c];
    return [b == null ? null : 2 * b, c];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = singleInput('InstanceMoments', inputs);
    const axes = Array.from({ length: x.rank - 2 }, (_, i) => i + 1);
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, axes);
      return tf.concat([mean, variance], this.concat === 'features' ? 1 : 0);
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), concat: this.concat };
  }
}
