/**
 * Adversarial losses. Every family is a pair of plain functions with the same shape:
 *
 * - `xxxDiscriminatorLoss(realLogits, fakeLogits, options?) → Scalar` (the D / critic objective, minimised),
 * - `xxxGeneratorLoss(fakeLogits, options?) → Scalar` (the G objective, minimised),
 *
 * where logits are the raw (pre-sigmoid) discriminator outputs of any shape `[B, ...]` — a
 * PatchGAN map is averaged over all its elements, as `torch.mean` / `BCEWithLogitsLoss` do.
 * {@link ADVERSARIAL_LOSSES} lists the families under one {@link AdversarialLoss} interface.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertInRange } from '../util/validate.js';

/** A D / G loss pair. */
export interface AdversarialLoss {
  /**
   * Family name: `'nonSaturating'`, `'minimax'`, `'leastSquares'`, `'wasserstein'`, `'hinge'` for
   * the built-ins; any name for a user's own loss (e.g. `'relativistic'`).
   */
  readonly name: AdversarialLossName | (string & {});
  discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar;
  generatorLoss(fakeLogits: tf.Tensor): tf.Scalar;
}

export type AdversarialLossName = 'nonSaturating' | 'minimax' | 'leastSquares' | 'wasserstein' | 'hinge';

function checkLogits(where: string, name: string, x: tf.Tensor): void {
  if (!(x instanceof tf.Tensor)) throw new Error(`${where}: '${name}' must be a tf.Tensor; got ${typeof x}`);
  if (x.size === 0) throw new Error(`${where}: '${name}' must not be empty; got shape [${x.shape.join(', ')}]`);
  if (x.dtype !== 'float32') throw new Error(`${where}: '${name}' must be float32; got ${x.dtype}`);
}

/**
 * Sigmoid cross-entropy with logits against a constant label y, averaged over all elements:
 * mean(y·softplus(−x) + (1 − y)·softplus(x)) — the numerically stable form of
 * −[y log σ(x) + (1 − y) log(1 − σ(x))] (PyTorch `BCEWithLogitsLoss`, TF `sigmoid_cross_entropy_with_logits`).
 */
export function sigmoidCrossEntropy(logits: tf.Tensor, label: number): tf.Scalar {
  checkLogits('sigmoidCrossEntropy', 'logits', logits);
  assertInRange('sigmoidCrossEntropy', 'label', label, 0, 1);
  return tf.tidy(() => {
    if (label === 1) return tf.mean(tf.softplus(tf.neg(logits))) as tf.Scalar;
    if (label === 0) return tf.mean(tf.softplus(logits)) as tf.Scalar;
    return tf.mean(tf.add(tf.mul(label, tf.softplus(tf.neg(logits))), tf.mul(1 - label, tf.softplus(logits)))) as tf.Scalar;
  });
}

export interface BceOptions {
  /**
   * Target for real samples (one-sided label smoothing). Default 1. The tfjs ACGAN example
   * (tensorflow/tfjs-examples mnist-acgan/gan.js) uses 0.95.
   */
  realLabel?: number;
}

/**
 * Standard GAN discriminator loss (Goodfellow et al. 2014, eq. 1; HoloGAN
 * thunguyenphuoc/HoloGAN model_HoloGAN.py `sigmoid_cross_entropy_with_logits`):
 * BCE(D(x), 1) + BCE(D(G(z)), 0), each a mean over its elements. Shared by the
 * non-saturating and minimax families.
 */
export function bceDiscriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor, options: BceOptions = {}): tf.Scalar {
  checkLogits('bceDiscriminatorLoss', 'realLogits', realLogits);
  checkLogits('bceDiscriminatorLoss', 'fakeLogits', fakeLogits);
  const { realLabel = 1 } = options;
  assertInRange('bceDiscriminatorLoss', 'options.realLabel', realLabel, 0, 1);
  return tf.tidy(() => tf.add(sigmoidCrossEntropy(realLogits, realLabel), sigmoidCrossEntropy(fakeLogits, 0)) as tf.Scalar);
}

