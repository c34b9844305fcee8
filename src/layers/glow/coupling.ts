import * as tf from '@tensorflow/tfjs-core';
import type { Random } from '../../util/random.js';
import { ActnormConv, ZeroConv } from './conv_blocks.js';
import type { FlowOut, MakeWeight } from './flow_common.js';
import { channels, splitChunked, splitInterleaved } from './ops.js';

/** Channel-split convention: 'interleaved' (openai: h[..., 0::2], h[..., 1::2]) or 'chunked' (rosinality: chunk(2)). */
export type ChannelSplit = 'interleaved' | 'chunked';

/**
 * Coupling layer (openai/glow `revnet2d_step`): z1 = first half of the channels conditions z2.
 * f = conv3×3(width)+actnorm → ReLU → conv1×1(width)+actnorm → ReLU → conv2d_zeros.
 * Additive: z2 += f(z1). Affine: h = f(z1), shift/scale split per `split` ('interleaved':
 * shift = h[..., 0::2], scale = σ(h[..., 1::2] + 2); 'chunked' as rosinality: log_s, t = chunk(h),
 * scale = σ(log_s + 2), shift = t); z2 = (z2 + shift)·scale; log-det Σ log scale.
 */
export class Coupling {
  private readonly c1: ActnormConv;
  private readonly c2: ActnormConv;
  private readonly c3: ZeroConv;
  constructor(
    make: MakeWeight,
    prefix: string,
    readonly numChannels: number,
    width: number,
    readonly affine: boolean,
    readonly split: ChannelSplit,
    edgeBias: boolean,
    rng: Random,
  ) {
    const half = numChannels / 2;
    this.c1 = new ActnormConv(make, `${prefix}/l_1`, half, width, 3, edgeBias, rng);
    this.c2 = new ActnormConv(make, `${prefix}/l_2`, width, width, 1, edgeBias, rng);
    this.c3 = new ZeroConv(make, `${prefix}/l_last`, width, affine ? numChannels : half, edgeBias);
  }
  private f(z1: tf.Tensor4D, ddi: boolean): tf.Tensor4D {
    return this.c3.apply(tf.relu(this.c2.apply(tf.relu(this.c1.apply(z1, ddi)), ddi)));
  }
  private shiftScale(h: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D] {
    if (this.split === 'interleaved') {
      const [shift, raw] = splitInterleaved(h);
      return [shift, tf.sigmoid(tf.add(raw, 2)) as tf.Tensor4D];
    }
    const [raw, shift] = splitChunked(h);
    return [shift, tf.sigmoid(tf.add(raw, 2)) as tf.Tensor4D];
  }
  forward(x: tf.Tensor4D, ddi = false): FlowOut {
    const half = this.numChannels / 2;
    const z1 = channels(x, 0, half);
    const z2 = channels(x, half, half);
    const h = this.f(z1, ddi);
    if (!this.affine) return { y: tf.concat([z1, tf.add(z2, h)], 3) as tf.Tensor4D, logdet: tf.scalar(0) };
    const [shift, scale] = this.shiftScale(h);
    const y2 = tf.mul(tf.add(z2, shift), scale);
    return { y: tf.concat([z1, y2], 3) as tf.Tensor4D, logdet: tf.sum(tf.log(scale), [1, 2, 3]) };
  }
  reverse(y: tf.Tensor4D): tf.Tensor4D {
    const half = this.numChannels / 2;
    const z1 = channels(y, 0, half);
    const y2 = channels(y, half, half);
    const h = this.f(z1, false);
    if (!this.affine) return tf.concat([z1, tf.sub(y2, h)], 3) as tf.Tensor4D;
    const [shift, scale] = this.shiftScale(h);
    return tf.concat([z1, tf.sub(tf.div(y2, scale), shift)], 3) as tf.Tensor4D;
  }
}
