import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Random } from '../../util/random.js';
import { ActNorm } from './actnorm.js';
import { conv, LOGSCALE_FACTOR, type MakeWeight, normalInit } from './flow_common.js';

/** openai/glow tfops `conv2d` (do_actnorm): bias-free conv (N(0, 0.05) init, edge-bias SAME padding) followed by actnorm. */
export class ActnormConv {
  private readonly w: tfl.LayerVariable;
  private readonly norm: ActNorm;
  constructor(
    make: MakeWeight,
    prefix: string,
    inChannels: number,
    width: number,
    readonly kernel: 1 | 3,
    readonly edgeBias: boolean,
    rng: Random,
  ) {
    const cin = inChannels + (kernel === 3 && edgeBias ? 1 : 0);
    this.w = make(`${prefix}/W`, [kernel, kernel, cin, width], normalInit([kernel, kernel, cin, width], 0.05, rng));
    this.norm = new ActNorm(make, `${prefix}/actnorm`, width);
  }
  apply(x: tf.Tensor4D, ddi: boolean): tf.Tensor4D {
    const h = conv(x, this.w.read(), this.kernel, this.edgeBias);
    if (ddi) this.norm.initFrom(h);
    return this.norm.forward(h).y;
  }
}

/** openai/glow tfops `conv2d_zeros`: zero-initialised 3×3 conv + bias, output scaled by exp(3·logs). */
export class ZeroConv {
  private readonly w: tfl.LayerVariable;
  private readonly b: tfl.LayerVariable;
  private readonly logs: tfl.LayerVariable;
  constructor(
    make: MakeWeight,
    prefix: string,
    inChannels: number,
    readonly outChannels: number,
    readonly edgeBias: boolean,
  ) {
    const cin = inChannels + (edgeBias ? 1 : 0);
    this.w = make(`${prefix}/W`, [3, 3, cin, outChannels], null);
    this.b = make(`${prefix}/b`, [outChannels], null);
    this.logs = make(`${prefix}/logs`, [outChannels], null);
  }
  apply(x: tf.Tensor4D): tf.Tensor4D {
    const h = tf.add(conv(x, this.w.read(), 3, this.edgeBias), this.b.read());
    return tf.mul(h, tf.exp(tf.mul(this.logs.read(), LOGSCALE_FACTOR))) as tf.Tensor4D;
  }
}
