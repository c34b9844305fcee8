/**
 * Shared test helpers: tensor closeness, finite-difference gradient checks (first and second
 * order), tensor-leak checks, backend matrices and fixture loading. Every test file uses these
 * instead of rolling its own.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { setupBackend } from '../../src/backend/setup.js';
import { Random } from '../../src/util/random.js';

export { Random };

type Numeric = tf.Tensor | number | ArrayLike<number> | number[][] | number[][][];

export interface Tolerance {
  /** Relative tolerance (scaled by |expected|). Default 1e-5. */
  rtol?: number;
  /** Absolute tolerance. Default 1e-6. */
  atol?: number;
}

function flatten(x: Numeric): Float64Array {
  if (x instanceof tf.Tensor) return Float64Array.from(x.dataSync());
  if (typeof x === 'number') return Float64Array.of(x);
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'number') out.push(v);
    else if (v != null && typeof (v as ArrayLike<unknown>).length === 'number') {
      for (let i = 0; i < (v as ArrayLike<unknown>).length; i++) walk((v as ArrayLike<unknown>)[i]);
    }
  };
  walk(x);
  return Float64Array.from(out);
}

/** Largest violation of |a − e| ≤ atol + rtol·|e| (≤ 0 means close), plus where. */
export function closeness(actual: Numeric, expected: Numeric, tol: Tolerance = {}): { worst: number; index: number; maxAbs: number } {
  const { rtol = 1e-5, atol = 1e-6 } = tol;
  const a = flatten(actual);
  const e = flatten(expected);
  if (a.length !== e.length) throw new Error(`closeness: ${a.length} actual values vs ${e.length} expected`);
  let worst = -Infinity;
  let index = -1;
  let maxAbs = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i] - e[i]);
    const excess = Number.isNaN(diff) ? Infinity : diff - (atol + rtol * Math.abs(e[i]));
    maxAbs = Math.max(maxAbs, diff);
    if (excess > worst) {
      worst = excess;
      index = i;
    }
  }
  return { worst, index, maxAbs };
}

/** Assert element-wise closeness; shapes are compared when both are tensors. */
export function expectClose(actual: Numeric, expected: Numeric, tol: Tolerance = {}): void {
  if (actual instanceof tf.Tensor && expected instanceof tf.Tensor) {
    expect(actual.shape, 'shape').toEqual(expected.shape);
  }
  const a = flatten(actual);
  const e = flatten(expected);
  expect(a.length, 'number of elements').toBe(e.length);
  const { worst, index, maxAbs } = closeness(a, e, tol);
  if (worst > 0) {
    throw new Error(`not close: element ${index} is ${a[index]}, expected ${e[index]} (max |diff| ${maxAbs.toExponential(3)}, rtol ${tol.rtol ?? 1e-5}, atol ${tol.atol ?? 1e-6})`);
  }
}

export interface GradientCheckOptions extends Tolerance {
  /** Finite-difference step. Default 1e-2 (float32 arithmetic: smaller steps drown in rounding). */
  eps?: number;
  /** Check at most this many elements per input (chosen at random); default all. */
  maxElements?: number;
  seed?: number;
}

/**
 * Compare tf.grads of a scalar function with central finite differences, element by element.
 * Float32 finite differences are accurate to ~1e-3 relative, so the defaults are rtol 2e-2, atol 2e-3.
 */
export function checkGradients(f: (...xs: tf.Tensor[]) => tf.Scalar, inputs: tf.Tensor[], options: GradientCheckOptions = {}): void {
  const { eps = 1e-2, rtol = 2e-2, atol = 2e-3, maxElements = Infinity, seed = 0 } = options;
  const grads = tf.grads(f)(inputs);
  const analytic = grads.map((g) => Float64Array.from(g.dataSync()));
  tf.dispose(grads);
  const rng = new Random(seed);
  inputs.forEach((x, k) => {
    const base = Float32Array.from(x.dataSync());
    let indices = Array.from({ length: base.length }, (_, i) => i);
    if (indices.length > maxElements) indices = Array.from(rng.permutation(base.length).slice(0, maxElements));
    const numeric: number[] = [];
    const picked: number[] = [];
    for (const i of indices) {
      const evalAt = (delta: number): number =>
        tf.tidy(() => {
          const v = base.slice();
          v[i] += delta;
          const args = inputs.map((inp, j) => (j === k ? tf.tensor(v, x.shape, x.dtype) : inp));
          return f(...args).dataSync()[0];
        });
      numeric.push((evalAt(eps) - evalAt(-eps)) / (2 * eps));
      picked.push(analytic[k][i]);
    }
    const { worst, index, maxAbs } = closeness(picked, numeric, { rtol, atol });
    if (worst > 0) {
      throw new Error(`gradient of input ${k} wrong at element ${indices[index]}: analytic ${picked[index]}, finite difference ${numeric[index]} (max |diff| ${maxAbs.toExponential(3)})`);
    }
  });
}

