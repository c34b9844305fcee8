import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertRank } from '../util/validate.js';
import { initializerConfig, singleInput, toInitializer, type Initializer, type LayerArgs } from './common.js';

/** Spatial axes of a channels-last feature map: 1 … rank−2. */
export function spatialAxes(rank: number): number[] {
  return Array.from({ length: rank - 2 }, (_, i) => i + 1);
}

/**
 * Instance normalisation over the spatial axes of each sample and channel (channels last, rank 3–5):
 * `y = γ·(x − μ)/√(σ² + ε) + β`, σ² the biased variance (PyTorch `InstanceNorm2d`, as in
 * GANimation networks/generator_wasserstein_gan.py; HoloGAN tools/ops.py `instance_norm`, ε = 1e-5).
 * `gamma`/`beta` are [C] or omitted (no affine transform).
 */
export function instanceNorm(x: tf.Tensor, options: { gamma?: tf.Tensor; beta?: tf.Tensor; epsilon?: number } = {}): tf.Tensor {
  const where = 'instanceNorm';
  assertRank(where, 'x', x, [3, 4, 5]);
  const { gamma, beta, epsilon = 1e-5 } = options;
  const channels = x.shape[x.rank - 1];
  for (const [name, t] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    if (t && (t.rank !== 1 || t.shape[0] !== channels)) {
      throw new Error(`${where}: '${name}' must have shape [${channels}] for x of shape [${x.shape.join(', ')}]; got [${t.shape.join(', ')}]`);
    }
  }
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, spatialAxes(x.rank), true);
    let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon)));
    if (gamma) y = tf.mul(y, gamma);
    if (beta) y = tf.add(y, beta);
    return y;
  });
}

/**
 * {@link instanceNorm} that also returns the per-sample, per-channel statistics [B, C] it used
 * (HoloGAN `instance_norm(..., return_mean=True)`, which the style discriminator
 * `discriminator_IN_style_res128` feeds to its linear classifiers).
 */
export function instanceNormWithMoments(x: tf.Tensor, options: { gamma?: tf.Tensor; beta?: tf.Tensor; epsilon?: number } = {}): { y: tf.Tensor; mean: tf.Tensor2D; variance: tf.Tensor2D } {
  assertRank('instanceNormWithMoments', 'x', x, [3, 4, 5]);
  return tf.tidy(() => {
    const y = instanceNorm(x, options);
    const { mean, variance } = tf.moments(x, spatialAxes(x.rank));
    return { y, mean: mean as tf.Tensor2D, variance: variance as tf.Tensor2D };
  });
}

export interface InstanceNormArgs extends LayerArgs {
  /** Learn a per-channel scale γ and shift β (PyTorch `affine=True`). Default true. */
  affine?: boolean;
  /** Default 1e-5 (PyTorch and HoloGAN). */
  epsilon?: number;
  /** γ initialiser; default ones (PyTorch). HoloGAN uses N(1, 0.02). */
  gammaInitializer?: Initializer;
  /** β initialiser; default zeros. */
  betaInitializer?: Initializer;
}

/** Layer form of {@link instanceNorm} for [B, …spatial, C] inputs (2D and 3D feature maps). */
export class InstanceNorm extends tfl.layers.Layer {
  static className = 'GankitInstanceNorm';
  readonly affine: boolean;
  readonly epsilon: number;
  private readonly gammaInitializer: Initializer;
  private readonly betaInitializer: Initializer;
  private gamma: tfl.LayerVariable | null = null;
  private beta: tfl.LayerVariable | null = null;

  constructor(args: InstanceNormArgs = {}) {
    super(args);
    this.affine = args.affine ?? true;
    this.epsilon = args.epsilon ?? 1e-5;
    if (!(this.epsilon >= 0)) throw new Error(`InstanceNorm: 'epsilon' must be >= 0; got ${this.epsilon}`);
    this.gammaInitializer = toInitializer(args.gammaInitializer, () => tfl.initializers.ones());
    this.betaInitializer = toInitializer(args.betaInitializer, () => tfl.initializers.zeros());
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = inputShape as tfl.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error(`InstanceNorm: the channel axis must be known; got input shape [${shape.join(', ')}]`);
    if (this.affine) {
      this.gamma = this.addWeight('gamma', [channels], 'float32', this.gammaInitializer);
      this.beta = this.addWeight('beta', [channels], 'float32', this.betaInitializer);
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = singleInput('InstanceNorm', inputs);
    return instanceNorm(x, { gamma: this.gamma?.read(), beta: this.beta?.read(), epsilon: this.epsilon });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      affine: this.affine,
      epsilon: this.epsilon,
      gammaInitializer: initializerConfig(this.gammaInitializer),
      betaInitializer: initializerConfig(this.betaInitializer),
    };
  }
}
