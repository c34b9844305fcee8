/**
 * The shape of a composite loss: the scalar to minimise plus its named, already weighted
 * parts (for logging). The trainer accepts either a plain `tf.Scalar` or a {@link LossTerms}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { addAll } from '../util/add_all.js';

export type LossTerms = {
  /** The objective that is minimised: the sum of `terms`. */
  total: tf.Scalar;
  /** Named, weighted parts of `total` (each already multiplied by its weight). */
  terms: Record<string, tf.Scalar>;
};

/** Build a {@link LossTerms} whose total is the sum of the given weighted terms (terms stay alive). */
export function sumTerms(terms: Record<string, tf.Scalar>): LossTerms {
  const values = Object.values(terms);
  if (values.length === 0) throw new Error(`sumTerms: 'terms' must have at least one entry; got none`);
  const total = (values.length === 1 ? tf.clone(values[0]) : addAll(values)) as tf.Scalar;
  return { total, terms };
}

/** Dispose every tensor of a {@link LossTerms}. */
export function disposeTerms(t: LossTerms): void {
  tf.dispose([t.total, ...Object.values(t.terms)]);
}

/** The options of a loss whose only setting is a multiplier. */
export interface WeightOption {
  /** Multiplies the loss. Default 1. */
  weight?: number;
}

/**
 * `options.weight` (default 1), or a bare number — the deprecated positional form that some losses
 * took before every loss became `(inputs…, options?)`. Throws naming the loss on a non-finite or
 * negative weight (a negative weight turns a loss into a reward: always a sign flip by mistake).
 */
export function resolveWeight(where: string, options: WeightOption | number | undefined): number {
  const weight = typeof options === 'number' ? options : (options?.weight ?? 1);
  if (!Number.isFinite(weight) || weight < 0) throw new Error(`${where}: 'weight' must be a finite number ≥ 0; got ${weight}`);
  return weight;
}
