/**
 * Exponential moving average of weights (PGGAN tkarras/progressive_growing_of_gans train.py:
 * `Gs.setup_as_moving_average_of(G, beta=0.999)`, i.e. θ̄ ← β·θ̄ + (1 − β)·θ after every step).
 * Samples and evaluations use the averaged weights via {@link ExponentialMovingAverage.withAverages}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertInRange } from '../util/validate.js';

export interface EmaOptions {
  /** Decay β per update. Default 0.999 (PGGAN). */
  beta?: number;
  /** Alternative to β: the number of updates after which an old value's weight halves; β = 0.5^(1/halfLife). */
  halfLife?: number;
}

/** β for a half-life in updates: 0.5^(1/halfLife). */
export function halfLifeToBeta(halfLife: number): number {
  if (!(halfLife > 0)) throw new Error(`halfLifeToBeta: 'halfLife' must be > 0; got ${halfLife}`);
  return Math.pow(0.5, 1 / halfLife);
}

export class ExponentialMovingAverage {
  readonly beta: number;
  readonly variables: readonly tf.Variable[];
  /** The averages, one per variable, same order (non-trainable). */
  readonly averages: tf.Variable[];

  constructor(variables: readonly tf.Variable[], options: EmaOptions = {}) {
    if (!Array.isArray(variables) || variables.length === 0) {
      throw new Error(`ExponentialMovingAverage: 'variables' must be a non-empty array of tf.Variable; got ${Array.isArray(variables) ? 0 : typeof variables}`);
    }
    if (options.beta != null && options.halfLife != null) throw new Error(`ExponentialMovingAverage: give 'beta' or 'halfLife', not both`);
    this.beta = options.halfLife != null ? halfLifeToBeta(options.halfLife) : (options.beta ?? 0.999);
    assertInRange('ExponentialMovingAverage', 'beta', this.beta, 0, 1);
    this.variables = [...variables];
    // tidy frees the clones; the variables keep their data (tfjs variables share the initial tensor's data).
    this.averages = tf.tidy(() => this.variables.map((v) => tf.variable(tf.clone(v), false)));
  }

  /** θ̄ ← β·θ̄ + (1 − β)·θ for every variable. */
  update(): void {
    tf.tidy(() => {
      this.variables.forEach((v, i) => {
        const a = this.averages[i];
        a.assign(tf.add(tf.mul(a, this.beta), tf.mul(v, 1 - this.beta)));
      });
    });
  }

  /** Reset the averages to the current weights. */
  reset(): void {
    this.variables.forEach((v, i) => this.averages[i].assign(v));
  }

  /**
   * Run `fn` with the averaged weights swapped into the variables, then restore the live weights
   * exactly (also when `fn` throws or its promise rejects).
   */
  withAverages<T>(fn: () => T): T {
    const saved = this.variables.map((v) => tf.clone(v));
    this.variables.forEach((v, i) => v.assign(this.averages[i]));
    const restore = () => {
      this.variables.forEach((v, i) => v.assign(saved[i]));
      tf.dispose(saved);
    };
    let result: T;
    try {
      result = fn();
    } catch (err) {
      restore();
      throw err;
    }
    if (result instanceof Promise) {
      return result.then(
        (r) => {
          restore();
          return r;
        },
        (err) => {
          restore();
          throw err;
        },
      ) as T;
    }
    restore();
    return result;
  }

  dispose(): void {
    tf.dispose(this.averages);
  }
}
