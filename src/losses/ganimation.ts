/**
 * GANimation losses (Pumarola et al. 2018) as the reference code computes them
 * (albertpumarola/GANimation@40da9ae models/ganimation.py). Images are NHWC; attention masks
 * `[B, H, W, 1]`; AU vectors `[B, c]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { composeWithAttention, saturateAttention } from '../layers/attention_color_head.js';
import { assertRank, assertShape } from '../util/validate.js';
import { l1Loss } from './reconstruction.js';
import { sumTerms, type LossTerms } from './terms.js';
import { addAll } from '../util/add_all.js';

/** Reference loss weights (`options/train_options.py`). */
export interface GanimationWeights {
  /** λ_D_prob. Default 1. */
  dProb: number;
  /** λ_D_cond. Default 4000. */
  dCond: number;
  /** λ_cyc. Default 10. */
  cyc: number;
  /** λ_mask. Default 0.1. */
  mask: number;
  /** λ_mask_smooth. Default 1e-5 (some paper versions list 1e-4). */
  maskSmooth: number;
  /** λ_D_gp. Default 10 (used by the separate gradient-penalty step, see `gradientPenalty`). */
  gp: number;
}

export const GANIMATION_WEIGHTS: Readonly<GanimationWeights> = Object.freeze({
  dProb: 1,
  dCond: 4000,
  cyc: 10,
  mask: 0.1,
  maskSmooth: 1e-5,
  gp: 10,
});

/**
 * Total variation as the reference's `_compute_loss_smooth`: by default the **sum** (not mean) over
 * the batch of |horizontal| + |vertical| neighbour differences. `x` is `[B, H, W, C]`.
 * `reduction: 'mean'` averages each direction over its differences instead (a common variant; not
 * the reference).
 */
export function totalVariation(x: tf.Tensor, options: { reduction?: 'sum' | 'mean' } = {}): tf.Scalar {
  assertRank('totalVariation', 'x', x, 4);
  const { reduction = 'sum' } = options;
  if (reduction !== 'sum' && reduction !== 'mean') throw new Error(`totalVariation: 'reduction' must be 'sum' or 'mean'; got '${String(reduction)}'`);
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const reduce = reduction === 'sum' ? tf.sum : tf.mean;
  return tf.tidy(() => {
    const terms: tf.Tensor[] = [];
    if (w > 1) terms.push(reduce(tf.abs(tf.sub(tf.slice(x, [0, 0, 0, 0], [b, h, w - 1, c]), tf.slice(x, [0, 0, 1, 0], [b, h, w - 1, c])))));
    if (h > 1) terms.push(reduce(tf.abs(tf.sub(tf.slice(x, [0, 0, 0, 0], [b, h - 1, w, c]), tf.slice(x, [0, 1, 0, 0], [b, h - 1, w, c])))));
    return (terms.length === 0 ? tf.mul(0, tf.sum(x)) : addAll(terms)) as tf.Scalar;
  });
}

/**
 * Attention-mask loss for one mask: λ_mask·mean(A) + λ_smooth·TV(A), TV a sum
 * (reference `_loss_g_mask_1` + `_loss_g_mask_1_smooth`). The full generator recipe adds this for
 * both the forward and the reconstruction mask.
 */
export function attentionLoss(attention: tf.Tensor, options: { lambdaMask?: number; lambdaSmooth?: number } = {}): tf.Scalar {
  assertRank('attentionLoss', 'attention', attention, 4);
  const { lambdaMask = GANIMATION_WEIGHTS.mask, lambdaSmooth = GANIMATION_WEIGHTS.maskSmooth } = options;
  return tf.tidy(() => tf.add(tf.mul(lambdaMask, tf.mean(attention)), tf.mul(lambdaSmooth, totalVariation(attention))) as tf.Scalar);
}

/**
 * Conditional AU loss exactly as the reference reduces it: `MSELoss(pred, target) / B`, i.e.
 * mean over all B·c elements **and then divided by B again** (algorithms.md §6.3). Unweighted.
 * `extraBatchDivision: false` gives the plain MSE (the paper's intent).
 */
export function auConditionLoss(predicted: tf.Tensor, target: tf.Tensor, options: { extraBatchDivision?: boolean } = {}): tf.Scalar {
  assertRank('auConditionLoss', 'predicted', predicted, 2);
  assertShape('auConditionLoss', 'target', target, predicted.shape);
  const { extraBatchDivision = true } = options;
  return tf.tidy(() => tf.div(tf.mean(tf.square(tf.sub(predicted, target))), extraBatchDivision ? predicted.shape[0] : 1) as tf.Scalar);
}

/** GANimation generator as a function: images `[B,H,W,3]`, AUs `[B,c]` → color `[B,H,W,3]` and attention `[B,H,W,1]`. */
export type GanimationGeneratorFn = (images: tf.Tensor, cond: tf.Tensor) => { color: tf.Tensor; attention: tf.Tensor };
/** GANimation critic: images → PatchGAN critic map `prob` (any shape `[B,...]`) and AU regression `cond` `[B,c]`. */
export type GanimationCriticFn = (images: tf.Tensor) => { prob: tf.Tensor; cond: tf.Tensor };

export interface GanimationCompositeOptions {
  /**
   * `'code'` (default, reference code): out = A·I + (1 − A)·C — A ≈ 1 keeps the input.
   * `'paper'` (paper v1): out = A·C + (1 − A)·I (issue #21).
   */
  composition?: 'code' | 'paper';
  /** Reference `--do_saturate_mask`: A ← clamp(0.55·tanh(3(A − 0.5)) + 0.5, 0, 1). Default false. */
  saturateMask?: boolean;
}

