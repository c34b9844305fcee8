/**
 * InterFaceGAN conditional manipulation: project a primal boundary normal so that it has no
 * component along the condition normals.
 *
 * Reference: genforce/interfacegan `utils/manipulator.py` `project_boundary(primal, *args)` — all
 * inputs unit-norm `[1, D]`:
 * - 0 conditions: `primal`;
 * - 1: `n' = n − (n·c)c`, normalised;
 * - 2: `α = (n·c1 − (n·c2)(c1·c2)) / (1 − (c1·c2)² + 1e-8)`, `β = (n·c2 − (n·c1)(c1·c2)) / (1 − (c1·c2)² + 1e-8)`,
 *   `n' = n − αc1 − βc2`, normalised;
 * - K ≥ 3 (later versions of the repository): `C` = stacked conditions [K, D]; solve
 *   `(C Cᵀ) x = C nᵀ`; `n' = n − xᵀC`, normalised.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { cholesky, dot, readVector, solveSymmetric, writeVectorLike } from '../linalg/index.js';

type Vec = tf.Tensor | number[] | number[][];

const UNIT_TOL = 1e-3;

/**
 * Project `primal` off the `conditions` (each `[1, D]` or `[D]`, Tensor or array, unit norm).
 * Returns a unit vector of the same kind and layout as `primal`.
 * Throws if a condition is parallel to the primal (nothing is left to normalise), if conditions
 * are linearly dependent (K ≥ 3), on mismatched dimensions or non-unit inputs.
 */
export function projectBoundary<T extends Vec>(primal: T, ...conditions: Vec[]): T {
  const where = 'projectBoundary';
  const n = readVector(where, 'primal', primal);
  checkUnit(where, 'primal', n);
  const D = n.length;
  const conds = conditions.map((c, i) => {
    const v = readVector(where, `conditions[${i}]`, c);
    if (v.length !== D) throw new Error(`${where}: 'conditions[${i}]' must have dimension D = ${D} like 'primal'; got ${v.length}`);
    checkUnit(where, `conditions[${i}]`, v);
    return v;
  });
  if (conds.length === 0) return writeVectorLike(n, primal) as T;
  const out = n.slice();
  if (conds.length === 1) {
    const c = conds[0];
    const p = dot(n, c);
    for (let i = 0; i < D; i++) out[i] -= p * c[i];
  } else if (conds.length === 2) {
    const [c1, c2] = conds;
    const n1 = dot(n, c1);
    const n2 = dot(n, c2);
    const c12 = dot(c1, c2);
    if (1 - c12 * c12 < 1e-10) throw new Error(`${where}: 'conditions[0]' and 'conditions[1]' are parallel (cosine ${c12.toFixed(6)})`);
    const alpha = (n1 - n2 * c12) / (1 - c12 * c12 + 1e-8);
    const beta = (n2 - n1 * c12) / (1 - c12 * c12 + 1e-8);
    for (let i = 0; i < D; i++) out[i] -= alpha * c1[i] + beta * c2[i];
  } else {
    const K = conds.length;
    if (K >= D) throw new Error(`${where}: at most D − 1 = ${D - 1} conditions can be projected off; got ${K}`);
    const CCt = new Float64Array(K * K);
    const Cn = new Float64Array(K);
    for (let a = 0; a < K; a++) {
      Cn[a] = dot(conds[a], n);
      for (let b = 0; b < K; b++) CCt[a * K + b] = dot(conds[a], conds[b]);
    }
    if (!isFullRank(CCt, K)) throw new Error(`${where}: the ${K} conditions are linearly dependent; (C Cᵀ) is singular`);
    const x = solveSymmetric(CCt, K, Cn, 1);
    for (let a = 0; a < K; a++) for (let i = 0; i < D; i++) out[i] -= x[a] * conds[a][i];
  }
  const nrm = Math.sqrt(dot(out, out));
  if (!(nrm > 1e-6)) {
    throw new Error(`${where}: 'primal' lies in the span of the conditions (a condition is parallel to the primal): the projection has norm ${nrm.toExponential(2)}`);
  }
  for (let i = 0; i < D; i++) out[i] /= nrm;
  return writeVectorLike(out, primal) as T;
}

function checkUnit(where: string, name: string, v: Float64Array): void {
  const s = Math.sqrt(dot(v, v));
  if (Math.abs(s - 1) > UNIT_TOL) throw new Error(`${where}: '${name}' must be unit-norm (the reference normalises boundaries); got norm ${s.toPrecision(6)}`);
}

function isFullRank(A: Float64Array, K: number): boolean {
  // Cholesky pivots of the Gram of unit vectors: a pivot below 1e-10 means dependence
  return cholesky(A, K, 1e-10) !== null;
}
