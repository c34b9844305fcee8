/** Cholesky factorisation and symmetric positive (semi)definite solves on row-major Float64Arrays. */
import { symEig } from './sym_eig.js';

/**
 * Cholesky factor L (row-major n×n, lower triangle; A = L·Lᵀ) of the symmetric matrix A, or null
 * when a pivot is not above `minPivot` (A not numerically positive definite).
 */
export function cholesky(A: Float64Array, n: number, minPivot: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j];
    for (let k = 0; k < j; k++) s -= L[j * n + k] * L[j * n + k];
    if (!(s > minPivot)) return null;
    const ljj = Math.sqrt(s);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j];
      for (let k = 0; k < j; k++) t -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = t / ljj;
    }
  }
  return L;
}

/**
 * Solve A X = B for symmetric positive (semi)definite A (n×n) and B (n×m), both row-major.
 * Cholesky first; if A is not numerically positive definite, falls back to the minimum-norm
 * solution through the eigendecomposition (eigenvalues below `rcond·λ_max` treated as zero, as
 * LAPACK gelsd does for singular values).
 */
export function solveSymmetric(A: Float64Array, n: number, B: Float64Array, m: number, rcond = 1e-12): Float64Array {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, A[i * n + i]);
  const L = cholesky(A, n, maxDiag * 1e-13);
  const X = new Float64Array(n * m);
  if (L) {
    for (let col = 0; col < m; col++) {
      const z = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = B[i * m + col];
        for (let k = 0; k < i; k++) s -= L[i * n + k] * z[k];
        z[i] = s / L[i * n + i];
      }
      for (let i = n - 1; i >= 0; i--) {
        let s = z[i];
        for (let k = i + 1; k < n; k++) s -= L[k * n + i] * X[k * m + col];
        X[i * m + col] = s / L[i * n + i];
      }
    }
    return X;
  }
  const { values, vectors } = symEig(A, n);
  const cutoff = Math.max(values[0], 0) * rcond;
  for (let k = 0; k < n; k++) {
    if (!(values[k] > cutoff)) continue;
    const inv = 1 / values[k];
    for (let col = 0; col < m; col++) {
      let proj = 0;
      for (let i = 0; i < n; i++) proj += vectors[k * n + i] * B[i * m + col];
      proj *= inv;
      for (let i = 0; i < n; i++) X[i * m + col] += proj * vectors[k * n + i];
    }
  }
  return X;
}