/** Run the generator and compose its output with the input (reference `forward_G`; composition by `composeWithAttention`). */
export function ganimationComposite(generator: GanimationGeneratorFn, images: tf.Tensor, cond: tf.Tensor, options: GanimationCompositeOptions = {}): { image: tf.Tensor; attention: tf.Tensor } {
  const { composition = 'code', saturateMask = false } = options;
  return tf.tidy(() => {
    const out = generator(images, cond);
    if (out == null || !(out.color instanceof tf.Tensor) || !(out.attention instanceof tf.Tensor)) {
      throw new Error(`ganimationComposite: 'generator' must return { color, attention } tensors; got ${typeof out}`);
    }
    const a = saturateMask ? saturateAttention(out.attention) : out.attention;
    return { image: composeWithAttention(a, images, out.color, composition), attention: a };
  });
}

export interface GanimationGeneratorLossInputs extends GanimationCompositeOptions {
  generator: GanimationGeneratorFn;
  critic: GanimationCriticFn;
  /** Input images I_{y_o} `[B,H,W,3]`. */
  realImages: tf.Tensor;
  /** Their AUs y_o `[B,c]`. */
  realCond: tf.Tensor;
  /** Desired AUs y_f `[B,c]`. */
  desiredCond: tf.Tensor;
  weights?: Partial<GanimationWeights>;
}

/**
 * GANimation generator objective (reference `forward_G`):
 * −λ_D_prob·mean D(Ĩ) + λ_D_cond·MSE(D_cond(Ĩ), y_f)/B + λ_cyc·L1(G(Ĩ, y_o), I)
 * + λ_mask·(mean A₁ + mean A₂) + λ_mask_smooth·(TV(A₁) + TV(A₂)),
 * with Ĩ = A₁·I + (1 − A₁)·C₁ from G(I, y_f) and the reconstruction composed the same way from G(Ĩ, y_o).
 * Terms: `adv`, `cond`, `cyc`, `mask`, `maskSmooth`.
 */
export function ganimationGeneratorLoss(inputs: GanimationGeneratorLossInputs): LossTerms {
  const { generator, critic, realImages, realCond, desiredCond } = inputs;
  assertRank('ganimationGeneratorLoss', 'realImages', realImages, 4);
  assertRank('ganimationGeneratorLoss', 'realCond', realCond, 2);
  assertShape('ganimationGeneratorLoss', 'desiredCond', desiredCond, realCond.shape);
  const w = { ...GANIMATION_WEIGHTS, ...inputs.weights };
  return tf.tidy(() => {
    const fake = ganimationComposite(generator, realImages, desiredCond, inputs);
    const d = critic(fake.image);
    const rec = ganimationComposite(generator, fake.image, realCond, inputs);
    const terms: Record<string, tf.Scalar> = {
      adv: tf.mul(-w.dProb, tf.mean(d.prob)) as tf.Scalar,
      cond: tf.mul(w.dCond, auConditionLoss(d.cond, desiredCond)) as tf.Scalar,
      cyc: tf.mul(w.cyc, l1Loss(rec.image, realImages)) as tf.Scalar,
      mask: tf.mul(w.mask, tf.add(tf.mean(fake.attention), tf.mean(rec.attention))) as tf.Scalar,
      maskSmooth: tf.mul(w.maskSmooth, tf.add(totalVariation(fake.attention), totalVariation(rec.attention))) as tf.Scalar,
    };
    return sumTerms(terms);
  });
}

export interface GanimationDiscriminatorLossInputs {
  critic: GanimationCriticFn;
  realImages: tf.Tensor;
  realCond: tf.Tensor;
  /** Composed fake images Ĩ (treated as constants). */
  fakeImages: tf.Tensor;
  weights?: Partial<GanimationWeights>;
}

/**
 * GANimation critic objective without the gradient penalty (reference `forward_D`):
 * λ_D_prob·(−mean D(I) + mean D(Ĩ)) + λ_D_cond·MSE(D_cond(I), y_o)/B. The reference then takes a
 * **separate** optimizer step on `gradientPenalty(critic.prob, I, Ĩ, { weight: λ_D_gp })` with the
 * same Ĩ. Terms: `real`, `fake`, `cond`.
 */
export function ganimationDiscriminatorLoss(inputs: GanimationDiscriminatorLossInputs): LossTerms {
  const { critic, realImages, realCond, fakeImages } = inputs;
  assertRank('ganimationDiscriminatorLoss', 'realImages', realImages, 4);
  assertShape('ganimationDiscriminatorLoss', 'fakeImages', fakeImages, realImages.shape);
  assertRank('ganimationDiscriminatorLoss', 'realCond', realCond, 2);
  const w = { ...GANIMATION_WEIGHTS, ...inputs.weights };
  return tf.tidy(() => {
    const dr = critic(realImages);
    const df = critic(fakeImages);
    return sumTerms({
      real: tf.mul(-w.dProb, tf.mean(dr.prob)) as tf.Scalar,
      fake: tf.mul(w.dProb, tf.mean(df.prob)) as tf.Scalar,
      cond: tf.mul(w.dCond, auConditionLoss(dr.cond, realCond)) as tf.Scalar,
    });
  });
}
