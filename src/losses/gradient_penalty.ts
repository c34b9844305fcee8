/**
 * Gradient penalties for critics: WGAN-GP (interpolates) and R1 (real data). Both differentiate
 * the critic with respect to its input inside the loss, so training D through them needs
 * second-order gradients of every op in the critic.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../util/random.js';
import { assertShape } from '../util/validate.js';

/** A critic / discriminator as a function: images (or any input) `[B, ...]` → logits `[B, ...]`. */
export type Critic = (x: tf.Tensor) => tf.Tensor;

export interface GradientPenaltyOptions {
  /** λ. Default 10 (Gulrajani et al. 2017; GANimation `lambda_D_gp`; PGGAN `wgan_lambda`). */
  weight?: number;
  /** Target norm γ (PGGAN `wgan_target`). Default 1. The penalty is scaled by 1/γ² as in PGGAN (no-op at 1). */
  target?: number;
  /** Interpolation weights u ∈ [0, 1], one per sample (`[B]`); drawn from `seed` when absent. */
  u?: tf.Tensor;
  /** Seed or generator for u ~ U(0, 1), one per sample. Required unless `u` is given. */
  seed?: number | Random;
  /** Added under the square root so the norm has a finite gradient at 0. Default 1e-12 (references: 0). */
  epsilon?: number;
}

function perSampleGradNorms(where: string, critic: Critic, x: tf.Tensor, epsilon: number): tf.Tensor1D {
  const g = tf.grad((y: tf.Tensor) => {
    const out = critic(y);
    if (!(out instanceof tf.Tensor)) throw new Error(`${where}: 'critic' must return a tf.Tensor; got ${typeof out}`);
    return tf.sum(out);
  })(x);
  const flat = tf.reshape(g, [x.shape[0], -1]);
  return tf.sqrt(tf.add(tf.sum(tf.square(flat), 1), epsilon)) as tf.Tensor1D;
}

function drawU(where: string, batch: number, options: GradientPenaltyOptions): tf.Tensor1D {
  if (options.u != null) {
    assertShape(where, 'options.u', options.u, [batch]);
    return tf.clone(options.u) as tf.Tensor1D;
  }
  if (options.seed == null) throw new Error(`${where}: 'options.seed' (a number or Random) or 'options.u' is required; got neither`);
  const rng = options.seed instanceof Random ? options.seed : new Random(options.seed);
  return tf.tensor1d(rng.uniformArray(batch, 0, 1));
}

/**
 * WGAN-GP penalty (Gulrajani et al. 2017, Alg. 1): x̂ = u·x + (1 − u)·x̃ with one u ~ U(0, 1)
 * per sample, penalty = λ/γ² · mean_B((‖∇_x̂ Σ D(x̂)‖₂ − γ)²). The gradient of the sum of
 * all critic outputs is taken, so PatchGAN maps work as in GANimation
 * (albertpumarola/GANimation models/ganimation.py `_gradinet_penalty_D`, `grad_outputs=ones`);
 * PGGAN: tkarras/progressive_growing_of_gans loss.py `D_wgangp_acgan`.
 */
export function gradientPenalty(critic: Critic, real: tf.Tensor, fake: tf.Tensor, options: GradientPenaltyOptions = {}): tf.Scalar {
  const where = 'gradientPenalty';
  if (typeof critic !== 'function') throw new Error(`${where}: 'critic' must be a function x → logits; got ${typeof critic}`);
  if (real.rank < 2) throw new Error(`${where}: 'real' must have rank ≥ 2 ([B, ...]); got shape [${real.shape.join(', ')}]`);
  assertShape(where, 'fake', fake, real.shape);
  const { weight = 10, target = 1, epsilon = 1e-12 } = options;
  if (!(target > 0)) throw new Error(`${where}: 'options.target' must be > 0; got ${target}`);
  const batch = real.shape[0];
  return tf.tidy(() => {
    const u = drawU(where, batch, options);
    const uB = tf.reshape(u, [batch, ...real.shape.slice(1).map(() => 1)]);
    const xHat = tf.add(tf.mul(uB, real), tf.mul(tf.sub(1, uB), fake));
    const norms = perSampleGradNorms(where, critic, xHat, epsilon);
    return tf.mul(weight / (target * target), tf.mean(tf.square(tf.sub(norms, target)))) as tf.Scalar;
  });
}

export interface R1Options {
  /** γ (GAN_stability's `reg_param`). Default 10 (Mescheder et al. 2018, GAN_stability configs). */
  gamma?: number;
  /**
   * Which scale the penalty uses:
   * - `'gan-stability'` (default, the cited code): γ · mean_B ‖∇_x D(x)‖² — LMescheder/GAN_stability
   *   gan_training/train.py, `reg = self.reg_param * compute_grad2(d_real, x_real).mean()`.
   * - `'paper'`: γ/2 · mean_B ‖∇_x D(x)‖² — the paper's eq. 9, and StyleGAN2's
   *   `r1_penalty * (r1_gamma / 2)`.
   * The two differ by exactly a factor 2 for the same γ.
   */
  convention?: 'gan-stability' | 'paper';
}

/**
 * R1 penalty (Mescheder et al. 2018, "Which training methods for GANs do actually converge?"):
 * γ · mean_B ‖∇_x Σ D(x)‖² as in the reference code (LMescheder/GAN_stability
 * gan_training/train.py `compute_grad2`, which has no ½), or the paper's γ/2 with
 * `convention: 'paper'`. Apply to fake samples for R2.
 */
export function r1Penalty(critic: Critic, real: tf.Tensor, options: R1Options = {}): tf.Scalar {
  const where = 'r1Penalty';
  if (typeof critic !== 'function') throw new Error(`${where}: 'critic' must be a function x → logits; got ${typeof critic}`);
  if (!(real instanceof tf.Tensor) || real.rank < 2 || real.size === 0) {
    throw new Error(`${where}: 'real' must be a non-empty tensor of rank ≥ 2 ([B, ...]); got ${real instanceof tf.Tensor ? `shape [${real.shape.join(', ')}]` : typeof real}`);
  }
  const { gamma = 10, convention = 'gan-stability' } = options;
  if (!(gamma >= 0)) throw new Error(`${where}: 'options.gamma' must be ≥ 0; got ${gamma}`);
  if (convention !== 'gan-stability' && convention !== 'paper') throw new Error(`${where}: 'options.convention' must be 'gan-stability' or 'paper'; got ${String(convention)}`);
  const scale = convention === 'paper' ? gamma / 2 : gamma;
  return tf.tidy(() => {
    const g = tf.grad((y: tf.Tensor) => tf.sum(critic(y)))(real);
    const sq = tf.sum(tf.square(tf.reshape(g, [real.shape[0], -1])), 1);
    return tf.mul(scale, tf.mean(sq)) as tf.Scalar;
  });
}