/**
 * Non-saturating generator loss (Goodfellow et al. 2014 §3; HoloGAN `g_loss`):
 * BCE(D(G(z)), 1) = mean(softplus(−D(G(z)))) = −mean log σ(D(G(z))).
 */
export function nonSaturatingGeneratorLoss(fakeLogits: tf.Tensor, options: BceOptions = {}): tf.Scalar {
  checkLogits('nonSaturatingGeneratorLoss', 'fakeLogits', fakeLogits);
  const { realLabel = 1 } = options;
  assertInRange('nonSaturatingGeneratorLoss', 'options.realLabel', realLabel, 0, 1);
  return sigmoidCrossEntropy(fakeLogits, realLabel);
}

/**
 * Minimax (saturating) generator loss, the literal objective of Goodfellow et al. 2014 eq. 1:
 * mean log(1 − σ(D(G(z)))) = −mean softplus(D(G(z))). Its gradient vanishes when D wins.
 */
export function minimaxGeneratorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  checkLogits('minimaxGeneratorLoss', 'fakeLogits', fakeLogits);
  return tf.tidy(() => tf.neg(tf.mean(tf.softplus(fakeLogits))) as tf.Scalar);
}

export interface LeastSquaresOptions {
  /** Target for real samples, b in Mao et al. Default 1. */
  realLabel?: number;
  /** Target for fake samples, a in Mao et al. Default 0. */
  fakeLabel?: number;
  /** Overall factor. Default 1 (document 002's code: plain `MSELoss` sums); the LSGAN paper uses ½. */
  factor?: number;
}

/**
 * Least-squares discriminator loss (Mao et al. 2017, LSGAN; document 002 "Loss": D loss
 * (D(x) − 1)² + (D(G(z)))², computed with PyTorch `MSELoss`, i.e. a mean over each batch):
 * mean((D(x) − b)²) + mean((D(G(z)) − a)²). The outputs are used raw (no sigmoid).
 * The LSGAN paper has an extra factor ½ (`factor: 0.5`); document 002's code does not (default 1).
 */
export function leastSquaresDiscriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor, options: LeastSquaresOptions = {}): tf.Scalar {
  checkLogits('leastSquaresDiscriminatorLoss', 'realLogits', realLogits);
  checkLogits('leastSquaresDiscriminatorLoss', 'fakeLogits', fakeLogits);
  const { realLabel = 1, fakeLabel = 0, factor = 1 } = options;
  return tf.tidy(() => tf.mul(factor, tf.add(tf.mean(tf.square(tf.sub(realLogits, realLabel))), tf.mean(tf.square(tf.sub(fakeLogits, fakeLabel))))) as tf.Scalar);
}

/** Least-squares generator loss (Mao et al. 2017; document 002: (D(G(z)) − 1)²): mean((D(G(z)) − c)²), c = realLabel. */
export function leastSquaresGeneratorLoss(fakeLogits: tf.Tensor, options: LeastSquaresOptions = {}): tf.Scalar {
  checkLogits('leastSquaresGeneratorLoss', 'fakeLogits', fakeLogits);
  const { realLabel = 1, factor = 1 } = options;
  return tf.tidy(() => tf.mul(factor, tf.mean(tf.square(tf.sub(fakeLogits, realLabel)))) as tf.Scalar);
}

/**
 * Wasserstein critic loss (Arjovsky et al. 2017; GANimation albertpumarola/GANimation
 * models/ganimation.py `_compute_loss_D`; PGGAN tkarras/progressive_growing_of_gans loss.py
 * `D_wgangp_acgan`): mean D(G(z)) − mean D(x). Add a gradient penalty or weight clipping.
 */
export function wassersteinDiscriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  checkLogits('wassersteinDiscriminatorLoss', 'realLogits', realLogits);
  checkLogits('wassersteinDiscriminatorLoss', 'fakeLogits', fakeLogits);
  return tf.tidy(() => tf.sub(tf.mean(fakeLogits), tf.mean(realLogits)) as tf.Scalar);
}

