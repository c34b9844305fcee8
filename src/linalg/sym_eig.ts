/** Symmetric eigenproblems on flat row-major Float64Arrays: symmetrise, eigenpairs (all or top k), sign convention. */
import { eighDescending, eighTopK } from './eigh.js';

/** Symmetrise in place (average with the transpose). */
export function symmetrize(S: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (S[i * n + j] + S[j * n + i]);
      S[i * n + j] = v;
      S[j * n + i] = v;
    }
  }
}

/**
 * Eigendecomposition of a symmetric n×n matrix (Householder tridiagonalisation + implicit QL, see
 * ./eigh.ts). Returns eigenvalues in descending order and the eigenvectors as the rows of
 * `vectors` (row i belongs to values[i]).
 */
export function symEig(S: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  return eighDescending(S, n);
}

/** The k largest eigenpairs only (see ./eigh.ts `eighTopK`), same layout as {@link symEig}. */
export function symEigTop(S: Float64Array, n: number, k: number): { values: Float64Array; vectors: Float64Array } {
  return eighTopK(S, n, Math.min(k, n));
}

/** Flip each row so that its largest-magnitude entry is positive (sklearn `svd_flip(u_based_decision=False)`). */
export function flipRowsByMaxAbs(V: Float64Array, k: number, d: number): void {
  for (let i = 0; i < k; i++) {
    let best = 0;
    let arg = 0;
    for (let j = 0; j < d; j++) {
      const a = Math.abs(V[i * d + j]);
      if (a > best) {
        best = a;
        arg = j;
      }
    }
    if (V[i * d + arg] < 0) for (let j = 0; j < d; j++) V[i * d + j] = -V[i * d + j];
  }
}
