import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { singleInput, type LayerArgs } from './common.js';

/** A per-channel bias, zero-initialised (Progressive GAN `apply_bias` after the 4×4 dense + reshape). */
export class ChannelBias extends tfl.layers.Layer {
  static className = 'GankitChannelBias';
  private bias: tfl.LayerVariable | null = null;
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override build(s: tfl.Shape | tfl.Shape[]): void {
    const shape = s as tfl.Shape;
    const c = shape[shape.length - 1];
    if (c == null) throw new Error(`ChannelBias: the channel axis must be known; got [${shape.join(', ')}]`);
    this.bias = this.addWeight('bias', [c], 'float32', tfl.initializers.zeros());
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.add(singleInput('ChannelBias', inputs), this.bias!.read());
  }
}
