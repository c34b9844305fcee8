import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger } from '../util/validate.js';
import { ConditionTile } from '../layers/condition_tile.js';
import { InstanceNorm } from '../layers/instance_norm.js';
import { AttentionColorHead, type AttentionConvention, composeWithAttention } from '../layers/attention_color_head.js';
import { patchGANCritic } from '../layers/patchgan.js';
import { SeedStream, ap, assertModelInput } from './common.js';

/**
 * GANimation (Pumarola et al. 2018; albertpumarola/GANimation networks/generator_wasserstein_gan.py,
 * discriminator_wasserstein_gan.py; algorithms.md §6.1–6.2), channels last.
 *
 * Generator: input image ⊕ tiled AU vector (c_dim 17) → Conv7×7 (64) + IN + ReLU → 2 × [Conv4×4 s2
 * (×2) + IN + ReLU] → 6 residual blocks (Conv3-IN-ReLU-Conv3-IN + identity) → 2 × [ConvT4×4 s2 (½)
 * + IN + ReLU] → colour head (Conv7 → 3, tanh) and attention head (Conv7 → 1, sigmoid). Bias-free
 * convolutions, weights N(0, 0.02), InstanceNorm(affine, ε 1e-5). PyTorch's paddings (3, 1, 1, 1)
 * are TF 'same' for these kernel/stride pairs. Outputs `[color, attention]`; compose with
 * {@link ganimationCompose} (reference code: A·I + (1 − A)·C).
 * Critic: PatchGAN (Conv4×4 s2 + LReLU 0.01, 6 blocks to 2048 channels at 128 px) with a 3×3 patch
 * head and an AU regression head (src/layers `patchGANCritic`). Outputs `[patch [B, h, w, 1], aus [B, c_dim]]`.
 */
export interface GanimationGeneratorOptions {
  /** Image side (reference 128); must be divisible by 4. */
  imageSize?: number;
  channels?: number;
  /** Number of AUs c_dim (reference 17). */
  numAus?: number;
  /** conv_dim (reference 64). */
  convDim?: number;
  /** Residual blocks (reference 6). */
  repeatNum?: number;
  /**
   * How the two decoder stages upsample: 'transpose' (the reference's ConvTranspose2d k4 s2) or
   * 'resize-conv' (nearest-neighbour ×2, then a 3×3 conv; Odena et al. 2016, "Deconvolution and
   * checkerboard artifacts"), which cannot make the transpose's checkerboard pattern. Default 'transpose'.
   */
  upsampling?: 'transpose' | 'resize-conv';
  seed?: number;
}

/**
 * G([image [B, S, S, C], aus [B, c]]) → `[color [B, S, S, C], attention [B, S, S, 1]]`.
 * Reference size (128 px, 17 AUs, conv_dim 64, 6 blocks): 8,471,296 trainable parameters.
 */
