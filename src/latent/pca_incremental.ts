/** Streaming PCA (sklearn IncrementalPCA's algorithm, or exact covariance accumulation); GANSpace `IPCAEstimator`. See pca.ts for the conventions. */
import { accumulateCrossprod, type CrossprodEngine, columnMeans, flipRowsByMaxAbs, type Kind, type Mat, type MatrixLike, readMatrix, symEigTop, symmetrize } from '../linalg/index.js';
import { finishPca, type PcaResult, type RawPca } from './pca_result.js';

/**
 * Streaming PCA in bounded memory (O(k·dim + dim²) state; a batch is the only data held).
 *
 * `algorithm: 'ross'` (default) is sklearn `IncrementalPCA.partial_fit` (Ross et al. 2008): each
 * batch is centred, stacked under `diag(S)·V` of the running fit plus the mean-correction row
 * `sqrt(n_seen·b/n_total)·(mean_old − mean_batch)`, and the top k right singular vectors of that
 * stack are kept (computed from the eigendecomposition of its Gram matrix, float64).
 * `algorithm: 'covariance'` accumulates the exact shifted covariance instead, so the result equals
 * full PCA regardless of k and batch size (dim² state).
 */
export class IncrementalPca {
  readonly k: number;
  readonly algorithm: 'ross' | 'covariance';
  private readonly engine?: CrossprodEngine;
  private d = -1;
  private n = 0;
  private mean: Float64Array = new Float64Array(0);
  private m2: Float64Array = new Float64Array(0); // per-column Σ (x − mean)²
  private components: Float64Array = new Float64Array(0);
  private singular: Float64Array = new Float64Array(0);
  // covariance algorithm state
  private shift: Float64Array | null = null;
  private sumShifted: Float64Array = new Float64Array(0);
  private cross: Float64Array = new Float64Array(0);

