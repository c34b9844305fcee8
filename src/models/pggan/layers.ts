import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * Small layers for Progressive GAN (tkarras/progressive_growing_of_gans networks.py), written
 * with reshapes and broadcasts only so a gradient penalty can differentiate through them twice
 * (stock pooling/resize gradients are not twice differentiable in tfjs).
 */

type Args = { name?: string };

function one(where: string, inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
  const x = Array.isArray(inputs) ? inputs[0] : inputs;
  if (x.rank !== 4) throw new Error(`${where}: input must be [B, H, W, C]; got [${x.shape.join(', ')}]`);
  return x as tf.Tensor4D;
}

/** Nearest-neighbour ×2 upsampling (`upscale2d`): [B, H, W, C] → [B, 2H, 2W, C]. */
export function upscale2d(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return tf.tidy(() => tf.reshape(tf.mul(tf.reshape(x, [b, h, 1, w, 1, c]), tf.ones([1, 1, 2, 1, 2, 1])), [b, 2 * h, 2 * w, c]) as tf.Tensor4D);
}

/** 2×2 box-filter downscaling (`downscale2d`, = avg_pool 2×2): [B, H, W, C] → [B, H/2, W/2, C]. */
export function downscale2d(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  if (h % 2 !== 0 || w % 2 !== 0) throw new Error(`downscale2d: H and W must be even; got [${x.shape.join(', ')}]`);
  return tf.tidy(() => tf.mean(tf.reshape(x, [b, h / 2, 2, w / 2, 2, c]), [2, 4]) as tf.Tensor4D);
}

export class Upscale2D extends tfl.layers.Layer {
  static className = 'GankitUpscale2D';
  constructor(args: Args = {}) {
    super(args);
  }
  override computeOutputShape(s: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [b, h, w, c] = s as tfl.Shape;
    return [b, h == null ? null : 2 * h, w == null ? null : 2 * w, c];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return upscale2d(one('Upscale2D', inputs));
  }
}

export class Downscale2D extends tfl.layers.Layer {
  static className = 'GankitDownscale2D';
  constructor(args: Args = {}) {
    super(args);
  }
  override computeOutputShape(s: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [b, h, w, c] = s as tfl.Shape;
    return [b, h == null ? null : h / 2, w == null ? null : w / 2, c];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return downscale2d(one('Downscale2D', inputs));
  }
}

/** A per-channel bias (PGGAN `apply_bias` after the 4×4 dense + reshape), zero-initialised. */
export class ChannelBias extends tfl.layers.Layer {
  static className = 'GankitChannelBias';
  private bias: tfl.LayerVariable | null = null;
  constructor(args: Args = {}) {
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
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.add(x, this.bias!.read());
  }
}

/**
 * Fade-in between the old (lower-resolution) path and the new block: old + (new − old)·α with
 * α ∈ [0, 1] held in a non-trainable weight (the reference's `lerp_clip(new, old, lod_in − lod)`
 * with α = 1 − frac(lod)). Inputs `[old, new]`.
 */
export class FadeIn extends tfl.layers.Layer {
  static className = 'GankitFadeIn';
  private alphaVar: tfl.LayerVariable | null = null;
  constructor(args: Args = {}) {
    super(args);
  }
  override build(): void {
    this.alphaVar = this.addWeight('alpha', [], 'float32', tfl.initializers.zeros(), undefined, false);
    this.built = true;
  }
  get alpha(): number {
    return this.alphaVar ? this.alphaVar.read().dataSync()[0] : 0;
  }
  setAlpha(alpha: number): void {
    if (!(alpha >= 0 && alpha <= 1)) throw new Error(`FadeIn.setAlpha: 'alpha' must be in [0, 1]; got ${alpha}`);
    if (!this.built) this.build();
    tf.tidy(() => {
      this.alphaVar!.write(tf.scalar(alpha));
    });
  }
  override computeOutputShape(s: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return (s as tfl.Shape[])[0];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new Error('FadeIn: inputs must be [old, new]');
    const [oldT, newT] = inputs;
    if (!tf.util.arraysEqual(oldT.shape, newT.shape)) throw new Error(`FadeIn: 'old' and 'new' must have the same shape; got [${oldT.shape.join(', ')}] and [${newT.shape.join(', ')}]`);
    return tf.tidy(() => tf.add(oldT, tf.mul(tf.sub(newT, oldT), this.alphaVar!.read())));
  }
}
