import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { singleInput, type LayerArgs } from './common.js';

export interface L2NormalizeArgs extends LayerArgs {
  /** Added under the square root (default 1e-10). */
  epsilon?: number;
}

/** x / √(Σ x² + ε) along the last axis (a layer, since tfjs-layers has no Lambda). */
export class L2Normalize extends tfl.layers.Layer {
  static className = 'GankitL2Normalize';
  readonly epsilon: number;
  constructor(args: L2NormalizeArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-10;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = singleInput('L2Normalize', inputs);
    return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), -1, true), this.epsilon))));
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
