import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger, assertRank } from '../util/validate.js';
import { singleInput, type LayerArgs } from './common.js';

/**
 * Minibatch standard deviation (Progressive GAN, tkarras/progressive_growing_of_gans networks.py
 * `minibatch_stddev_layer`), channels last: with `G = min(groupSize, N)` the batch is reshaped to
 * [G, M, H, W, C] (sample n = g·M + m belongs to group m), the group mean is subtracted,
 * `std = sqrt(mean_G(diff²) + 1e-8)`, averaged over H, W, C to one scalar per group, tiled to
 * [N, H, W, 1] and concatenated as one extra channel. N must be divisible by G (as the reference's reshape).
 */
export function minibatchStdDev(x: tf.Tensor, groupSize = 4): tf.Tensor4D {
  const where = 'minibatchStdDev';
  assertRank(where, 'x', x, 4);
  assertPositiveInteger(where, 'groupSize', groupSize);
  const [n, h, w, c] = x.shape;
  const g = Math.min(groupSize, n);
  if (n % g !== 0) throw new Error(`${where}: the batch size must be divisible by the group size ${g}; got 'x' of shape [${x.shape.join(', ')}]`);
  const m = n / g;
  return tf.tidy(() => {
    const y = tf.reshape(x, [g, m, h, w, c]);
    const diff = tf.sub(y, tf.mean(y, 0, true));
    const std = tf.sqrt(tf.add(tf.mean(tf.square(diff), 0), 1e-8)); // [M, H, W, C]
    const s = tf.reshape(tf.mean(std, [1, 2, 3]), [1, m]);
    // Tile over groups at rank 2 (tfjs has no rank-5 tile gradient), then broadcast over H×W.
    const tiled = tf.mul(tf.reshape(tf.tile(s, [g, 1]), [n, 1, 1, 1]), tf.ones([1, h, w, 1]));
    return tf.concat([x, tiled], 3) as tf.Tensor4D;
  });
}

export interface MinibatchStdDevArgs extends LayerArgs {
  /** Default 4 (reference `mbstd_group_size`). */
  groupSize?: number;
}

/** Layer form of {@link minibatchStdDev}: [B, H, W, C] → [B, H, W, C + 1]. */
export class MinibatchStdDev extends tfl.layers.Layer {
  static className = 'GankitMinibatchStdDev';
  readonly groupSize: number;

  constructor(args: MinibatchStdDevArgs = {}) {
    super(args);
    this.groupSize = args.groupSize ?? 4;
    assertPositiveInteger('MinibatchStdDev', 'groupSize', this.groupSize);
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = inputShape as tfl.Shape;
    return [s[0], s[1], s[2], s[3] == null ? null : s[3] + 1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return minibatchStdDev(singleInput('MinibatchStdDev', inputs), this.groupSize);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groupSize: this.groupSize };
  }
}
