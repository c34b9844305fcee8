import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger } from '../util/validate.js';
import { singleInput, type LayerArgs } from './common.js';

export interface LearnedConstantArgs extends LayerArgs {
  /** Shape of the constant without the batch axis (HoloGAN 64 px: [4, 4, 4, 512]). */
  shape: number[];
  /** Std of the N(0, std) init (reference 0.02). */
  stddev?: number;
  seed?: number;
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
    super(args);
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
    const x = singleInput('LearnedConstant', inputs);
    const w = this.w!.read();
    // Broadcast instead of tf.tile: tfjs has no tile gradient for rank-5 tensors.
    return tf.tidy(() => tf.mul(tf.ones([x.shape[0], ...this.constShape.map(() => 1)]), tf.expandDims(w, 0)));
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), shape: this.constShape, stddev: this.stddev, seed: this.seed };
  }
}
