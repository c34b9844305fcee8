import { assertPositiveInteger } from '../../util/validate.js';
import type { ChannelSplit } from './coupling.js';

/**
 * Glow (Kingma & Dhariwal 2018) after openai/glow model.py (`codec`, `revnet2d_step`, `split2d`,
 * `prior`, `_f_loss`), with rosinality/glow-pytorch's conventions as options (algorithms.md §8):
 *
 *   x ∈ [−½, ½] (+ U(0, 1/n_bins) dequantisation) → squeeze2d → for each level:
 *   depth × [actnorm → permutation → coupling]; between levels split2d (z2 scored by a learned
 *   Gaussian from z1, z1 squeezed) → top prior.
 *   objective = −log(n_bins)·D + log-det + log p(z);  bits/dim = −objective / (ln 2 · D).
 *
 * Defaults follow openai/glow train.py (3 levels, depth 32, width 512, additive coupling, plain
 * invertible 1×1 conv, interleaved splits, edge-bias padding, no learned top prior, 8 bits).
 */
export type GlowCoupling = 'additive' | 'affine';
export type GlowPermutation = 'conv' | 'lu' | 'reverse' | 'shuffle';

export interface GlowConfig {
  /** Number of levels (openai `n_levels`, default 3). */
  levels?: number;
  /** Flow steps per level (openai `depth`, default 32). */
  depth?: number;
  /** Hidden channels of the coupling network (openai `width`, default 512). */
  width?: number;
  /** 'additive' (openai default `flow_coupling 0`) or 'affine'. */
  coupling?: GlowCoupling;
  /** 'conv' (openai default, plain 1×1 conv), 'lu' (rosinality default), 'reverse' or 'shuffle' (openai flow_permutation 0 and 1). */
  permutation?: GlowPermutation;
  /** Channel-split convention of affine coupling and split priors (default 'interleaved' = openai; 'chunked' = rosinality). */
  split?: ChannelSplit;
  /** openai's edge-bias padding for 3×3 convs (default true); false = plain zero 'same' padding. */
  edgeBias?: boolean;
  /** Learned top prior (openai `--learntop`, default false). */
  learnTop?: boolean;
  /** Bits per input subpixel (openai `n_bits_x`, default 8). */
  nBits?: number;
  seed?: number;
}

/** Every option of {@link GlowConfig} filled with its default (and checked). */
export type ResolvedGlowConfig = Required<GlowConfig>;

export function resolveGlowConfig(where: string, c: GlowConfig): ResolvedGlowConfig {
  const r: ResolvedGlowConfig = {
    levels: c.levels ?? 3,
    depth: c.depth ?? 32,
    width: c.width ?? 512,
    coupling: c.coupling ?? 'additive',
    permutation: c.permutation ?? 'conv',
    split: c.split ?? 'interleaved',
    edgeBias: c.edgeBias ?? true,
    learnTop: c.learnTop ?? false,
    nBits: c.nBits ?? 8,
    seed: c.seed ?? 0,
  };
  for (const k of ['levels', 'depth', 'width', 'nBits'] as const) assertPositiveInteger(where, k, r[k]);
  if (r.nBits > 8) throw new Error(`${where}: 'nBits' must be in [1, 8]; got ${r.nBits}`);
  if (!['additive', 'affine'].includes(r.coupling)) throw new Error(`${where}: 'coupling' must be 'additive' or 'affine'; got ${String(r.coupling)}`);
  if (!['conv', 'lu', 'reverse', 'shuffle'].includes(r.permutation)) throw new Error(`${where}: 'permutation' must be 'conv', 'lu', 'reverse' or 'shuffle'; got ${String(r.permutation)}`);
  if (!['interleaved', 'chunked'].includes(r.split)) throw new Error(`${where}: 'split' must be 'interleaved' or 'chunked'; got ${String(r.split)}`);
  return r;
}