export function buildGanimationGenerator(options: GanimationGeneratorOptions = {}): tfl.LayersModel {
  const where = 'buildGanimationGenerator';
  const size = options.imageSize ?? 128;
  const channels = options.channels ?? 3;
  const numAus = options.numAus ?? 17;
  const convDim = options.convDim ?? 64;
  const repeat = options.repeatNum ?? 6;
  for (const [k, v] of Object.entries({ imageSize: size, channels, numAus, convDim })) assertPositiveInteger(where, k, v);
  if (!Number.isInteger(repeat) || repeat < 0) throw new Error(`${where}: 'repeatNum' must be an integer ≥ 0; got ${repeat}`);
  if (size % 4 !== 0) throw new Error(`${where}: 'imageSize' must be divisible by 4 (two stride-2 downsamplings); got ${size}`);
  const upsampling = options.upsampling ?? 'transpose';
  if (upsampling !== 'transpose' && upsampling !== 'resize-conv') throw new Error(`${where}: 'upsampling' must be 'transpose' or 'resize-conv'; got ${String(upsampling)}`);
  const seeds = new SeedStream(options.seed ?? 0);
  const init = () => seeds.normal(0.02);
  const inr = (h: tfl.SymbolicTensor, relu = true) => {
    const n = ap(new InstanceNorm({ affine: true, epsilon: 1e-5 }), h);
    return relu ? ap(tfl.layers.reLU(), n) : n;
  };
  const conv = (h: tfl.SymbolicTensor, filters: number, k: number, s = 1) =>
    ap(tfl.layers.conv2d({ filters, kernelSize: k, strides: s, padding: 'same', useBias: false, kernelInitializer: init() }), h);
  const image = tfl.input({ shape: [size, size, channels], name: 'image' });
  const aus = tfl.input({ shape: [numAus], name: 'aus' });
  let h = ap(new ConditionTile(), [image, aus]);
  h = inr(conv(h, convDim, 7));
  let c = convDim;
  for (let i = 0; i < 2; i++) {
    c *= 2;
    h = inr(conv(h, c, 4, 2));
  }
  for (let i = 0; i < repeat; i++) {
    const r = inr(conv(inr(conv(h, c, 3)), c, 3), false);
    h = ap(tfl.layers.add(), [h, r]);
  }
  for (let i = 0; i < 2; i++) {
    c /= 2;
    h =
      upsampling === 'transpose'
        ? inr(ap(tfl.layers.conv2dTranspose({ filters: c, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: init() }), h))
        : inr(conv(ap(tfl.layers.upSampling2d({ size: [2, 2], interpolation: 'nearest' }), h), c, 3));
  }
  const outs = new AttentionColorHead({ kernelSize: 7, colorChannels: channels, kernelInitializer: init(), name: 'heads' }).apply(h) as tfl.SymbolicTensor[];
  return tfl.model({ inputs: [image, aus], outputs: outs, name: 'ganimation_generator' });
}

export interface GanimationCriticOptions {
  imageSize?: number;
  channels?: number;
  numAus?: number;
  convDim?: number;
  /** Stride-2 blocks (reference 6). */
  repeatNum?: number;
  seed?: number;
}

/**
 * Critic image → `[patch [B, S/2^r, S/2^r, 1], aus [B, c]]`.
 * Reference size (128 px, 17 AUs, conv_dim 64, 6 blocks): 44,860,352 trainable parameters.
 */
export function buildGanimationCritic(options: GanimationCriticOptions = {}): tfl.LayersModel {
  return patchGANCritic({
    imageSize: options.imageSize ?? 128,
    channels: options.channels ?? 3,
    convDim: options.convDim ?? 64,
    repeatNum: options.repeatNum ?? 6,
    auxOutputs: options.numAus ?? 17,
    seed: options.seed ?? 0,
  });
}

export interface GanimationOutput {
  color: tf.Tensor4D;
  attention: tf.Tensor4D;
  /** A·I + (1 − A)·C (reference code) or the paper's swapped form. */
  composed: tf.Tensor4D;
}

/**
 * Run G on (image, target AUs) and compose the output with the attention mask
 * (albertpumarola/GANimation models/ganimation.py `_generate_fake_samples`). Inputs are checked.
 */
export function ganimationCompose(generator: tfl.LayersModel, image: tf.Tensor, aus: tf.Tensor, options: { training?: boolean; convention?: AttentionConvention } = {}): GanimationOutput {
  const where = 'ganimationCompose';
  assertModelInput(where, 'image', image, generator, 0);
  assertModelInput(where, 'aus', aus, generator, 1);
  if (image.shape[0] !== aus.shape[0]) throw new Error(`${where}: 'image' and 'aus' must have the same batch; got ${image.shape[0]} and ${aus.shape[0]}`);
  return tf.tidy(() => {
    const [color, attention] = generator.apply([image, aus], { training: options.training ?? false }) as tf.Tensor4D[];
    return { color, attention, composed: composeWithAttention(attention, image, color, options.convention ?? 'code') };
  }) as unknown as GanimationOutput;
}
