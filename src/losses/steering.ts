/**
 * Document 000's expression-steering loss (HoloGAN + GAN steerability, "Novel Loss Function", eq. 1):
 *
 *   L = λ_emb·L2(EMB(G(z)), EMB(G(z + α·w))) + λ_aur·L2(y(α), AUR(G(z + α·w)))
 *
 * with a frozen generator G, a frozen identity embedding EMB (the paper: CMU OpenFace) and a
 * frozen action-unit regressor AUR (the paper: ResNet fine-tuned on EmotioNet, 17 AUs). Only the
 * walk w is trained. L2 is the mean squared error (the paper: "mean squared error as a loss
 * function"). The frozen models are plain functions, so any tfjs model can be plugged in.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertRank, assertShape } from '../util/validate.js';
import { l2Loss } from './reconstruction.js';
import { sumTerms, type LossTerms } from './terms.js';

/** A latent walk: either a linear direction w (`[D]` or `[D, K]` for K sliders) or a function (z, α) → z′. */
export type Walk = tf.Tensor | ((z: tf.Tensor, alpha: tf.Tensor) => tf.Tensor);

/**
 * Apply a walk. Linear (gan_steerability graphs/*\/transform_base.py): z′ = z + Σ_k α[:, k]·w[:, k]
 * with α `[B, K]` (or `[B]` / `[B, 1]` for one slider) and w `[D, K]` (or `[D]`).
 */
export function applyWalk(walk: Walk, z: tf.Tensor, alpha: tf.Tensor): tf.Tensor {
  if (typeof walk === 'function') return walk(z, alpha);
  assertRank('applyWalk', 'z', z, 2);
  const w = walk.rank === 1 ? tf.reshape(walk, [walk.shape[0], 1]) : walk;
  assertRank('applyWalk', 'walk', w, 2);
  if (w.shape[0] !== z.shape[1]) throw new Error(`applyWalk: 'walk' must be [${z.shape[1]}, K]; got [${walk.shape.join(', ')}]`);
  const a = alpha.rank === 1 ? tf.reshape(alpha, [alpha.shape[0], 1]) : alpha;
  assertShape('applyWalk', 'alpha', a, [z.shape[0], w.shape[1]!]);
  return tf.tidy(() => tf.add(z, tf.matMul(a, w, false, true)));
}

export interface SteeringLossInputs {
  /** Frozen generator G: z → images. */
  generator: (z: tf.Tensor) => tf.Tensor;
  /** Frozen identity embedding EMB: images → `[B, E]`. */
  embedding: (images: tf.Tensor) => tf.Tensor;
  /** Frozen AU regressor AUR: images → `[B, A]`. */
  auRegressor: (images: tf.Tensor) => tf.Tensor;
  /** Latents z `[B, D]`. */
  z: tf.Tensor;
  /** The walk being trained. */
  walk: Walk;
  /** Step sizes α `[B, K]` (or `[B]`). */
  alpha: tf.Tensor;
  /** Desired AU intensities for each α, `[B, A]` (the paper's "α" target, the desired expression). */
  target: tf.Tensor;
  /** λ_emb. Default 1. */
  embeddingWeight?: number;
  /** λ_aur. Default 1. */
  auWeight?: number;
}

/** Document 000 eq. (1). Terms: `identity` (embedding L2), `au` (AU-regressor L2). */
export function steeringLoss(inputs: SteeringLossInputs): LossTerms {
  const { generator, embedding, auRegressor, z, walk, alpha, target, embeddingWeight = 1, auWeight = 1 } = inputs;
  assertRank('steeringLoss', 'z', z, 2);
  assertRank('steeringLoss', 'target', target, 2);
  if (target.shape[0] !== z.shape[0]) throw new Error(`steeringLoss: 'target' must have ${z.shape[0]} rows (one per z); got [${target.shape.join(', ')}]`);
  return tf.tidy(() => {
    const embOriginal = embedding(generator(z));
    const edited = generator(applyWalk(walk, z, alpha));
    const au = auRegressor(edited);
    assertShape('steeringLoss', 'auRegressor(G(z′)) vs target', au, target.shape);
    return sumTerms({
      identity: tf.mul(embeddingWeight, l2Loss(embedding(edited), embOriginal)) as tf.Scalar,
      au: tf.mul(auWeight, l2Loss(au, target)) as tf.Scalar,
    });
  });
}

export interface SteeringObjectiveOptions {
  /** Frozen identity embedding EMB: images → `[B, E]`. */
  embedding: (images: tf.Tensor) => tf.Tensor;
  /** Frozen AU regressor AUR: images → `[B, A]`. */
  auRegressor: (images: tf.Tensor) => tf.Tensor;
  /** Desired AU intensities for the sampled step sizes: α `[B, K]` → `[B, A]`. */
  target: (alpha: tf.Tensor2D) => tf.Tensor;
  embeddingWeight?: number;
  auWeight?: number;
}

/**
 * Document 000's loss as a walk objective on (G(z), G(z + α·w), α) → scalar — the shape that
 * `trainLinearWalk({ objective })` in gankit/latent takes: λ_emb·L2(EMB(G(z)), EMB(G(z′))) +
 * λ_aur·L2(target(α), AUR(G(z′))). Equals {@link steeringLoss}'s total for the same inputs.
 */
export function steeringObjective(options: SteeringObjectiveOptions): (imagesOriginal: tf.Tensor, imagesEdited: tf.Tensor, alpha: tf.Tensor2D) => tf.Scalar {
  const { embedding, auRegressor, target, embeddingWeight = 1, auWeight = 1 } = options;
  return (imagesOriginal, imagesEdited, alpha) =>
    tf.tidy(() => {
      const au = auRegressor(imagesEdited);
      const want = target(alpha);
      assertShape('steeringObjective', 'target(α) vs auRegressor(G(z′))', want, au.shape);
      return tf.add(tf.mul(embeddingWeight, l2Loss(embedding(imagesEdited), embedding(imagesOriginal))), tf.mul(auWeight, l2Loss(au, want))) as tf.Scalar;
    });
}
