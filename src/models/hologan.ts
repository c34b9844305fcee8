import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger } from '../util/validate.js';
import { AdaIN } from '../layers/adain.js';
import { StyleMapping } from '../layers/style_mapping.js';
import { RigidTransform3D } from '../layers/rigid_transform_3d.js';
import { ProjectionUnit } from '../layers/projection_unit.js';
import { InstanceNorm } from '../layers/instance_norm.js';
import { SpectralNormConv2D } from '../layers/spectral_norm.js';
import { SeedStream, ap } from './common.js';
import { InstanceMoments, LearnedConstant } from '../layers/index.js';

/**
 * HoloGAN (Nguyen-Phuoc et al. 2019; thunguyenphuoc/HoloGAN model_HoloGAN.py `generator_AdaIN`,
 * `discriminator_IN`, `discriminator_IN_style_res128`; algorithms.md §1.3–1.4), channels last.
 *
 * Generator (64 px, gf 64, z 128): learned constant 4×4×4×8gf → AdaIN(z) → ReLU → ConvT3D k3 s2
 * (2gf) → AdaIN → ReLU → ConvT3D k3 s2 (gf) → AdaIN → ReLU → 3D rigid transform by the view →
 * projection unit (depth folded into channels, 1×1 conv to 16gf, ReLU) → ConvT2D k4 s2 (4gf) →
 * AdaIN → ReLU → ConvT2D k4 s2 (gf) → AdaIN → ReLU → ConvT2D k4 s1 (3) → tanh. Every AdaIN takes
 * its (scale, bias) from z through its own `StyleMapping` (linear + ReLU). Weights N(0, 0.02),
 * zero biases. 32 px drops one 2D upsampling (16³ volume → 32²).
 * Discriminator: conv5 s2 (df) + LReLU(0.2) → 3 × [spectral-norm conv5 s2 + InstanceNorm(γ ~
 * N(1, 0.02)) + LReLU] (2df, 4df, 8df) → flatten → linear → 1 logit; latent head linear(128) +
 * LReLU → linear(z) → tanh; optional style discriminator (linear on each IN layer's moments).
 */
export interface HoloGanGeneratorOptions {
  /** 64 (reference) or 32 (CPU runs). */
  imageSize?: 32 | 64;
  zDim?: number;
  /** gf_dim (reference 64). */
  gfDim?: number;
  channels?: number;
  /** Options of the rigid transform (reference conventions by default). */
  transform?: ConstructorParameters<typeof RigidTransform3D>[0];
  seed?: number;
}

/**
 * G([z [B, zDim], view [B, 6]]) → image [B, S, S, channels] in [−1, 1].
 * Reference size (64 px, z 128, gf 64): 7,797,251 trainable parameters.
 */
export function buildHoloGanGenerator(options: HoloGanGeneratorOptions = {}): tfl.LayersModel {
  const where = 'buildHoloGanGenerator';
  const size = options.imageSize ?? 64;
  const zDim = options.zDim ?? 128;
  const gf = options.gfDim ?? 64;
  const channels = options.channels ?? 3;
  if (size !== 32 && size !== 64) throw new Error(`${where}: 'imageSize' must be 32 or 64; got ${String(size)}`);
  for (const [k, v] of Object.entries({ zDim, gfDim: gf, channels })) assertPositiveInteger(where, k, v);
  const seeds = new SeedStream(options.seed ?? 0);
  const init = () => seeds.normal(0.02);
  const z = tfl.input({ shape: [zDim], name: 'z' });
  const view = tfl.input({ shape: [6], name: 'view' });
  const adain = (h: tfl.SymbolicTensor, c: number, name: string): tfl.SymbolicTensor => {
    const [s, b] = new StyleMapping({ channels: c, kernelInitializer: init(), name: `${name}_style` }).apply(z) as tfl.SymbolicTensor[];
    return ap(tfl.layers.reLU(), ap(new AdaIN({ name: `${name}_adain` }), [h, s, b]));
  };
  let h = ap(new LearnedConstant({ shape: [4, 4, 4, gf * 8], seed: seeds.next(), name: 'g_w_constant' }), z);
  h = adain(h, gf * 8, 'g_z0');
  h = ap(tfl.layers.conv3dTranspose({ filters: gf * 2, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(), name: 'g_h1' }), h);
  h = adain(h, gf * 2, 'g_z1');
  h = ap(tfl.layers.conv3dTranspose({ filters: gf, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(), name: 'g_h2' }), h);
  h = adain(h, gf, 'g_z2');
  h = ap(new RigidTransform3D({ ...(options.transform ?? {}), name: 'g_rotate' }), [h, view]);
  h = ap(new ProjectionUnit({ filters: gf * 16, activation: 'relu', kernelInitializer: init(), name: 'g_h3' }), h);
  const ups = size === 64 ? [gf * 4, gf] : [gf * 4];
  ups.forEach((c, i) => {
    h = ap(tfl.layers.conv2dTranspose({ filters: c, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init(), name: `g_h${4 + i}` }), h);
    h = adain(h, c, `g_z${4 + i}`);
  });
  h = ap(tfl.layers.conv2dTranspose({ filters: channels, kernelSize: 4, strides: 1, padding: 'same', kernelInitializer: init(), name: 'g_h6' }), h);
  h = ap(tfl.layers.activation({ activation: 'tanh' }), h);
  return tfl.model({ inputs: [z, view], outputs: h, name: 'hologan_generator' });
}

