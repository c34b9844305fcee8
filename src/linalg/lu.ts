import * as tf from '@tensorflow/tfjs-core';

/**
 * Small dense linear algebra in float64 for Glow's invertible 1×1 convolution: LU with partial
 * pivoting, log|det|, inverse (openai/glow model.py computes log|det W| in float64).
 */

/** Row-major n×n matrix in float64. */
export type Mat = Float64Array;

export interface LU {
  /** Packed L (unit diagonal, below) and U (diagonal and above). */
  lu: Mat;
  /** Row permutation: row i of P·A is row perm[i] of A. */
  perm: Int32Array;
  /** +1 or −1: the permutation's sign. */
  sign: number;
  n: number;
}

/** Doolittle LU with partial pivoting: P·A = L·U. */
export function luDecompose(a: ArrayLike<number>, n: number): LU {
  const lu = Float64Array.from(a as ArrayLike<number>);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j];
        lu[k * n + j] = lu[p * n + j];
        lu[p * n + j] = t;
      }
      const t = perm[k];
      perm[k] = perm[p];
      perm[p] = t;
      sign = -sign;
    }
    const pivot = lu[k * n + k];
    if (pivot === 0) continue;
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= pivot);
      for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
    }
  }
  return { lu, perm, sign, n };
}

/** log|det A| (−Infinity when singular). */
export function logAbsDet(a: ArrayLike<number>, n: number): number {
  const { lu } = luDecompose(a, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(Math.abs(lu[i * n + i]));
  return s;
}

/** A⁻¹ by LU; throws when A is singular. */
export function inverse(a: ArrayLike<number>, n: number, where = 'inverse'): Mat {
  const { lu, perm } = luDecompose(a, n);
  for (let i = 0; i < n; i++) {
    if (lu[i * n + i] === 0 || !Number.isFinite(lu[i * n + i])) throw new Error(`${where}: matrix is singular or not finite (pivot ${i} is ${lu[i * n + i]})`);
  }
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    // Solve A x = e_j  ⇔  L U x = P e_j.
    for (let i = 0; i < n; i++) col[i] = perm[i] === j ? 1 : 0;
    for (let i = 0; i < n; i++) {
      let s = col[i];
      for (let k = 0; k < i; k++) s -= lu[i * n + k] * col[k];
      col[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = col[i];
      for (let k = i + 1; k < n; k++) s -= lu[i * n + k] * col[k];
      col[i] = s / lu[i * n + i];
    }
    for (let i = 0; i < n; i++) inv[i * n + j] = col[i];
  }
  return inv;
}

/**
 * scipy.linalg.lu convention: A = P·L·U with P a permutation matrix, L unit lower, U upper.
 * Returns P, L (strictly-lower part plus identity), U (with its diagonal).
 */
export function luFactors(a: ArrayLike<number>, n: number): { p: Mat; l: Mat; u: Mat } {
  const { lu, perm } = luDecompose(a, n);
  const p = new Float64Array(n * n);
  const l = new Float64Array(n * n);
  const u = new Float64Array(n * n);
  // P_row·A = L·U with (P_row A)[i] = A[perm[i]]  ⇒  A = P_rowᵀ L U, P = P_rowᵀ: P[perm[i], i] = 1.
  for (let i = 0; i < n; i++) p[perm[i] * n + i] = 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j < i) l[i * n + j] = lu[i * n + j];
      else u[i * n + j] = lu[i * n + j];
    }
    l[i * n + i] = 1;
  }
  return { p, l, u };
}

/**
 * log|det W| of a square float32 tensor as a differentiable op: the value is computed in float64
 * by LU (as openai/glow casts to float64), the gradient is d log|det W| / dW = W⁻ᵀ.
 */
export const logAbsDetOp: (w: tf.Tensor2D) => tf.Scalar = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const w = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  const n = w.shape[0];
  const data = w.dataSync();
  const value = tf.scalar(logAbsDet(data, n));
  const invT = tf.transpose(tf.tensor2d(Float32Array.from(inverse(data, n, 'logAbsDetOp')), [n, n]));
  save([invT]);
  return { value, gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => [tf.mul(dy, saved[0])] };
}) as Parameters<typeof tf.customGrad>[0]) as unknown as (w: tf.Tensor2D) => tf.Scalar;
