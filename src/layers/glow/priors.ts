import * as tf from '@tensorflow/tfjs-core';
import type { ChannelSplit } from './coupling.js';
import { ZeroConv } from './conv_blocks.js';
import type { MakeWeight } from './flow_common.js';
import { splitChunked, splitInterleaved } from './ops.js';

/**
 * Learned Gaussian prior of a split (openai/glow `split2d_prior`): h = conv2d_zeros(z1, 2·C2),
 * mean/logs split per `split` ('interleaved' as openai: mean = h[..., 0::2], logs = h[..., 1::2];
 * 'chunked' as rosinality).
 */
export class SplitPrior {
  private readonly conv: ZeroConv;
  constructor(
    make: MakeWeight,
    prefix: string,
    inChannels: number,
    outChannels: number,
    readonly split: ChannelSplit,
    edgeBias: boolean,
  ) {
    this.conv = new ZeroConv(make, `${prefix}/conv`, inChannels, 2 * outChannels, edgeBias);
  }
  meanLogs(z1: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D] {
    const h = this.conv.apply(z1);
    return this.split === 'interleaved' ? splitInterleaved(h) : splitChunked(h);
  }
}

/**
 * Top prior (openai/glow `prior`): h = zeros [B, h, w, 2C], optionally `conv2d_zeros(h)` (learntop);
 * mean = h[..., :C], logs = h[..., C:] (chunked in openai too).
 */
export class TopPrior {
  private readonly conv: ZeroConv | null;
  constructor(
    make: MakeWeight,
    prefix: string,
    readonly numChannels: number,
    learnTop: boolean,
    edgeBias: boolean,
  ) {
    this.conv = learnTop ? new ZeroConv(make, `${prefix}/p`, 2 * numChannels, 2 * numChannels, edgeBias) : null;
  }
  meanLogs(batch: number, h: number, w: number): [tf.Tensor4D, tf.Tensor4D] {
    let p = tf.zeros([batch, h, w, 2 * this.numChannels]) as tf.Tensor4D;
    if (this.conv) p = this.conv.apply(p);
    return splitChunked(p);
  }
}