/**
 * Second-order check: h(x) = ⟨∇f(x), v⟩ for a fixed random v is differentiated by tf.grad (so
 * tfjs must differentiate through the gradient graph) and compared with finite differences of h.
 * This is what a gradient penalty needs.
 */
export function checkSecondOrder(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, options: GradientCheckOptions = {}): void {
  const rng = new Random(options.seed ?? 1);
  const v = tf.tensor(rng.normalArray(x.size), x.shape);
  const h = (y: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.grad(f)(y), v)) as tf.Scalar;
  try {
    checkGradients(h, [x], { rtol: 5e-2, atol: 5e-3, ...options });
  } finally {
    v.dispose();
  }
}

/**
 * Run `fn` once to warm caches (kernels, variables), then again and assert that the number of
 * live tensors did not grow.
 */
export async function expectNoLeak(fn: () => unknown | Promise<unknown>, repeats = 2): Promise<void> {
  const dispose = (r: unknown) => {
    if (r instanceof tf.Tensor) r.dispose();
    else if (Array.isArray(r)) r.forEach((t) => t instanceof tf.Tensor && t.dispose());
  };
  dispose(await fn());
  const before = tf.memory().numTensors;
  for (let i = 0; i < repeats; i++) dispose(await fn());
  const after = tf.memory().numTensors;
  expect(after - before, `tensor count grew from ${before} to ${after}`).toBe(0);
}

/**
 * `loss()` before and after `steps` calls of `optimizer.minimize(loss, true, vars)` (training with
 * an explicit variable list); the caller asserts on the pair, e.g. `expect(after).toBeLessThan(before)`.
 */
export function lossBeforeAfter(optimizer: tf.Optimizer, loss: () => tf.Scalar, vars: tf.Variable[], steps = 1): [number, number] {
  const before = tf.tidy(() => loss().dataSync()[0]);
  for (let i = 0; i < steps; i++) optimizer.minimize(loss, true, vars)?.dispose();
  const after = tf.tidy(() => loss().dataSync()[0]);
  return [before, after];
}

/** The backends that backend-sensitive tests run on. */
export const TEST_BACKENDS = ['cpu', 'wasm'] as const;

/** `describe` a block once per backend in {@link TEST_BACKENDS}, switching backends around it. */
export function describeEachBackend(name: string, body: (backend: string) => void, backends: readonly string[] = TEST_BACKENDS): void {
  for (const backend of backends) {
    describe(`${name} [${backend}]`, () => {
      let previous = 'cpu';
      beforeAll(async () => {
        previous = tf.getBackend();
        await setupBackend(backend as 'cpu' | 'wasm', { log: () => {} });
      });
      afterAll(async () => {
        await setupBackend(previous as 'cpu' | 'wasm', { log: () => {} });
      });
      body(backend);
    });
  }
}

const FIXTURE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** Read a JSON oracle fixture from test/fixtures (generated by scripts/fixtures, committed). */
export function loadFixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURE_DIR, name.endsWith('.json') ? name : `${name}.json`), 'utf8')) as T;
}

/** A tensor of seeded normals. */
export function randomNormal(shape: number[], seed = 0, std = 1): tf.Tensor {
  return tf.tensor(
    new Random(seed).normalArray(
      shape.reduce((a, b) => a * b, 1),
      0,
      std,
    ),
    shape,
  );
}

/** A tensor of seeded uniforms in [low, high). */
export function randomUniform(shape: number[], seed = 0, low = -1, high = 1): tf.Tensor {
  return tf.tensor(
    new Random(seed).uniformArray(
      shape.reduce((a, b) => a * b, 1),
      low,
      high,
    ),
    shape,
  );
}

/** Throw, naming the path (`metrics.a[2].b`), at the first number in a nested report value that is not finite. */
export function finiteNumbers(x: unknown, where = 'metrics'): void {
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new Error(`${where} is ${x}`);
  } else if (Array.isArray(x)) x.forEach((v, i) => finiteNumbers(v, `${where}[${i}]`));
  else if (x !== null && typeof x === 'object') for (const [k, v] of Object.entries(x)) finiteNumbers(v, `${where}.${k}`);
}

/** n rows of d seeded N(0, 1) draws, each scaled by `scale` then shifted by `shift` (number[][]). */
export function normalRows(n: number, d: number, seed: number, { scale = 1, shift = 0 }: { scale?: number; shift?: number } = {}): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal() * scale + shift));
}
