import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger, assertRank } from '../util/validate.js';
import { assertChannels, initializerConfig, singleInput, toInitializer, type Initializer, type LayerArgs } from './common.js';

/** Which GANimation composition formula to use (see {@link composeWithAttention}). */
export type AttentionConvention = 'code' | 'paper';

/**
 * GANimation's composition of the generator output from an attention mask A, the input image I and
 * a colour image C. **Reference code** (albertpumarola/GANimation models/ganimation.py,
 * `_do_forward`): `out = A·I + (1 − A)·C` — A ≈ 1 keeps the input pixel. The paper's v1 wrote the
 * swapped form `A·C + (1 − A)·I` (issue #21); pass `convention: 'paper'` for it.
 * `attention` is [B, H, W, 1] (broadcast over channels) or [B, H, W, C]; `input`/`color` are [B, H, W, C].
 */
export function composeWithAttention(attention: tf.Tensor, input: tf.Tensor, color: tf.Tensor, convention: AttentionConvention = 'code'): tf.Tensor4D {
  const where = 'composeWithAttention';
  assertRank(where, 'input', input, 4);
  const want = input.shape;
  if (color.rank !== 4 || color.shape.some((d, i) => d !== want[i])) {
    throw new Error(`${where}: 'color' must have shape [${want.join(', ')}] (as 'input'); got [${color.shape.join(', ')}]`);
  }
  if (attention.rank !== 4 || attention.shape.slice(0, 3).some((d, i) => d !== want[i]) || (attention.shape[3] !== 1 && attention.shape[3] !== want[3])) {
    throw new Error(`${where}: 'attention' must have shape [${want.slice(0, 3).join(', ')}, 1] or [${want.join(', ')}]; got [${attention.shape.join(', ')}]`);
  }
  if (convention !== 'code' && convention !== 'paper') throw new Error(`${where}: 'convention' must be 'code' or 'paper'; got '${String(convention)}'`);
  return tf.tidy(() => {
    const [keep, replace] = convention === 'code' ? [input, color] : [color, input];
    // A·keep + (1 − A)·replace = replace + A·(keep − replace)
    return tf.add(replace, tf.mul(attention, tf.sub(keep, replace))) as tf.Tensor4D;
  });
}

/**
 * GANimation's optional mask saturation (`--do_saturate_mask`, unused by default):
 * `clamp(0.55·tanh(3(m − 0.5)) + 0.5, 0, 1)`.
 */
export function saturateAttention(mask: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.clipByValue(tf.add(tf.mul(tf.tanh(tf.mul(tf.sub(mask, 0.5), 3)), 0.55), 0.5), 0, 1));
}

export interface AttentionColorHeadArgs extends LayerArgs {
  /** Convolution size of both heads; default 7 (reference). */
  kernelSize?: number;
  /** Channels of the colour image; default 3. */
  colorChannels?: number;
  /** Default false (the reference's convs are bias-free). */
  useBias?: boolean;
  /** Default N(0, 0.02) (reference init). */
  kernelInitializer?: Initializer;
}

/**
 * GANimation's two output heads (networks/generator_wasserstein_gan.py): from features
 * [B, H, W, F], a colour image `C = tanh(conv_k×k(F → 3))` and an attention mask
 * `A = sigmoid(conv_k×k(F → 1))`, stride 1, 'same' padding (reference padding 3 for k = 7),
 * bias-free. Outputs `[color [B, H, W, 3], attention [B, H, W, 1]]` (the reference's order);
 * combine with {@link composeWithAttention}.
 */
export class AttentionColorHead extends tfl.layers.Layer {
  static className = 'GankitAttentionColorHead';
  readonly kernelSize: number;
  readonly colorChannels: number;
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private colorKernel: tfl.LayerVariable | null = null;
  private attentionKernel: tfl.LayerVariable | null = null;
  private colorBias: tfl.LayerVariable | null = null;
  private attentionBias: tfl.LayerVariable | null = null;

  constructor(args: AttentionColorHeadArgs = {}) {
    super(args);
    this.kernelSize = args.kernelSize ?? 7;
    this.colorChannels = args.colorChannels ?? 3;
    assertPositiveInteger('AttentionColorHead', 'kernelSize', this.kernelSize);
    assertPositiveInteger('AttentionColorHead', 'colorChannels', this.colorChannels);
    this.useBias = args.useBias ?? false;
    this.kernelInitializer = toInitializer(args.kernelInitializer, () => tfl.initializers.randomNormal({ mean: 0, stddev: 0.02 }));
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const s = inputShape as tfl.Shape;
    const f = s[s.length - 1];
    if (s.length !== 4 || f == null) throw new Error(`AttentionColorHead: input must be [B, H, W, F] with known F; got [${s.join(', ')}]`);
    const k = this.kernelSize;
    this.colorKernel = this.addWeight('color_kernel', [k, k, f, this.colorChannels], 'float32', this.kernelInitializer);
    this.attentionKernel = this.addWeight('attention_kernel', [k, k, f, 1], 'float32', this.kernelInitializer);
    if (this.useBias) {
      this.colorBias = this.addWeight('color_bias', [this.colorChannels], 'float32', tfl.initializers.zeros());
      this.attentionBias = this.addWeight('attention_bias', [1], 'float32', tfl.initializers.zeros());
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape[] {
    const [b, h, w] = inputShape as tfl.Shape;
    return [
      [b, h, w, this.colorChannels],
      [b, h, w, 1],
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    const x = singleInput('AttentionColorHead', inputs) as tf.Tensor4D;
    assertRank('AttentionColorHead', 'features', x, 4);
    const f = this.colorKernel!.shape[2];
    assertChannels('AttentionColorHead', 'features', x, f);
    return tf.tidy(() => {
      let c = tf.conv2d(x, this.colorKernel!.read() as tf.Tensor4D, 1, 'same');
      let a = tf.conv2d(x, this.attentionKernel!.read() as tf.Tensor4D, 1, 'same');
      if (this.colorBias) c = tf.add(c, this.colorBias.read());
      if (this.attentionBias) a = tf.add(a, this.attentionBias.read());
      return [tf.tanh(c), tf.sigmoid(a)];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      colorChannels: this.colorChannels,
      useBias: this.useBias,
      kernelInitializer: initializerConfig(this.kernelInitializer),
    };
  }
}
