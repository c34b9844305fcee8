import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertRank } from '../util/validate.js';
import { listInput, type LayerArgs } from './common.js';
import { spatialAxes } from './instance_norm.js';

/**
 * Adaptive instance normalisation (HoloGAN tools/ops.py `AdaIn`, thunguyenphuoc/HoloGAN@76c35a8):
 * moments over the spatial axes only (1 … rank−2), `x̂ = (x − μ)·rsqrt(σ² + ε)`, `out = s·x̂ + b`,
 * with per-sample, per-channel `scale` and `bias` of shape [B, C] and ε = 1e-8. Works on 2D
 * ([B, H, W, C]) and 3D ([B, D, H, W, C]) feature maps.
 */
export function adaptiveInstanceNorm(x: tf.Tensor, scale: tf.Tensor, bias: tf.Tensor, epsilon = 1e-8): tf.Tensor {
  const where = 'adaptiveInstanceNorm';
  assertRank(where, 'x', x, [3, 4, 5]);
  const [batch] = x.shape;
  const channels = x.shape[x.rank - 1];
  for (const [name, t] of [
    ['scale', scale],
    ['bias', bias],
  ] as const) {
    if (t.rank !== 2 || t.shape[0] !== batch || t.shape[1] !== channels) {
      throw new Error(`${where}: '${name}' must have shape [${batch}, ${channels}] for x of shape [${x.shape.join(', ')}]; got [${t.shape.join(', ')}]`);
    }
  }
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, spatialAxes(x.rank), true);
    const normalized = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon)));
    const bshape = mean.shape; // [B, 1, …, 1, C]
    return tf.add(tf.mul(tf.reshape(scale, bshape), normalized), tf.reshape(bias, bshape));
  });
}

export interface AdaINArgs extends LayerArgs {
  /** Default 1e-8 (HoloGAN). */
  epsilon?: number;
}

/** Layer form of {@link adaptiveInstanceNorm}: inputs `[x, scale [B, C], bias [B, C]]`, no weights. */
export class AdaIN extends tfl.layers.Layer {
  static className = 'GankitAdaIN';
  readonly epsilon: number;

  constructor(args: AdaINArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-8;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    if (!Array.isArray(inputShape[0])) throw new Error('AdaIN: expects three inputs [x, scale, bias]');
    return (inputShape as tfl.Shape[])[0];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [x, scale, bias] = listInput('AdaIN', inputs, 3, 'x, scale, bias');
    return adaptiveInstanceNorm(x, scale, bias, this.epsilon);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
