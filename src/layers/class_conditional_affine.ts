import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertRank } from '../util/validate.js';
import { listInput, type LayerArgs } from './common.js';

/**
 * The class-dependent scale and shift of conditional batch normalisation (de Vries et al. 2017,
 * "Modulating early visual processing by language"; the generator of Miyato & Koyama 2018,
 * "cGANs with Projection Discriminator", and of BigGAN): after a BatchNorm without its own
 * affine, `out = h · (y·Γ) + y·B` with Γ, B ∈ R^{K×C}. With a one-hot y this is the class's own
 * γ, β; a soft y mixes them. So every normalised layer of G sees the label, not only its input.
 *
 * `[h [B, H, W, C] (or [B, C]), y [B, K]] → same shape as h`.
 */
export function classConditionalAffine(h: tf.Tensor, y: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const where = 'classConditionalAffine';
  assertRank(where, 'y', y, 2);
  const [b, k] = y.shape as [number, number];
  const c = h.shape[h.rank - 1];
  if (h.shape[0] !== b) throw new Error(`${where}: 'h' and 'y' must have the same batch; got ${h.shape[0]} and ${b}`);
  if (gamma.shape[0] !== k || gamma.shape[1] !== c || beta.shape[0] !== k || beta.shape[1] !== c) {
    throw new Error(`${where}: 'gamma' and 'beta' must have shape [${k}, ${c}]; got [${gamma.shape.join(', ')}] and [${beta.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const spatial = Array.from({ length: h.rank - 2 }, () => 1);
    const g = tf.reshape(tf.matMul(y, gamma), [b, ...spatial, c]);
    const s = tf.reshape(tf.matMul(y, beta), [b, ...spatial, c]);
    return tf.add(tf.mul(h, g), s);
  });
}

export interface ClassConditionalAffineArgs extends LayerArgs {
  /** Standard deviation of Γ's initialisation around 1 (DCGAN's BatchNorm γ ~ N(1, 0.02)); default 0.02. */
  gammaStddev?: number;
  seed?: number;
}

/** Layer form of {@link classConditionalAffine}: inputs `[h, y]`, weights Γ (init N(1, σ)) and B (zeros), each [K, C]. */
export class ClassConditionalAffine extends tfl.layers.Layer {
  static className = 'GankitClassConditionalAffine';
  readonly gammaStddev: number;
  readonly seed: number | undefined;
  private gamma: tfl.LayerVariable | null = null;
  private beta: tfl.LayerVariable | null = null;

  constructor(args: ClassConditionalAffineArgs = {}) {
    super(args);
    this.gammaStddev = args.gammaStddev ?? 0.02;
    this.seed = args.seed;
    if (!(this.gammaStddev >= 0)) throw new Error(`ClassConditionalAffine: 'gammaStddev' must be ≥ 0; got ${this.gammaStddev}`);
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shapes = inputShape as tfl.Shape[];
    if (!Array.isArray(shapes[0]) || shapes.length !== 2) throw new Error('ClassConditionalAffine: expects two inputs [h, y]');
    const [h, y] = shapes;
    const c = h[h.length - 1];
    const k = y[1];
    if (c == null || k == null) throw new Error(`ClassConditionalAffine: the channel axis of h and the class axis of y must be known; got [${h.join(', ')}] and [${y.join(', ')}]`);
    this.gamma = this.addWeight('gamma', [k, c], 'float32', tfl.initializers.randomNormal({ mean: 1, stddev: this.gammaStddev, seed: this.seed }));
    this.beta = this.addWeight('beta', [k, c], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return (inputShape as tfl.Shape[])[0];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [h, y] = listInput('ClassConditionalAffine', inputs, 2, 'h, y');
    return classConditionalAffine(h, y, this.gamma!.read(), this.beta!.read());
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), gammaStddev: this.gammaStddev, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}
