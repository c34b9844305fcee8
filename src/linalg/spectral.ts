import { eighDescending } from './eigh.js';
import { symmetrize } from './sym_eig.js';
import { readMatrix, type MatrixLike } from './array_input.js';

/**
 * Float64 dense linear algebra for the metrics: symmetric eigen-decomposition (the JAMA
 * `tred2`/`tql2` pair — Householder tridiagonalisation + QL — of `./eigh.ts`, the routine
 * PCA uses; bit-for-bit the results of ml-matrix's `EigenvalueDecomposition`, which it replaced here)
 * and the square root of a symmetric positive semi-definite matrix built from it.
 */

/** Eigen-decomposition of a symmetric matrix: `A = V · diag(values) · Vᵀ`, values ascending. */
export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as the columns of a row-major `d×d` matrix. */
  vectors: Float64Array;
  dim: number;
}

/**
 * Eigenvalues and eigenvectors of a symmetric `d×d` matrix (row-major float64; the input is
 * symmetrised first as (A + Aᵀ)/2 to remove rounding asymmetry). Eigenvalues are returned ascending.
 */
export function symmetricEigen(a: Float64Array, d: number): SymmetricEigen {
  if (a.length !== d * d) throw new Error(`symmetricEigen: expected ${d}×${d} = ${d * d} values; got ${a.length}`);
  const sym = Float64Array.from(a);
  symmetrize(sym, d);
  // eighDescending: values descending, eigenvectors as rows → ascending, as columns
  const desc = eighDescending(sym, d);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const src = d - 1 - k;
    values[k] = desc.values[src];
    for (let r = 0; r < d; r++) vectors[r * d + k] = desc.vectors[src * d + r];
  }
  // tql2 sorts ascending; enforce it regardless (a NaN input leaves the order undefined).
  const order = Array.from(values.keys()).sort((i, j) => values[i] - values[j]);
  if (order.some((k, i) => k !== i)) {
    const v2 = new Float64Array(d * d);
    order.forEach((k, newCol) => {
      for (let r = 0; r < d; r++) v2[r * d + newCol] = vectors[r * d + k];
    });
    return { values: Float64Array.from(order, (k) => values[k]), vectors: v2, dim: d };
  }
  return { values, vectors, dim: d };
}

/** Eigenvalues only (ascending) of a symmetric `d×d` matrix. */
export function symmetricEigenvalues(a: Float64Array, d: number): Float64Array {
  return symmetricEigen(a, d).values;
}

/** `V · diag(f(λ)) · Vᵀ` for an eigen-decomposition. */
export function spectralFunction(eig: SymmetricEigen, f: (lambda: number) => number): Float64Array {
  const { values, vectors, dim: d } = eig;
  const fl = Float64Array.from(values, f);
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += vectors[i * d + k] * fl[k] * vectors[j * d + k];
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  return out;
}

/** Relative tolerance below which negative eigenvalues count as rounding noise of a PSD matrix. */
export const PSD_TOLERANCE = 1e-9;

/**
 * Principal square root `S` (symmetric PSD, `S·S = A`) of a symmetric positive semi-definite
 * matrix, by eigen-decomposition: `S = V · diag(√max(λ, 0)) · Vᵀ`. Rank-deficient input is fine
 * (zero eigenvalues stay zero). Eigenvalues below `−1e-9 · max|λ|` mean the matrix is not PSD and
 * throw; smaller negative ones are rounding noise and are clamped to 0.
 *
 * This is the eigh-based alternative to `scipy.linalg.sqrtm` (Schur-based, may return complex
 * parts for near-singular input) that pytorch-fid and torch-fidelity use.
 */
export function sqrtmPsd(matrix: MatrixLike): number[][] {
  const where = 'sqrtmPsd';
  const m = readMatrix(where, 'matrix', matrix);
  if (m.rows !== m.cols) throw new Error(`${where}: 'matrix' must be square; got shape [${m.rows}, ${m.cols}]`);
  const d = m.rows;
  let maxAbs = 0;
  for (let i = 0; i < m.data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(m.data[i]));
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const diff = Math.abs(m.data[i * d + j] - m.data[j * d + i]);
      if (diff > 1e-9 * Math.max(maxAbs, 1e-300)) {
        throw new Error(`${where}: 'matrix' must be symmetric; element [${i}, ${j}] is ${m.data[i * d + j]} but [${j}, ${i}] is ${m.data[j * d + i]}`);
      }
    }
  }
  const eig = symmetricEigen(m.data, d);
  const scale = Math.max(Math.abs(eig.values[0]), Math.abs(eig.values[d - 1]));
  if (eig.values[0] < -PSD_TOLERANCE * scale) {
    throw new Error(`${where}: 'matrix' must be positive semi-definite; its smallest eigenvalue is ${eig.values[0]} (largest magnitude ${scale})`);
  }
  const s = spectralFunction(eig, (l) => Math.sqrt(Math.max(l, 0)));
  return Array.from({ length: d }, (_, i) => Array.from(s.subarray(i * d, (i + 1) * d)));
}

/** `Aᵀ·B·A`-style product helper: returns `Vᵀ · M · V` for row-major `d×d` inputs. */
export function congruence(v: Float64Array, m: Float64Array, d: number): Float64Array {
  // t = M · V
  const t = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const ti = i * d;
    for (let k = 0; k < d; k++) {
      const mik = m[i * d + k];
      if (mik === 0) continue;
      const vk = k * d;
      for (let j = 0; j < d; j++) t[ti + j] += mik * v[vk + j];
    }
  }
  // out = Vᵀ · t
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const vk = k * d;
    const tk = k * d;
    for (let i = 0; i < d; i++) {
      const vki = v[vk + i];
      if (vki === 0) continue;
      const oi = i * d;
      for (let j = 0; j < d; j++) out[oi + j] += vki * t[tk + j];
    }
  }
  return out;
}
