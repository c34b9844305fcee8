import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Random } from '../util/random.js';
import { assertInRange, assertPositiveInteger, assertRank } from '../util/validate.js';
import { assertChannels, conv2dOutputShape, initializerConfig, leakyReluTwice, nhwcChannels, singleInput, toInitializer, type Initializer, type LayerArgs } from './common.js';

export interface PatchGANDownsampleArgs extends LayerArgs {
  filters: number;
  /** Default 4 (reference). */
  kernelSize?: number;
  /** Default 2 (reference). */
  strides?: number;
  /** Symmetric zero padding, as PyTorch's `padding`; default 1 (reference). */
  padding?: number;
  /** LeakyReLU slope; default 0.01 (reference `nn.LeakyReLU(0.01)`). */
  alpha?: number;
  /** Default true (PyTorch `nn.Conv2d` default bias, kept by the reference critic's trunk). */
  useBias?: boolean;
  /** Default N(0, 0.02) (reference init). */
  kernelInitializer?: Initializer;
}

/**
 * One block of GANimation's PatchGAN critic trunk (albertpumarola/GANimation
 * networks/discriminator_wasserstein_gan.py): `Conv2d(k 4, s 2, p 1)` + `LeakyReLU(0.01)`, no
 * normalisation. The LeakyReLU is written as `½(1+α)x + ½(1−α)|x|` so the block is twice
 * differentiable on stock tfjs (gradient penalty). Padding is explicit (PyTorch semantics for any size).
 */
