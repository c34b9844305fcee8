/**
 * Sequential minimal optimisation for the linear soft-margin SVM (libsvm's C-SVC solver with a
 * linear kernel): second-order working-set selection (Fan, Chen & Lin 2005, WSS 2), libsvm's
 * stopping rule (maximal violation < tol) and bias (average over free support vectors); kernel
 * rows on demand with a bounded cache (or a precomputed Gram matrix for n ≤ 3000).
 * Used by svm_boundary.ts (InterFaceGAN).
 */
import { accumulateCrossprod, type CrossprodEngine, type Mat } from '../linalg/index.js';

export interface LinearSvmOptions {
  /** Penalty C (default 1.0, sklearn SVC's default). */
  C?: number;
  /** Stopping tolerance on the maximal KKT violation (default 1e-3, libsvm's `eps`). */
  tol?: number;
  /** Iteration cap (default max(10⁷, 100·n), as libsvm). */
  maxIter?: number;
  /** Bytes of kernel rows to cache (default 256 MB). */
  cacheBytes?: number;
  /**
   * Engine of the precomputed Gram matrix (n ≤ 3000): 'js' float64 (default on the cpu backend),
   * 'tf' the backend's float32 matMul (default elsewhere, e.g. wasm), see {@link CrossprodEngine}.
   */
  engine?: CrossprodEngine;
}

export interface LinearSvmResult {
  /** Primal weights w = Σ α_i y_i x_i [dim] (sklearn `coef_[0]`; positive side = label 1). */
  coef: Float64Array;
  /** Bias b (sklearn `intercept_[0]`); decision f(x) = w·x + b. */
  intercept: number;
  /** Dual coefficients α_i (≥ 0, ≤ C). */
  alpha: Float64Array;
  iterations: number;
  nSupport: number;
}

/**
 * The dual of the linear C-SVM, `min ½αᵀQα − 1ᵀα, 0 ≤ α ≤ C, yᵀα = 0`, `Q_ij = y_i y_j x_iᵀx_j`, by
 * SMO with libsvm's WSS 2 (`Solver::Solve`, no shrinking), its stopping rule and bias; `y` is ±1.
 */