  constructor(k: number, options: { algorithm?: 'ross' | 'covariance'; engine?: CrossprodEngine } = {}) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`IncrementalPca: 'k' must be a positive integer; got ${k}`);
    this.k = k;
    this.algorithm = options.algorithm ?? 'ross';
    this.engine = options.engine;
  }

  /** Number of rows seen so far. */
  get nSamples(): number {
    return this.n;
  }

  /** Fold one batch [b, dim] (Tensor or number[][]) into the estimate. */
  partialFit(batch: MatrixLike): this {
    const m = readMatrix('IncrementalPca.partialFit', 'batch', batch);
    this.partialFitRows(m, 0, m.rows);
    return this;
  }

  /** @internal rows [r0, r1) of a matrix view. */
  partialFitRows(m: Mat, r0: number, r1: number): void {
    const where = 'IncrementalPca.partialFit';
    const b = r1 - r0;
    if (this.d < 0) {
      if (this.k > m.cols) throw new Error(`${where}: 'k' (${this.k}) must be ≤ dim (${m.cols})`);
      this.d = m.cols;
      this.mean = new Float64Array(m.cols);
      this.m2 = new Float64Array(m.cols);
    } else if (m.cols !== this.d) {
      throw new Error(`${where}: 'batch' must have ${this.d} columns like the earlier batches; got ${m.cols}`);
    }
    if (this.algorithm === 'ross' && b < this.k) {
      throw new Error(`${where}: each batch needs at least k = ${this.k} rows (sklearn IncrementalPCA); got ${b}`);
    }
    const d = this.d;
    const batchMean = columnMeans(m, r0, r1);
    // per-column unnormalised variance of the batch
    const batchM2 = new Float64Array(d);
    for (let r = r0; r < r1; r++) {
      const o = r * d;
      for (let c = 0; c < d; c++) {
        const v = m.data[o + c] - batchMean[c];
        batchM2[c] += v * v;
      }
    }
    const nOld = this.n;
    const nTotal = nOld + b;
    const oldMean = this.mean;
    const newMean = new Float64Array(d);
    for (let c = 0; c < d; c++) {
      const delta = batchMean[c] - oldMean[c];
      newMean[c] = oldMean[c] + (delta * b) / nTotal;
      this.m2[c] += batchM2[c] + (delta * delta * nOld * b) / nTotal;
    }

    if (this.algorithm === 'covariance') {
      if (!this.shift) {
        this.shift = batchMean.slice();
        this.sumShifted = new Float64Array(d);
        this.cross = new Float64Array(d * d);
      }
      accumulateCrossprod(m, this.cross, { r0, r1, shift: this.shift, engine: this.engine });
      for (let r = r0; r < r1; r++) for (let c = 0; c < d; c++) this.sumShifted[c] += m.data[r * d + c] - this.shift[c];
      this.n = nTotal;
      this.mean = newMean;
      return;
    }

    const kOld = nOld === 0 ? 0 : this.singular.length;
    const correction = new Float64Array(d);
    if (nOld > 0) {
      const s = Math.sqrt((nOld / nTotal) * b);
      for (let c = 0; c < d; c++) correction[c] = s * (oldMean[c] - batchMean[c]);
    }
    const stackRows = kOld + b + (nOld > 0 ? 1 : 0);
    let V: Float64Array;
    let S2: Float64Array;
    if (stackRows >= d) {
      // Gram of the stack: Vᵀ S² V + (X − μ_b)ᵀ(X − μ_b) + c cᵀ
      const G = new Float64Array(d * d);
      accumulateCrossprod(m, G, { r0, r1, shift: batchMean, engine: this.engine });
      for (let i = 0; i < kOld; i++) {
        const s2 = this.singular[i] * this.singular[i];
        const vi = this.components.subarray(i * d, (i + 1) * d);
        for (let a = 0; a < d; a++) {
          const va = s2 * vi[a];
          if (va === 0) continue;
          for (let c = 0; c < d; c++) G[a * d + c] += va * vi[c];
        }
      }
      if (nOld > 0) for (let a = 0; a < d; a++) for (let c = 0; c < d; c++) G[a * d + c] += correction[a] * correction[c];
      symmetrize(G, d);
      const e = symEigTop(G, d, this.k);
      V = e.vectors;
      S2 = e.values;
    } else {
      // few rows: eigendecompose the stack's row Gram M Mᵀ and map back, V_i = Mᵀ u_i / s_i
      const M = new Float64Array(stackRows * d);
      for (let i = 0; i < kOld; i++) for (let c = 0; c < d; c++) M[i * d + c] = this.singular[i] * this.components[i * d + c];
      for (let r = 0; r < b; r++) for (let c = 0; c < d; c++) M[(kOld + r) * d + c] = m.data[(r0 + r) * d + c] - batchMean[c];
      if (nOld > 0) M.set(correction, (stackRows - 1) * d);
      const K = new Float64Array(stackRows * stackRows);
      for (let i = 0; i < stackRows; i++) {
        for (let j = i; j < stackRows; j++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += M[i * d + c] * M[j * d + c];
          K[i * stackRows + j] = s;
          K[j * stackRows + i] = s;
        }
      }
      const e = symEigTop(K, stackRows, this.k);
      const keep = Math.min(this.k, stackRows);
      V = new Float64Array(keep * d);
      S2 = e.values.slice(0, keep);
      for (let i = 0; i < keep; i++) {
        const s = Math.sqrt(Math.max(S2[i], 0));
        if (s === 0) continue;
        for (let j = 0; j < stackRows; j++) {
          const u = e.vectors[i * stackRows + j] / s;
          if (u === 0) continue;
          for (let c = 0; c < d; c++) V[i * d + c] += u * M[j * d + c];
        }
      }
    }
    const keep = Math.min(this.k, S2.length);
    this.components = V.slice(0, keep * d);
    this.singular = Float64Array.from(S2.subarray(0, keep), (v) => Math.sqrt(Math.max(v, 0)));
    flipRowsByMaxAbs(this.components, keep, d);
    this.n = nTotal;
    this.mean = newMean;
  }

  /** @internal */
  resultRaw(): RawPca {
    if (this.n < 2) throw new Error(`IncrementalPca.result: need at least 2 rows fitted; got ${this.n}`);
    const d = this.d;
    let total = 0;
    for (let c = 0; c < d; c++) total += this.m2[c];
    total /= this.n - 1;
    if (this.algorithm === 'covariance') {
      const C = this.cross.slice();
      const n = this.n;
      for (let a = 0; a < d; a++) {
        const ma = this.sumShifted[a] / n;
        for (let c = 0; c < d; c++) C[a * d + c] = (C[a * d + c] - n * ma * (this.sumShifted[c] / n)) / (n - 1);
      }
      symmetrize(C, d);
      const k = Math.min(this.k, d);
      const { values, vectors } = symEigTop(C, d, k);
      return { components: vectors.slice(0, k * d), k, d, variance: values.slice(0, k), totalVariance: total, mean: this.mean.slice(), n };
    }
    const k = this.singular.length;
    const variance = Float64Array.from(this.singular, (s) => (s * s) / (this.n - 1));
    return { components: this.components.slice(), k, d, variance, totalVariance: total, mean: this.mean.slice(), n: this.n };
  }

  /** The current estimate; `components` is a Tensor2D unless `kind` is 'array'. `stdev` has ddof 1 (GANSpace's IPCAEstimator) unless `ddof` says 0. */
  result(kind: Kind = 'tensor', ddof: 0 | 1 = 1): PcaResult {
    return finishPca(this.resultRaw(), kind, ddof);
  }
}