export class PatchGANDownsample extends tfl.layers.Layer {
  static className = 'GankitPatchGANDownsample';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: number;
  readonly alpha: number;
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: PatchGANDownsampleArgs) {
    super(args);
    const where = 'PatchGANDownsample';
    assertPositiveInteger(where, 'filters', args.filters);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize ?? 4;
    this.strides = args.strides ?? 2;
    this.padding = args.padding ?? 1;
    this.alpha = args.alpha ?? 0.01;
    assertPositiveInteger(where, 'kernelSize', this.kernelSize);
    assertPositiveInteger(where, 'strides', this.strides);
    if (!Number.isInteger(this.padding) || this.padding < 0) throw new Error(`${where}: 'padding' must be a non-negative integer; got ${this.padding}`);
    assertInRange(where, 'alpha', this.alpha, 0, 1);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = toInitializer(args.kernelInitializer, () => tfl.initializers.randomNormal({ mean: 0, stddev: 0.02 }));
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const cin = nhwcChannels('PatchGANDownsample', inputShape);
    this.kernel = this.addWeight('kernel', [this.kernelSize, this.kernelSize, cin, this.filters], 'float32', this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return conv2dOutputShape(inputShape, this.kernelSize, this.strides, this.padding, this.filters);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = singleInput('PatchGANDownsample', inputs) as tf.Tensor4D;
    assertRank('PatchGANDownsample', 'x', x, 4);
    const c = this.kernel!.shape[2];
    assertChannels('PatchGANDownsample', 'x', x, c);
    return tf.tidy(() => {
      let y: tf.Tensor = tf.conv2d(x, this.kernel!.read() as tf.Tensor4D, this.strides, this.padding);
      if (this.bias) y = tf.add(y, this.bias.read());
      return leakyReluTwice(y, this.alpha);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      alpha: this.alpha,
      useBias: this.useBias,
      kernelInitializer: initializerConfig(this.kernelInitializer),
    };
  }
}

export interface PatchGANHeadsArgs extends LayerArgs {
  /** Outputs of the auxiliary regression head (GANimation: the AU count, `c_dim = 17`). */
  auxOutputs: number;
  /** Default N(0, 0.02). */
  kernelInitializer?: Initializer;
}

/**
 * The two heads of GANimation's critic: a **patch** head `Conv2d(3×3, s 1, p 1, bias=False) → 1`
 * giving one critic value per patch, [B, h, w, 1], and an **auxiliary regression** head
 * `Conv2d(kernel = h×w, bias=False) → auxOutputs` over the whole final map (reference
 * `k_size = image_size / 2^repeat_num`), giving [B, auxOutputs]. Outputs `[patch, aux]`.
 * (The reference `.squeeze()`s both; the patch map keeps its channel axis here.)
 */
export class PatchGANHeads extends tfl.layers.Layer {
  static className = 'GankitPatchGANHeads';
  readonly auxOutputs: number;
  private readonly kernelInitializer: Initializer;
  private patchKernel: tfl.LayerVariable | null = null;
  private auxKernel: tfl.LayerVariable | null = null;

  constructor(args: PatchGANHeadsArgs) {
    super(args);
    assertPositiveInteger('PatchGANHeads', 'auxOutputs', args.auxOutputs);
    this.auxOutputs = args.auxOutputs;
    this.kernelInitializer = toInitializer(args.kernelInitializer, () => tfl.initializers.randomNormal({ mean: 0, stddev: 0.02 }));
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const s = inputShape as tfl.Shape;
    if (s.length !== 4 || s[1] == null || s[2] == null || s[3] == null) {
      throw new Error(`PatchGANHeads: input must be [B, h, w, C] with known h, w, C; got [${s.join(', ')}]`);
    }
    this.patchKernel = this.addWeight('patch_kernel', [3, 3, s[3], 1], 'float32', this.kernelInitializer);
    this.auxKernel = this.addWeight('aux_kernel', [s[1], s[2], s[3], this.auxOutputs], 'float32', this.kernelInitializer);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape[] {
    const [b, h, w] = inputShape as tfl.Shape;
    return [
      [b, h, w, 1],
      [b, this.auxOutputs],
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    const x = singleInput('PatchGANHeads', inputs) as tf.Tensor4D;
    assertRank('PatchGANHeads', 'features', x, 4);
    const [kh, kw, c] = this.auxKernel!.shape as number[];
    if (x.shape[1] !== kh || x.shape[2] !== kw || x.shape[3] !== c) {
      throw new Error(`PatchGANHeads: 'features' must have shape [B, ${kh}, ${kw}, ${c}] (the shape it was built for); got [${x.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const patch = tf.conv2d(x, this.patchKernel!.read() as tf.Tensor4D, 1, 1);
      const aux = tf.reshape(tf.conv2d(x, this.auxKernel!.read() as tf.Tensor4D, 1, 'valid'), [x.shape[0], this.auxOutputs]);
      return [patch, aux];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), auxOutputs: this.auxOutputs, kernelInitializer: initializerConfig(this.kernelInitializer) };
  }
}

export interface PatchGANCriticOptions {
  /** Square input size; must be divisible by 2^repeatNum. Reference 128. */
  imageSize: number;
  /** Input channels; default 3. */
  channels?: number;
  /** Filters of the first block (doubled per block); reference 64. */
  convDim?: number;
  /** Number of stride-2 blocks; reference 6. */
  repeatNum?: number;
  /** Auxiliary regression outputs (AUs / labels); reference c_dim. */
  auxOutputs: number;
  /** Seed of the N(0, 0.02) initialisers. */
  seed?: number;
}

/**
 * GANimation's full PatchGAN critic as a tfjs-layers model: `repeatNum` × {@link PatchGANDownsample}
 * (filters convDim·2^i) then {@link PatchGANHeads}. Input [B, S, S, channels] → `[patch, aux]`.
 */
export function patchGANCritic(options: PatchGANCriticOptions): tfl.LayersModel {
  const where = 'patchGANCritic';
  const { imageSize, channels = 3, convDim = 64, repeatNum = 6, auxOutputs, seed = 0 } = options;
  for (const [k, v] of Object.entries({ imageSize, channels, convDim, repeatNum, auxOutputs })) assertPositiveInteger(where, k, v);
  if (imageSize % 2 ** repeatNum !== 0) throw new Error(`${where}: 'imageSize' must be divisible by 2^repeatNum = ${2 ** repeatNum}; got ${imageSize}`);
  const rng = new Random(seed);
  const init = () => tfl.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: rng.seed() });
  const input = tfl.input({ shape: [imageSize, imageSize, channels] });
  let h = input;
  for (let i = 0; i < repeatNum; i++) {
    h = new PatchGANDownsample({ filters: convDim * 2 ** i, kernelInitializer: init() }).apply(h) as tfl.SymbolicTensor;
  }
  const outs = new PatchGANHeads({ auxOutputs, kernelInitializer: init() }).apply(h) as tfl.SymbolicTensor[];
  return tfl.model({ inputs: input, outputs: outs });
}
