import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger } from '../../util/validate.js';

/**
 * Layers HoloGAN's networks need beyond src/layers (thunguyenphuoc/HoloGAN model_HoloGAN.py).
 */

export interface LearnedConstantArgs {
  /** Shape of the constant without the batch axis (HoloGAN 64 px: [4, 4, 4, 512]). */
  shape: number[];
  /** Std of the N(0, std) init (reference 0.02). */
  stddev?: number;
  seed?: number;
  name?: string;
}

/**
 * HoloGAN's learned 3D template (`g_w_constant/w`, init N(0, 0.02)), tiled over the batch. The
 * input (any [B, …] tensor, e.g. z) only supplies the batch size.
 */
export class LearnedConstant extends tfl.layers.Layer {
  static className = 'GankitLearnedConstant';
  readonly constShape: number[];
  readonly stddev: number;
  readonly seed: number | null;
  private w: tfl.LayerVariable | null = null;
  constructor(args: LearnedConstantArgs) {
    super({ name: args.name });
    if (!Array.isArray(args.shape) || args.shape.length === 0) throw new Error(`LearnedConstant: 'shape' must be a non-empty array; got ${JSON.stringify(args.shape)}`);
    args.shape.forEach((d, i) => assertPositiveInteger('LearnedConstant', `shape[${i}]`, d));
    this.constShape = [...args.shape];
    this.stddev = args.stddev ?? 0.02;
    this.seed = args.seed ?? null;
  }
  override build(): void {
    this.w = this.addWeight('w', this.constShape, 'float32', tfl.initializers.randomNormal({ mean: 0, stddev: this.stddev, seed: this.seed ?? undefined }));
    this.built = true;
  }
  override computeOutputShape(s: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(s[0]) ? s[0] : s) as tfl.Shape;
    return [shape[0], ...this.constShape];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const w = this.w!.read();
    // Broadcast instead of tf.tile: tfjs has no tile gradient for rank-5 tensors.
    return tf.tidy(() => tf.mul(tf.ones([x.shape[0], ...this.constShape.map(() => 1)]), tf.expandDims(w, 0)));
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), shape: this.constShape, stddev: this.stddev, seed: this.seed };
  }
}

export interface InstanceMomentsArgs {
  /**
   * How mean and variance are joined: 'features' → [B, 2C] (the paper's style statistics) or
   * 'batch' → [2B, C], the reference code's concatenation along axis 0 (HoloGAN issue #3).
   */
  concat?: 'features' | 'batch';
  name?: string;
}

/**
 * Per-sample, per-channel mean and variance over the spatial axes of [B, …, C] — the statistics
 * HoloGAN's style discriminator (`discriminator_IN_style_res128`) classifies at each IN layer.
 */
export class InstanceMoments extends tfl.layers.Layer {
  static className = 'GankitInstanceMoments';
  readonly concat: 'features' | 'batch';
  constructor(args: InstanceMomentsArgs = {}) {
    super({ name: args.name });
    this.concat = args.concat ?? 'features';
    if (this.concat !== 'features' && this.concat !== 'batch') throw new Error(`InstanceMoments: 'concat' must be 'features' or 'batch'; got ${String(this.concat)}`);
  }
  override computeOutputShape(s: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = s as tfl.Shape;
    const b = shape[0];
    const c = shape[shape.length - 1];
    if (this.concat === 'features') return [b, c == null ? null : 2 * c];
    return [b == null ? null : 2 * b, c];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const axes = Array.from({ length: x.rank - 2 }, (_, i) => i + 1);
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, axes);
      return tf.concat([mean, variance], this.concat === 'features' ? 1 : 0);
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), concat: this.concat };
  }
}
