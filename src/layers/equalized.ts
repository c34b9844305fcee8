import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger, assertRank } from '../util/validate.js';
import { assertChannels, checkConvPadding, conv2dOutputShape, initializerConfig, nhwcChannels, singleInput, toInitializer, type Initializer, type LayerArgs } from './common.js';

/**
 * The gains Progressive GAN passes to `get_weight` (tkarras/progressive_growing_of_gans networks.py):
 * √2 by default (He, for LeakyReLU/ReLU layers), √2/4 for G's first dense layer (latent → 4×4),
 * 1 for ToRGB and for D's final dense layer.
 */
export const PGGAN_GAINS = Object.freeze({
  default: Math.SQRT2,
  generatorDense4x4: Math.SQRT2 / 4,
  toRGB: 1,
  criticOutputDense: 1,
});

interface EqualizedCommonArgs extends LayerArgs {
  /** Runtime gain; the kernel is multiplied by `gain/√fan_in` at every call. Default √2. */
  gain?: number;
  /** Separate bias, zero-initialised (reference). Default true. */
  useBias?: boolean;
  /** Initialiser of the stored kernel; default N(0, 1) (reference `use_wscale=True`). */
  kernelInitializer?: Initializer;
}

function checkGain(where: string, gain: number): number {
  if (!(gain > 0) || !Number.isFinite(gain)) throw new Error(`${where}: 'gain' must be a positive finite number; got ${gain}`);
  return gain;
}

export interface EqualizedDenseArgs extends EqualizedCommonArgs {
  units: number;
}

/**
 * Dense layer with equalized learning rate (Progressive GAN `dense` with `get_weight(use_wscale=True)`):
 * the stored kernel is N(0, 1) and the layer computes `x·(W·gain/√fan_in) + b`, fan_in = input
 * features. Input [B, …] is flattened to [B, fan_in] as the reference's `dense` does.
 */
export class EqualizedDense extends tfl.layers.Layer {
  static className = 'GankitEqualizedDense';
  readonly units: number;
  readonly gain: number;
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: EqualizedDenseArgs) {
    super(args);
    assertPositiveInteger('EqualizedDense', 'units', args.units);
    this.units = args.units;
    this.gain = checkGain('EqualizedDense', args.gain ?? PGGAN_GAINS.default);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = toInitializer(args.kernelInitializer, () => tfl.initializers.randomNormal({ mean: 0, stddev: 1 }));
  }

  /** The runtime multiplier gain/√fan_in (available after build). */
  get runtimeScale(): number {
    return this.gain / Math.sqrt(this.kernel!.shape[0] as number);
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const s = inputShape as tfl.Shape;
    const rest = s.slice(1);
    if (rest.some((d) => d == null)) throw new Error(`EqualizedDense: input feature dimensions must be known; got [${s.join(', ')}]`);
    const fanIn = (rest as number[]).reduce((a, b) => a * b, 1);
    this.kernel = this.addWeight('kernel', [fanIn, this.units], 'float32', this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return [(inputShape as tfl.Shape)[0], this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = singleInput('EqualizedDense', inputs);
    const fanIn = this.kernel!.shape[0] as number;
    if (x.rank < 2 || x.size / x.shape[0] !== fanIn) {
      throw new Error(`EqualizedDense: 'x' must have ${fanIn} features per sample; got shape [${x.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const w = tf.mul(this.kernel!.read(), this.runtimeScale);
      const y = tf.matMul(tf.reshape(x, [x.shape[0], fanIn]), w);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, gain: this.gain, useBias: this.useBias, kernelInitializer: initializerConfig(this.kernelInitializer) };
  }
}

export interface EqualizedConv2DArgs extends EqualizedCommonArgs {
  filters: number;
  kernelSize: number;
  /** Default 1. */
  strides?: number;
  /** Default 'same' (reference `padding='SAME'`). */
  padding?: 'same' | 'valid';
}

/**
 * 2D convolution with equalized learning rate (Progressive GAN `conv2d` with `use_wscale=True`):
 * stored kernel [k, k, C_in, C_out] ~ N(0, 1), used as `W·gain/√(k·k·C_in)`; separate zero bias.
 */
export class EqualizedConv2D extends tfl.layers.Layer {
  static className = 'GankitEqualizedConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: 'same' | 'valid';
  readonly gain: number;
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: EqualizedConv2DArgs) {
    super(args);
    const where = 'EqualizedConv2D';
    assertPositiveInteger(where, 'filters', args.filters);
    assertPositiveInteger(where, 'kernelSize', args.kernelSize);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides ?? 1;
    assertPositiveInteger(where, 'strides', this.strides);
    this.padding = checkConvPadding(where, args.padding ?? 'same');
    this.gain = checkGain(where, args.gain ?? PGGAN_GAINS.default);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = toInitializer(args.kernelInitializer, () => tfl.initializers.randomNormal({ mean: 0, stddev: 1 }));
  }

  /** The runtime multiplier gain/√(k·k·C_in) (available after build). */
  get runtimeScale(): number {
    const [k1, k2, cin] = this.kernel!.shape as number[];
    return this.gain / Math.sqrt(k1 * k2 * cin);
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const cin = nhwcChannels('EqualizedConv2D', inputShape);
    this.kernel = this.addWeight('kernel', [this.kernelSize, this.kernelSize, cin, this.filters], 'float32', this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return conv2dOutputShape(inputShape, this.kernelSize, this.strides, this.padding, this.filters);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = singleInput('EqualizedConv2D', inputs) as tf.Tensor4D;
    assertRank('EqualizedConv2D', 'x', x, 4);
    const cin = this.kernel!.shape[2];
    assertChannels('EqualizedConv2D', 'x', x, cin);
    return tf.tidy(() => {
      const w = tf.mul(this.kernel!.read(), this.runtimeScale) as tf.Tensor4D;
      const y = tf.conv2d(x, w, this.strides, this.padding);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      gain: this.gain,
      useBias: this.useBias,
      kernelInitializer: initializerConfig(this.kernelInitializer),
    };
  }
}
