/**
 * VAE objectives as AntixK/PyTorch-VAE@a6896b9 computes them (models/vanilla_vae.py,
 * models/beta_vae.py, models/dfcvae.py): a per-element-mean reconstruction (`F.mse_loss`), a KL
 * term summed over latent dimensions and averaged over the batch, and the β-VAE / DFC-VAE mixes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertShape } from '../util/validate.js';
import { l2Loss } from './reconstruction.js';
import { sumTerms, type LossTerms } from './terms.js';
import { perceptualLoss, type FeatureExtractor } from './perceptual.js';

/**
 * KL(q(z|x) ‖ N(0, I)) = mean_B(−½ Σ_j (1 + log σ²_j − μ²_j − σ²_j)) (Kingma & Welling 2014,
 * appendix B; PyTorch-VAE `kld_loss`). `mu` and `logVar` are `[B, ...]`; all non-batch axes are summed.
 */
export function klDivergence(mu: tf.Tensor, logVar: tf.Tensor): tf.Scalar {
  if (mu.rank < 2) throw new Error(`klDivergence: 'mu' must be [B, latent...]; got shape [${mu.shape.join(', ')}]`);
  assertShape('klDivergence', 'logVar', logVar, mu.shape);
  return tf.tidy(() => {
    const inner = tf.sub(tf.sub(tf.add(1, logVar), tf.square(mu)), tf.exp(logVar));
    const perSample = tf.mul(-0.5, tf.sum(tf.reshape(inner, [mu.shape[0], -1]), 1));
    return tf.mean(perSample) as tf.Scalar;
  });
}

/**
 * Burgess capacity schedule (beta_vae.py): C = clamp(C_max / C_stop_iter · iteration, 0, C_max).
 * The reference increments `num_iter` before computing the loss, so its first call uses iteration 1.
 */
export function capacity(iteration: number, maxCapacity = 25, stopIteration = 1e5): number {
  if (!(stopIteration > 0)) throw new Error(`capacity: 'stopIteration' must be > 0; got ${stopIteration}`);
  if (!(iteration >= 0) || !Number.isFinite(iteration)) throw new Error(`capacity: 'iteration' must be a finite number ≥ 0; got ${iteration}`);
  if (!(maxCapacity >= 0) || !Number.isFinite(maxCapacity)) throw new Error(`capacity: 'maxCapacity' must be a finite number ≥ 0; got ${maxCapacity}`);
  return Math.min(Math.max((maxCapacity / stopIteration) * iteration, 0), maxCapacity);
}

export interface BetaVaeLossInputs {
  /** Decoder output x̂. */
  reconstruction: tf.Tensor;
  /** Input x. */
  input: tf.Tensor;
  mu: tf.Tensor;
  logVar: tf.Tensor;
  /** M/N minibatch weight of the KL term (`kld_weight`; configs use 0.00025 in training, 1 in validation). Default 1. */
  kldWeight?: number;
  /** `'H'` (Higgins: recons + β·w·KL) or `'B'` (Burgess: recons + γ·w·|KL − C|). Default 'B' as the class. */
  type?: 'H' | 'B';
  /** β for 'H'. Default 4. */
  beta?: number;
  /** γ for 'B'. Default 1000. */
  gamma?: number;
  /** C_max for 'B'. Default 25. */
  maxCapacity?: number;
  /** C_stop_iter for 'B'. Default 1e5. */
  capacityStopIteration?: number;
  /** The reference's `num_iter` after its increment (1 on the first call). Required for 'B'. */
  iteration?: number;
  /** Reconstruction term; default `l2Loss` (per-element mean, the reference). */
  reconstructionLoss?: (reconstruction: tf.Tensor, input: tf.Tensor) => tf.Scalar;
}

/** The VAE losses' shared checks: tensors, `input` shaped like `reconstruction`, `logVar` like `mu`. */
function checkVaeInputs(where: string, reconstruction: tf.Tensor, input: tf.Tensor, mu: tf.Tensor, logVar: tf.Tensor): void {
  for (const [name, t] of [
    ['reconstruction', reconstruction],
    ['input', input],
    ['mu', mu],
    ['logVar', logVar],
  ] as const) {
    if (!(t instanceof tf.Tensor)) throw new Error(`${where}: '${name}' must be a tf.Tensor; got ${typeof t}`);
  }
  assertShape(where, 'input', input, reconstruction.shape);
  assertShape(where, 'logVar', logVar, mu.shape);
}

/**
 * β-VAE loss (beta_vae.py `loss_function`). 'H': recons + β·kld_weight·KL;
 * 'B': recons + γ·kld_weight·|KL − C(iteration)|. Terms: `reconstruction`, `kl` (weighted).
 */
export function betaVaeLoss(inputs: BetaVaeLossInputs): LossTerms {
  const { reconstruction, input, mu, logVar, kldWeight = 1, type = 'B', beta = 4, gamma = 1000 } = inputs;
  const { maxCapacity = 25, capacityStopIteration = 1e5, reconstructionLoss = l2Loss } = inputs;
  if (type !== 'H' && type !== 'B') throw new Error(`betaVaeLoss: 'type' must be 'H' or 'B'; got '${String(type)}'`);
  checkVaeInputs('betaVaeLoss', reconstruction, input, mu, logVar);
  if (type === 'B' && !(Number.isFinite(inputs.iteration) && inputs.iteration! >= 0)) {
    throw new Error(`betaVaeLoss: 'iteration' (a number ≥ 0) is required for type 'B'; got ${inputs.iteration}`);
  }
  return tf.tidy(() => {
    const recons = reconstructionLoss(reconstruction, input);
    const kld = klDivergence(mu, logVar);
    const kl = type === 'H' ? tf.mul(beta * kldWeight, kld) : tf.mul(gamma * kldWeight, tf.abs(tf.sub(kld, capacity(inputs.iteration!, maxCapacity, capacityStopIteration))));
    return sumTerms({ reconstruction: recons, kl: kl as tf.Scalar });
  });
}

export interface DfcVaeLossInputs {
  reconstruction: tf.Tensor;
  input: tf.Tensor;
  mu: tf.Tensor;
  logVar: tf.Tensor;
  /** Feature extractor φ (reference: frozen VGG19-BN `features`, layers '14','24','34','43'). */
  features: FeatureExtractor;
  /** M/N weight. Default 1. */
  kldWeight?: number;
  /** α (KL weight). Default 1. */
  alpha?: number;
  /** β (reconstruction + feature weight). Default 0.5. */
  beta?: number;
}

/**
 * DFC-VAE loss (dfcvae.py `loss_function`): β·(MSE(x̂, x) + Σ_l MSE(φ_l(x̂), φ_l(x))) + α·kld_weight·KL.
 * Terms: `reconstruction`, `feature` (both × β), `kl` (× α·kld_weight).
 */
export function dfcVaeLoss(inputs: DfcVaeLossInputs): LossTerms {
  const { reconstruction, input, mu, logVar, features, kldWeight = 1, alpha = 1, beta = 0.5 } = inputs;
  checkVaeInputs('dfcVaeLoss', reconstruction, input, mu, logVar);
  return tf.tidy(() =>
    sumTerms({
      reconstruction: tf.mul(beta, l2Loss(reconstruction, input)) as tf.Scalar,
      feature: tf.mul(beta, perceptualLoss(features, reconstruction, input)) as tf.Scalar,
      kl: tf.mul(alpha * kldWeight, klDivergence(mu, logVar)) as tf.Scalar,
    }),
  );
}
