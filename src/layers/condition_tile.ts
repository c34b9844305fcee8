import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertRank } from '../util/validate.js';
import { listInput, type LayerArgs } from './common.js';

/**
 * Tile a condition vector over the spatial grid and concatenate it after the feature channels:
 * `[x [B, H, W, C], c [B, K]] → [B, H, W, C + K]` — GANimation
 * networks/generator_wasserstein_gan.py `forward`: `c.unsqueeze(2).unsqueeze(3).expand(…)`,
 * `torch.cat([x, c], dim=1)` (image first, then the AU vector).
 */
export function conditionTile(x: tf.Tensor, condition: tf.Tensor): tf.Tensor4D {
  const where = 'conditionTile';
  assertRank(where, 'x', x, 4);
  if (condition.rank !== 2 || condition.shape[0] !== x.shape[0]) {
    throw new Error(`${where}: 'condition' must have shape [${x.shape[0]}, K]; got [${condition.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const [b, h, w] = x.shape;
    const k = (condition.shape as number[])[1];
    const tiled = tf.tile(tf.reshape(condition, [b, 1, 1, k]), [1, h, w, 1]);
    return tf.concat([x, tiled], 3) as tf.Tensor4D;
  });
}

/** Layer form of {@link conditionTile}: inputs `[x, condition]`, no weights. */
export class ConditionTile extends tfl.layers.Layer {
  static className = 'GankitConditionTile';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shapes = inputShape as tfl.Shape[];
    if (!Array.isArray(shapes[0]) || shapes.length !== 2) throw new Error('ConditionTile: expects two inputs [x, condition]');
    const [x, c] = shapes;
    const channels = x[3] == null || c[1] == null ? null : x[3] + c[1];
    return [x[0], x[1], x[2], channels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [x, c] = listInput('ConditionTile', inputs, 2, 'x, condition');
    return conditionTile(x, c);
  }
}