export function solveSvm(where: string, m: Mat, y: Int8Array, options: LinearSvmOptions): LinearSvmResult {
  const C = options.C ?? 1.0;
  const eps = options.tol ?? 1e-3;
  if (!(C > 0)) throw new Error(`${where}: 'C' must be > 0; got ${C}`);
  if (!(eps > 0)) throw new Error(`${where}: 'tol' must be > 0; got ${eps}`);
  const n = m.rows;
  const d = m.cols;
  const data = m.data;
  const maxIter = options.maxIter ?? Math.max(10_000_000, 100 * n);
  const TAU = 1e-12;
  // diagonal of K
  const QD = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += data[i * d + c] * data[i * d + c];
    QD[i] = s;
  }
  // kernel rows of Q = y_i y_j K_ij: precomputed with the blocked cross-product kernel when
  // n ≤ 3000, else computed on demand into a bounded LRU cache
  const maxRows = Math.max(2, Math.floor((options.cacheBytes ?? 256 * 1024 * 1024) / (8 * n)));
  const cache = new Map<number, Float64Array>();
  let full: Float64Array | null = null;
  if (n <= 3000 && n * n * 8 <= (options.cacheBytes ?? 256 * 1024 * 1024)) {
    // K = X Xᵀ = Σ over feature blocks of (X_blockᵀ)ᵀ(X_blockᵀ): bounded extra memory (4096·n)
    full = new Float64Array(n * n);
    const FB = 4096;
    const xt = new Float64Array(Math.min(d, FB) * n);
    for (let c0 = 0; c0 < d; c0 += FB) {
      const c1 = Math.min(d, c0 + FB);
      for (let r = 0; r < n; r++) for (let c = c0; c < c1; c++) xt[(c - c0) * n + r] = data[r * d + c];
      accumulateCrossprod({ data: xt.subarray(0, (c1 - c0) * n), rows: c1 - c0, cols: n }, full, { engine: options.engine });
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) full[i * n + j] *= y[i] * y[j];
  }
  const getQ = (i: number): Float64Array => {
    if (full) return full.subarray(i * n, (i + 1) * n);
    const hit = cache.get(i);
    if (hit) {
      cache.delete(i);
      cache.set(i, hit);
      return hit;
    }
    const row = new Float64Array(n);
    const oi = i * d;
    const yi = y[i];
    for (let j = 0; j < n; j++) {
      const oj = j * d;
      let s0 = 0;
      let s1 = 0;
      let c = 0;
      for (; c + 1 < d; c += 2) {
        s0 += data[oi + c] * data[oj + c];
        s1 += data[oi + c + 1] * data[oj + c + 1];
      }
      if (c < d) s0 += data[oi + c] * data[oj + c];
      row[j] = yi * y[j] * (s0 + s1);
    }
    if (cache.size >= maxRows) cache.delete(cache.keys().next().value as number);
    cache.set(i, row);
    return row;
  };
  const alpha = new Float64Array(n);
  const G = new Float64Array(n).fill(-1); // gradient of the dual: Qα − 1
  const isUpper = (i: number) => alpha[i] >= C;
  const isLower = (i: number) => alpha[i] <= 0;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    // select working set (WSS 2)
    let Gmax = -Infinity;
    let Gmax2 = -Infinity;
    let iSel = -1;
    for (let t = 0; t < n; t++) {
      if (y[t] === 1) {
        if (!isUpper(t) && -G[t] >= Gmax) {
          Gmax = -G[t];
          iSel = t;
        }
      } else if (!isLower(t) && G[t] >= Gmax) {
        Gmax = G[t];
        iSel = t;
      }
    }
    const Qi = iSel >= 0 ? getQ(iSel) : null;
    let jSel = -1;
    let objMin = Infinity;
    for (let t = 0; t < n; t++) {
      if (y[t] === 1) {
        if (!isLower(t)) {
          const gradDiff = Gmax + G[t];
          if (G[t] >= Gmax2) Gmax2 = G[t];
          if (gradDiff > 0 && Qi) {
            const quad = QD[iSel] + QD[t] - 2 * y[iSel] * Qi[t];
            const obj = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
            if (obj <= objMin) {
              jSel = t;
              objMin = obj;
            }
          }
        }
      } else if (!isUpper(t)) {
        const gradDiff = Gmax - G[t];
        if (-G[t] >= Gmax2) Gmax2 = -G[t];
        if (gradDiff > 0 && Qi) {
          const quad = QD[iSel] + QD[t] + 2 * y[iSel] * Qi[t];
          const obj = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
          if (obj <= objMin) {
            jSel = t;
            objMin = obj;
          }
        }
      }
    }
    if (Gmax + Gmax2 < eps || jSel === -1 || !Qi) break;
    const i = iSel;
    const j = jSel;
    const Qj = getQ(j);
    const oldAi = alpha[i];
    const oldAj = alpha[j];
    if (y[i] !== y[j]) {
      let quad = QD[i] + QD[j] + 2 * Qi[j];
      if (quad <= 0) quad = TAU;
      const delta = (-G[i] - G[j]) / quad;
      const diff = alpha[i] - alpha[j];
      alpha[i] += delta;
      alpha[j] += delta;
      if (diff > 0) {
        if (alpha[j] < 0) {
          alpha[j] = 0;
          alpha[i] = diff;
        }
      } else if (alpha[i] < 0) {
        alpha[i] = 0;
        alpha[j] = -diff;
      }
      if (diff > 0) {
        if (alpha[i] > C) {
          alpha[i] = C;
          alpha[j] = C - diff;
        }
      } else if (alpha[j] > C) {
        alpha[j] = C;
        alpha[i] = C + diff;
      }
    } else {
      let quad = QD[i] + QD[j] - 2 * Qi[j];
      if (quad <= 0) quad = TAU;
      const delta = (G[i] - G[j]) / quad;
      const sum = alpha[i] + alpha[j];
      alpha[i] -= delta;
      alpha[j] += delta;
      if (sum > C) {
        if (alpha[i] > C) {
          alpha[i] = C;
          alpha[j] = sum - C;
        }
      } else if (alpha[j] < 0) {
        alpha[j] = 0;
        alpha[i] = sum;
      }
      if (sum > C) {
        if (alpha[j] > C) {
          alpha[j] = C;
          alpha[i] = sum - C;
        }
      } else if (alpha[i] < 0) {
        alpha[i] = 0;
        alpha[j] = sum;
      }
    }
    const dAi = alpha[i] - oldAi;
    const dAj = alpha[j] - oldAj;
    for (let t = 0; t < n; t++) G[t] += Qi[t] * dAi + Qj[t] * dAj;
  }
  // bias (libsvm calculate_rho)
  let nFree = 0;
  let sumFree = 0;
  let ub = Infinity;
  let lb = -Infinity;
  for (let t = 0; t < n; t++) {
    const yG = y[t] * G[t];
    if (isUpper(t)) {
      if (y[t] === -1) ub = Math.min(ub, yG);
      else lb = Math.max(lb, yG);
    } else if (isLower(t)) {
      if (y[t] === 1) ub = Math.min(ub, yG);
      else lb = Math.max(lb, yG);
    } else {
      nFree++;
      sumFree += yG;
    }
  }
  const rho = nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
  const coef = new Float64Array(d);
  let nSupport = 0;
  for (let t = 0; t < n; t++) {
    if (alpha[t] === 0) continue;
    nSupport++;
    const a = alpha[t] * y[t];
    for (let c = 0; c < d; c++) coef[c] += a * data[t * d + c];
  }
  return { coef, intercept: -rho, alpha, iterations: iter, nSupport };
}