/** Wasserstein generator loss (same sources): −mean D(G(z)). Also the hinge generator loss. */
export function wassersteinGeneratorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  checkLogits('wassersteinGeneratorLoss', 'fakeLogits', fakeLogits);
  return tf.tidy(() => tf.neg(tf.mean(fakeLogits)) as tf.Scalar);
}

/**
 * Hinge discriminator loss (Lim & Ye 2017; Miyato et al. 2018, SN-GAN eq. 16):
 * mean(relu(1 − D(x))) + mean(relu(1 + D(G(z)))).
 */
export function hingeDiscriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  checkLogits('hingeDiscriminatorLoss', 'realLogits', realLogits);
  checkLogits('hingeDiscriminatorLoss', 'fakeLogits', fakeLogits);
  return tf.tidy(() => tf.add(tf.mean(tf.relu(tf.sub(1, realLogits))), tf.mean(tf.relu(tf.add(1, fakeLogits)))) as tf.Scalar);
}

/** Hinge generator loss (Miyato et al. 2018 eq. 17): −mean D(G(z)). */
export function hingeGeneratorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  checkLogits('hingeGeneratorLoss', 'fakeLogits', fakeLogits);
  return tf.tidy(() => tf.neg(tf.mean(fakeLogits)) as tf.Scalar);
}

export interface DriftPenaltyOptions {
  /** ε (PGGAN `wgan_epsilon`). Default 0.001. */
  epsilon?: number;
}

/**
 * PGGAN drift penalty (tkarras/progressive_growing_of_gans loss.py `wgan_epsilon`):
 * ε·mean(D(x)²), ε = 0.001, added to the critic loss to keep its outputs near zero.
 */
export function driftPenalty(realLogits: tf.Tensor, options: DriftPenaltyOptions | number = {}): tf.Scalar {
  checkLogits('driftPenalty', 'realLogits', realLogits);
  // a bare number is the deprecated positional form of { epsilon }
  const epsilon = typeof options === 'number' ? options : (options.epsilon ?? 0.001);
  if (!(epsilon >= 0)) throw new Error(`driftPenalty: 'epsilon' must be ≥ 0; got ${epsilon}`);
  return tf.tidy(() => tf.mul(epsilon, tf.mean(tf.square(realLogits))) as tf.Scalar);
}

/** Every adversarial family under one interface, keyed by name. */
export const ADVERSARIAL_LOSSES: Readonly<Record<AdversarialLossName, AdversarialLoss>> = Object.freeze({
  nonSaturating: { name: 'nonSaturating', discriminatorLoss: (r, f) => bceDiscriminatorLoss(r, f), generatorLoss: (f) => nonSaturatingGeneratorLoss(f) },
  minimax: { name: 'minimax', discriminatorLoss: (r, f) => bceDiscriminatorLoss(r, f), generatorLoss: minimaxGeneratorLoss },
  leastSquares: {
    name: 'leastSquares',
    discriminatorLoss: (r, f) => leastSquaresDiscriminatorLoss(r, f),
    generatorLoss: (f) => leastSquaresGeneratorLoss(f),
  },
  wasserstein: { name: 'wasserstein', discriminatorLoss: wassersteinDiscriminatorLoss, generatorLoss: wassersteinGeneratorLoss },
  hinge: { name: 'hinge', discriminatorLoss: hingeDiscriminatorLoss, generatorLoss: hingeGeneratorLoss },
});

/** Look up an adversarial family by name (throws listing the known names). */
export function adversarialLoss(name: AdversarialLossName | AdversarialLoss): AdversarialLoss {
  if (typeof name === 'object' && name != null) return name;
  const loss = (ADVERSARIAL_LOSSES as Record<string, AdversarialLoss>)[name];
  if (loss == null) throw new Error(`adversarialLoss: 'name' must be one of ${Object.keys(ADVERSARIAL_LOSSES).join(', ')}; got '${String(name)}'`);
  return loss;
}
