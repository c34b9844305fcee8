import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { initParityBackend } from './backends.js';

/** Things a spec creates that `tf.tidy` does not clean (models, variables, optimizers): disposed after the run. */
export interface ParityContext {
  own<T extends { dispose(): unknown }>(thing: T): T;
}

/**
 * One parity case: `run` builds its inputs from seeded host data (so every backend sees the same
 * numbers), computes, and returns named tensors (forward values, gradients, updated weights).
 */
export interface ParitySpec {
  name: string;
  run: (ctx: ParityContext) => Record<string, tf.Tensor | tf.Tensor[]>;
  /** Tolerance multiplier (default 1) on {@link PARITY_TOLERANCE}, for outputs known to amplify rounding (say why at the spec). */
  tolerance?: number;
}

/**
 * |x − x_cpu| ≤ rtol·|x_cpu| + atol·max|x_cpu| per output (the max over all outputs of the same
 * kind: every weight gradient of a spec, say), with rtol = atol = 2e-3. Why: float32
 * has ε ≈ 1.2e-7, but GPU kernels sum in another order (tree reductions, tiled matmuls: the relative
 * error of a K-term sum grows like √K·ε, and cancellation — gradients through normalisations,
 * differences of nearly equal terms — turns it into an absolute error on the scale of the output),
 * and WGSL `exp`, `log`, `tanh`, `sin` need only be within a few ULP (WGSL allows 3 + 2|x| ULP
 * for exp). 2e-3 of the output's scale is ~10⁴ ε: far above rounding, far below a real bug (a
 * wrong index, a missing term or a transposed kernel moves outputs by O(1) of their scale).
 */
export const PARITY_TOLERANCE = { rtol: 2e-3, atol: 2e-3 };

export type ParityOutputs = Record<string, { shape: number[]; values: Float32Array }>;

/** Run a spec on one backend; checks that it leaves no tensors behind. */
export async function runOn(backend: string, spec: ParitySpec): Promise<ParityOutputs> {
  await initParityBackend(backend);
  const before = tf.memory().numTensors;
  const owned: { dispose(): unknown }[] = [];
  const ctx: ParityContext = { own: (thing) => (owned.push(thing), thing) };
  let keys: string[] = [];
  let tensors: tf.Tensor[] = [];
  try {
    tensors = tf.tidy(() => {
      const flat: [string, tf.Tensor][] = [];
      for (const [k, v] of Object.entries(spec.run(ctx))) {
        if (Array.isArray(v)) v.forEach((t, i) => flat.push([`${k}[${i}]`, t]));
        else flat.push([k, v]);
      }
      keys = flat.map(([k]) => k);
      return flat.map(([, t]) => t);
    });
    const out: ParityOutputs = {};
    for (let i = 0; i < tensors.length; i++) out[keys[i]] = { shape: [...tensors[i].shape], values: Float32Array.from(await tensors[i].data()) };
    return out;
  } finally {
    tf.dispose(tensors);
    owned.forEach((o) => o.dispose());
    expect(tf.memory().numTensors, `${spec.name} on ${backend}: tensors left behind`).toBeLessThanOrEqual(before);
  }
}

/** Compare a backend's outputs with cpu's under the stated tolerance; returns the worst ratio |diff| / bound. */
export function expectParity(spec: ParitySpec, backend: string, actual: ParityOutputs, reference: ParityOutputs): number {
  const scale = spec.tolerance ?? 1;
  const { rtol, atol } = PARITY_TOLERANCE;
  expect(Object.keys(actual)).toEqual(Object.keys(reference));
  // The absolute term scales with the largest value of the same kind (all weight gradients of a
  // model, say): a bias in front of a BatchNorm has an exactly-zero gradient, and its float32
  // value is pure rounding of the other gradients' size.
  const groupOf = (key: string) => key.replace(/\[\d+\]$/, '');
  const groupMax: Record<string, number> = {};
  for (const [key, ref] of Object.entries(reference)) {
    for (const v of ref.values) groupMax[groupOf(key)] = Math.max(groupMax[groupOf(key)] ?? 0, Math.abs(v));
  }
  let worstRatio = 0;
  for (const [key, ref] of Object.entries(reference)) {
    const got = actual[key];
    expect(got.shape, `${spec.name} [${backend}] ${key}: shape`).toEqual(ref.shape);
    const maxAbs = groupMax[groupOf(key)];
    let worst = { ratio: 0, index: -1, diff: 0 };
    for (let i = 0; i < ref.values.length; i++) {
      const bound = scale * (rtol * Math.abs(ref.values[i]) + atol * maxAbs) + 1e-30;
      const diff = Math.abs(got.values[i] - ref.values[i]);
      const ratio = Number.isNaN(diff) ? (Number.isNaN(got.values[i]) && Number.isNaN(ref.values[i]) ? 0 : Infinity) : diff / bound;
      if (ratio > worst.ratio) worst = { ratio, index: i, diff };
    }
    expect(
      worst.ratio,
      `${spec.name} [${backend}] ${key}: element ${worst.index} is ${got.values[worst.index]}, cpu ${ref.values[worst.index]} (|diff| ${worst.diff.toExponential(2)}, max|cpu| of ${groupOf(key)} ${maxAbs.toExponential(2)})`,
    ).toBeLessThanOrEqual(1);
    worstRatio = Math.max(worstRatio, worst.ratio);
  }
  return worstRatio;
}
