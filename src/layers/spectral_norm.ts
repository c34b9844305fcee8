import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger, assertRank } from '../util/validate.js';
import {
  applyActivation,
  assertChannels,
  checkActivation,
  checkConvPadding,
  conv2dOutputShape,
  initializerConfig,
  nhwcChannels,
  singleInput,
  toInitializer,
  type GankitActivation,
  type Initializer,
  type LayerArgs,
} from './common.js';

export interface SpectralNormalizeOptions {
  /** Power iterations per call; default 1 (reference). */
  iterations?: number;
  /** Added to the norm in `l2_norm`; default 1e-12 (reference). */
  epsilon?: number;
  /**
   * Treat the power-iteration vectors as constants in the gradient (PyTorch `spectral_norm`,
   * Miyato et al.). Default false: the HoloGAN reference (TF graph, no `stop_gradient`)
   * differentiates through u and v as well.
   */
  stopGradient?: boolean;
}

/** Identity whose gradient is zero (tfjs has no `stopGradient`). */
const stopGradient = tf.customGrad(((x: tf.Tensor) => ({ value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) })) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
  x: tf.Tensor,
) => tf.Tensor;

/**
 * Spectral normalisation of a kernel by power iteration (HoloGAN tools/ops.py `spectral_norm`,
 * thunguyenphuoc/HoloGAN@76c35a8; Miyato et al. 2018): with `W` reshaped to [−1, out]
 * (any kernel shape: dense [in, out], conv [k, k, in, out]) and `u` of shape [1, out],
 * `v = l2(u·Wᵀ)`, `u′ = l2(v·W)` (repeated `iterations` times), `σ = v·W·u′ᵀ`, result `W/σ`.
 * `l2(x) = x/(‖x‖ + ε)`. Returns the normalised kernel (original shape), the updated `u` (to store
 * as the persistent estimate) and σ.
 */