export interface HoloGanDiscriminatorOptions {
  imageSize?: 32 | 64;
  channels?: number;
  /** df_dim (reference 64). */
  dfDim?: number;
  /** Size of the latent-reconstruction head output (reference z_dim 128; 0 disables the head). */
  zDim?: number;
  /** Add the style discriminator logits (reference `style_disc`, default false). */
  styleDiscriminator?: boolean;
  /**
   * How the style discriminator joins the instance-norm mean and variance: 'batch' ([2B, C], the
   * reference code — the default, as for every reference quirk; HoloGAN issue #3) or 'features'
   * ([B, 2C], what the paper describes). Only used when `styleDiscriminator` is on.
   */
  styleConcat?: 'features' | 'batch';
  seed?: number;
}

/**
 * D(image) → `[logits [B, 1], latent [B, zDim] (tanh)]`, plus one style logit tensor per
 * InstanceNorm layer when `styleDiscriminator` is on.
 * Reference size (64 px, df 64, z 128): 5,381,761 trainable parameters (the spectral-norm `u` vectors are not trainable).
 */
export function buildHoloGanDiscriminator(options: HoloGanDiscriminatorOptions = {}): tfl.LayersModel {
  const where = 'buildHoloGanDiscriminator';
  const size = options.imageSize ?? 64;
  const channels = options.channels ?? 3;
  const df = options.dfDim ?? 64;
  const zDim = options.zDim ?? 128;
  if (size !== 32 && size !== 64) throw new Error(`${where}: 'imageSize' must be 32 or 64; got ${String(size)}`);
  for (const [k, v] of Object.entries({ channels, dfDim: df })) assertPositiveInteger(where, k, v);
  if (!Number.isInteger(zDim) || zDim < 0) throw new Error(`${where}: 'zDim' must be an integer ≥ 0; got ${zDim}`);
  const seeds = new SeedStream(options.seed ?? 0);
  // A separate stream for the spectral-norm u vectors keeps the kernel seeds as they were.
  const uSeeds = new SeedStream((options.seed ?? 0) + 7919);
  const init = () => seeds.normal(0.02);
  const lrelu = () => tfl.layers.leakyReLU({ alpha: 0.2 });
  const x = tfl.input({ shape: [size, size, channels], name: 'image' });
  let h = ap(lrelu(), ap(tfl.layers.conv2d({ filters: df, kernelSize: 5, strides: 2, padding: 'same', kernelInitializer: init(), name: 'd_h0_conv' }), x));
  const styleLogits: tfl.SymbolicTensor[] = [];
  for (let k = 1; k <= 3; k++) {
    const c = ap(new SpectralNormConv2D({ filters: df * 2 ** k, kernelSize: 5, strides: 2, kernelInitializer: init(), uInitializer: uSeeds.truncatedNormal(1), name: `d_h${k}_conv` }), h);
    if (options.styleDiscriminator) {
      const m = ap(new InstanceMoments({ concat: options.styleConcat ?? 'batch', name: `d_h${k}_moments` }), c);
      styleLogits.push(ap(tfl.layers.dense({ units: 1, kernelInitializer: init(), name: `d_h${k}_style` }), m));
    }
    h = ap(lrelu(), ap(new InstanceNorm({ affine: true, epsilon: 1e-5, gammaInitializer: seeds.normal(0.02, 1), name: `d_in${k}` }), c));
  }
  const flat = ap(tfl.layers.flatten(), h);
  const logits = ap(tfl.layers.dense({ units: 1, kernelInitializer: init(), name: 'd_h4_lin' }), flat);
  const outputs = [logits];
  if (zDim > 0) {
    const e = ap(lrelu(), ap(tfl.layers.dense({ units: 128, kernelInitializer: init(), name: 'd_latent' }), flat));
    outputs.push(ap(tfl.layers.dense({ units: zDim, activation: 'tanh', kernelInitializer: init(), name: 'd_latent_prediction' }), e));
  }
  return tfl.model({ inputs: x, outputs: [...outputs, ...styleLogits], name: 'hologan_discriminator' });
}
