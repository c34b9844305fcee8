import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger, assertRank } from '../util/validate.js';
import { applyActivation, checkActivation, initializerConfig, singleInput, toInitializer, type GankitActivation, type Initializer, type LayerArgs } from './common.js';

/**
 * Fold the last spatial axis of a [B, A1, A2, A3, C] volume into the channels: [B, A1, A2, A3·C]
 * with combined index `d·C + c` (depth-major, channel-minor) — HoloGAN `model_HoloGAN.py`,
 * `h2_2d = tf.reshape(h2_rotated, [B, 16, 16, 16·C])`.
 */
export function foldDepthIntoChannels(volume: tf.Tensor): tf.Tensor4D {
  assertRank('foldDepthIntoChannels', 'volume', volume, 5);
  const [b, a1, a2, a3, c] = volume.shape;
  return tf.reshape(volume, [b, a1, a2, a3 * c]);
}

export interface ProjectionUnitArgs extends LayerArgs {
  /** Output channels of the 1×1 convolution (HoloGAN 64 px: gf_dim·16 = 1024). */
  filters: number;
  /** Default `'relu'` (64-px generator); the 128-px generator uses `'leakyRelu'` (α 0.2). */
  activation?: GankitActivation;
  /** Leaky slope when `activation` is `'leakyRelu'`; default 0.2 (HoloGAN `lrelu`). */
  alpha?: number;
  useBias?: boolean;
  /** Default N(0, 0.02) (HoloGAN `deconv2d`). */
  kernelInitializer?: Initializer;
}

/**
 * HoloGAN's projection unit (algorithms.md §1.2): depth folded into channels
 * ({@link foldDepthIntoChannels}) then a 1×1 convolution + activation. The reference's 1×1
 * `deconv2d` (stride 1) is the same map as a 1×1 convolution; it is computed as one matrix product
 * over the folded channels. Input [B, A1, A2, A3, C] → [B, A1, A2, filters].
 */
export class ProjectionUnit extends tfl.layers.Layer {
  static className = 'GankitProjectionUnit';
  readonly filters: number;
  readonly activation: GankitActivation;
  readonly alpha: number;
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: ProjectionUnitArgs) {
    super(args);
    assertPositiveInteger('ProjectionUnit', 'filters', args.filters);
    this.filters = args.filters;
    this.activation = checkActivation('ProjectionUnit', args.activation ?? 'relu');
    this.alpha = args.alpha ?? 0.2;
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = toInitializer(args.kernelInitializer, () => tfl.initializers.randomNormal({ mean: 0, stddev: 0.02 }));
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const s = inputShape as tfl.Shape;
    if (s.length !== 5 || s[3] == null || s[4] == null) throw new Error(`ProjectionUnit: input must be [B, A1, A2, A3, C] with known A3 and C; got [${s.join(', ')}]`);
    this.kernel = this.addWeight('kernel', [s[3] * s[4], this.filters], 'float32', this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = inputShape as tfl.Shape;
    return [s[0], s[1], s[2], this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = singleInput('ProjectionUnit', inputs);
    assertRank('ProjectionUnit', 'volume', x, 5);
    const folded = this.kernel!.shape[0];
    const xs = x.shape as number[];
    if (xs[3] * xs[4] !== folded) {
      throw new Error(`ProjectionUnit: 'volume' must have A3·C = ${folded} (the shape it was built for); got [${x.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const [b, a1, a2] = x.shape;
      let y = tf.matMul(tf.reshape(x, [b * a1 * a2, folded]), this.kernel!.read());
      if (this.bias) y = tf.add(y, this.bias.read());
      return tf.reshape(applyActivation(y, this.activation, this.alpha), [b, a1, a2, this.filters]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      activation: this.activation,
      alpha: this.alpha,
      useBias: this.useBias,
      kernelInitializer: initializerConfig(this.kernelInitializer),
    };
  }
}