export function spectralNormalize(kernel: tf.Tensor, u: tf.Tensor, options: SpectralNormalizeOptions = {}): { kernel: tf.Tensor; u: tf.Tensor2D; sigma: tf.Scalar } {
  const where = 'spectralNormalize';
  const { iterations = 1, epsilon = 1e-12, stopGradient: stopGrad = false } = options;
  assertPositiveInteger(where, 'iterations', iterations);
  if (kernel.rank < 2) throw new Error(`${where}: 'kernel' must have rank >= 2; got shape [${kernel.shape.join(', ')}]`);
  const out = kernel.shape[kernel.rank - 1];
  if (u.rank !== 2 || u.shape[0] !== 1 || u.shape[1] !== out) {
    throw new Error(`${where}: 'u' must have shape [1, ${out}] for a kernel of shape [${kernel.shape.join(', ')}]; got [${u.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const w = tf.reshape(kernel, [-1, out]);
    const l2 = (x: tf.Tensor) => tf.div(x, tf.add(tf.sqrt(tf.sum(tf.square(x))), epsilon));
    const wIter = stopGrad ? stopGradient(w) : w;
    let uHat: tf.Tensor = u;
    let vHat: tf.Tensor = u;
    for (let i = 0; i < iterations; i++) {
      vHat = l2(tf.matMul(uHat, wIter, false, true));
      uHat = l2(tf.matMul(vHat, wIter));
    }
    const sigma = tf.reshape(tf.matMul(tf.matMul(vHat, w), uHat, false, true), []) as tf.Scalar;
    return { kernel: tf.div(kernel, sigma), u: uHat as tf.Tensor2D, sigma };
  });
}

/** When a spectral-norm layer writes the new power-iteration estimate into its `u` weight. */
export type SpectralNormUpdate = 'always' | 'training';

interface SpectralNormCommonArgs extends LayerArgs {
  /** Default `'always'`: every call updates u (the reference's `u.assign` runs whenever the TF graph
   * evaluates the layer). `'training'`: only calls with `{training: true}` (PyTorch/Keras behaviour). */
  update?: SpectralNormUpdate;
  /** Default 1. */
  powerIterations?: number;
  /** See {@link SpectralNormalizeOptions.stopGradient}; default false (reference). */
  stopGradient?: boolean;
  useBias?: boolean;
  activation?: GankitActivation;
  /** LeakyReLU slope when `activation` is `'leakyRelu'`; default 0.2. */
  alpha?: number;
  /** Kernel initialiser; default truncated N(0, 0.02) (reference `conv2d_specNorm`). */
  kernelInitializer?: Initializer;
  /**
   * Initialiser of the power-iteration vector u; default truncated N(0, 1) (reference). Pass a
   * seeded one (model builders do) so that two runs with the same seed are identical.
   */
  uInitializer?: Initializer;
}

/**
 * Shared machinery of the spectrally normalised layers. Design: the layers own their kernel and
 * the persistent `u` (a non-trainable weight, so it is saved and loaded with the model) rather
 * than wrapping a tfjs Dense/Conv2D — those read their own kernel variable inside `call`, so a
 * wrapper could not substitute `W/σ` without overwriting the variable, which would break the
 * gradient path to the raw kernel.
 */
abstract class SpectralNormBase extends tfl.layers.Layer {
  readonly update: SpectralNormUpdate;
  readonly powerIterations: number;
  readonly stopGradient: boolean;
  readonly useBias: boolean;
  readonly activation: GankitActivation;
  readonly alpha: number;
  protected readonly kernelInitializer: Initializer;
  protected readonly uInitializer: Initializer;
  protected kernel: tfl.LayerVariable | null = null;
  protected bias: tfl.LayerVariable | null = null;
  protected u: tfl.LayerVariable | null = null;
  constructor(where: string, args: SpectralNormCommonArgs) {
    super(args);
    this.update = args.update ?? 'always';
    if (this.update !== 'always' && this.update !== 'training') throw new Error(`${where}: 'update' must be 'always' or 'training'; got '${String(this.update)}'`);
    this.powerIterations = args.powerIterations ?? 1;
    assertPositiveInteger(where, 'powerIterations', this.powerIterations);
    this.stopGradient = args.stopGradient ?? false;
    this.useBias = args.useBias ?? true;
    this.activation = checkActivation(where, args.activation ?? 'linear');
    this.alpha = args.alpha ?? 0.2;
    this.kernelInitializer = toInitializer(args.kernelInitializer, () => tfl.initializers.truncatedNormal({ mean: 0, stddev: 0.02 }));
    this.uInitializer = toInitializer(args.uInitializer, () => tfl.initializers.truncatedNormal({ mean: 0, stddev: 1 }));
  }

  protected addSpectralWeights(kernelShape: number[]): void {
    const out = kernelShape[kernelShape.length - 1];
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [out], 'float32', tfl.initializers.zeros());
    // Reference: u ~ truncated_normal() [1, out], trainable=False.
    this.u = this.addWeight('u', [1, out], 'float32', this.uInitializer, undefined, false);
  }

  /** W/σ for this call, updating u per {@link SpectralNormUpdate}. Call inside a tidy. */
  protected normalizedKernel(kwargs: Record<string, unknown> | undefined): tf.Tensor {
    const { kernel, u } = spectralNormalize(this.kernel!.read(), this.u!.read(), { iterations: this.powerIterations, stopGradient: this.stopGradient });
    if (this.update === 'always' || kwargs?.training === true) this.u!.write(u);
    return kernel;
  }

  /** The persistent estimate u [1, out] (a copy). */
  readU(): tf.Tensor2D {
    return tf.clone(this.u!.read()) as tf.Tensor2D;
  }

  /** σ that the next call would divide by (one power iteration from the stored u; nothing is updated). */
  estimateSigma(): number {
    return tf.tidy(() => spectralNormalize(this.kernel!.read(), this.u!.read(), { iterations: this.powerIterations }).sigma.dataSync()[0]);
  }

  protected finish(y: tf.Tensor): tf.Tensor {
    if (this.bias) y = tf.add(y, this.bias.read());
    return applyActivation(y, this.activation, this.alpha);
  }

  protected commonConfig(): tf.serialization.ConfigDict {
    return {
      update: this.update,
      powerIterations: this.powerIterations,
      stopGradient: this.stopGradient,
      useBias: this.useBias,
      activation: this.activation,
      alpha: this.alpha,
      kernelInitializer: initializerConfig(this.kernelInitializer),
      uInitializer: initializerConfig(this.uInitializer),
    };
  }
}

export interface SpectralNormDenseArgs extends SpectralNormCommonArgs {
  units: number;
}

/**
 * Dense layer with a spectrally normalised kernel (HoloGAN tools/ops.py `linear_specNorm`):
 * `act(x·W/σ(W) + b)`, one power iteration per call with a persistent u. Input [B, in].
 */
export class SpectralNormDense extends SpectralNormBase {
  static className = 'GankitSpectralNormDense';
  readonly units: number;

  constructor(args: SpectralNormDenseArgs) {
    super('SpectralNormDense', args);
    assertPositiveInteger('SpectralNormDense', 'units', args.units);
    this.units = args.units;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const s = inputShape as tfl.Shape;
    if (s.length !== 2 || s[1] == null) throw new Error(`SpectralNormDense: input must be [B, features] with known features; got [${s.join(', ')}]`);
    this.addSpectralWeights([s[1], this.units]);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return [(inputShape as tfl.Shape)[0], this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs?: Record<string, unknown>): tf.Tensor {
    const x = singleInput('SpectralNormDense', inputs);
    assertRank('SpectralNormDense', 'x', x, 2);
    const fanIn = this.kernel!.shape[0];
    if (x.shape[1] !== fanIn) throw new Error(`SpectralNormDense: 'x' must have shape [B, ${fanIn}]; got [${x.shape.join(', ')}]`);
    return tf.tidy(() => this.finish(tf.matMul(x, this.normalizedKernel(kwargs))));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.commonConfig(), units: this.units };
  }
}

export interface SpectralNormConv2DArgs extends SpectralNormCommonArgs {
  filters: number;
  /** Default 5 (reference `conv2d_specNorm`). */
  kernelSize?: number;
  /** Default 2 (reference). */
  strides?: number;
  /** Default 'same' (reference). */
  padding?: 'same' | 'valid';
}

/**
 * 2D convolution with a spectrally normalised kernel (HoloGAN tools/ops.py `conv2d_specNorm`:
 * 5×5, stride 2, SAME, truncated N(0, 0.02) init, zero bias); the kernel [k, k, in, out] is
 * reshaped to [k·k·in, out] for the power iteration, as in the reference.
 */
export class SpectralNormConv2D extends SpectralNormBase {
  static className = 'GankitSpectralNormConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: 'same' | 'valid';

  constructor(args: SpectralNormConv2DArgs) {
    super('SpectralNormConv2D', args);
    const where = 'SpectralNormConv2D';
    assertPositiveInteger(where, 'filters', args.filters);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize ?? 5;
    this.strides = args.strides ?? 2;
    assertPositiveInteger(where, 'kernelSize', this.kernelSize);
    assertPositiveInteger(where, 'strides', this.strides);
    this.padding = checkConvPadding(where, args.padding ?? 'same');
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const cin = nhwcChannels('SpectralNormConv2D', inputShape);
    this.addSpectralWeights([this.kernelSize, this.kernelSize, cin, this.filters]);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return conv2dOutputShape(inputShape, this.kernelSize, this.strides, this.padding, this.filters);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs?: Record<string, unknown>): tf.Tensor {
    const x = singleInput('SpectralNormConv2D', inputs) as tf.Tensor4D;
    assertRank('SpectralNormConv2D', 'x', x, 4);
    const cin = this.kernel!.shape[2];
    assertChannels('SpectralNormConv2D', 'x', x, cin);
    return tf.tidy(() => this.finish(tf.conv2d(x, this.normalizedKernel(kwargs) as tf.Tensor4D, this.strides, this.padding)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.commonConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding };
  }
}
