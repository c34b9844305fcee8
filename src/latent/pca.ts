/**
 * GANSpace principal directions: full, incremental (streaming) and randomized PCA.
 *
 * Reference: harskish/ganspace `estimators.py` (`PCAEstimator` = sklearn `PCA(svd_solver='full')`,
 * `IPCAEstimator` = sklearn `IncrementalPCA`, `FacebookPCAEstimator` = fbpca randomized), all
 * returning `(components [k, D], stdev [k], var_ratio)` re-sorted by projected standard deviation.
 *
 * Conventions (documented, tested):
 * - `stdev[i]`: the standard deviation of the data projected on component i, with the ddof of the
 *   GANSpace estimator the method stands for: `PCAEstimator` and `FacebookPCAEstimator` compute
 *   `np.dot(components, X.T).std(axis=1)` (numpy's default ddof 0, i.e. /n), `IPCAEstimator`
 *   `sqrt(explained_variance_)` (sklearn's ddof 1, /(n − 1)). So 'full' and 'randomized' default to
 *   ddof 0 and 'incremental' to ddof 1; `stdevDdof` overrides. `varianceRatio[i]` is the component's
 *   share of the total variance (the same for either ddof).
 * - Components are unit rows sorted by stdev, descending.
 * - **Sign**: each component's largest-magnitude entry is positive (sklearn's
 *   `svd_flip(u_based_decision=False)`, used by IncrementalPCA and by PCA from sklearn 1.5). sklearn
 *   ≤ 1.4's PCA flips by the scores instead, so compare with it up to sign.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../util/random.js';
import {
  accumulateCrossprod,
  type CrossprodEngine,
  columnMeans,
  flipRowsByMaxAbs,
  kindOf,
  type Kind,
  type Mat,
  type MatrixLike,
  readMatrix,
  solveSymmetric,
  symEig,
  symEigTop,
  symmetrize,
  writeMatrix,
} from '../linalg/index.js';

export interface PcaResult<T = tf.Tensor2D | number[][]> {
  /** [k, dim], unit rows, sorted by `stdev` descending. Same kind (Tensor / number[][]) as the input. */
  components: T;
  /** Standard deviation of the data projected on each component (ddof per method, see the module doc). */
  stdev: number[];
  /** Fraction of the total variance explained by each component. */
  varianceRatio: number[];
  /** Column mean of the data [dim]. */
  mean: number[];
  /** Number of rows seen. */
  nSamples: number;
}

export interface PcaOptions {
  /** 'full' (exact, via the dim×dim covariance), 'incremental' (sklearn IncrementalPCA's algorithm, batches), 'randomized' (Halko et al.). Default 'full'. */
  method?: 'full' | 'incremental' | 'randomized';
  /** Rows per partial fit for 'incremental'; default 5·dim (sklearn's default). */
  batchSize?: number;
  /** Power iterations for 'randomized' (default 4). */
  nIter?: number;
  /** Extra random directions for 'randomized' (default k + 10 total columns, i.e. 10). */
  oversample?: number;
  /** Seed of the random test matrix for 'randomized'. */
  seed?: number;
  /** Cross-product engine: 'js' (float64 kernel), 'tf' (backend matMul), 'auto' (tf unless the backend is cpu). */
  engine?: CrossprodEngine;
  /** Delta degrees of freedom of `stdev`: 0 (/n) or 1 (/(n − 1)). Default: GANSpace's — 0 for 'full' and 'randomized', 1 for 'incremental'. */
  stdevDdof?: 0 | 1;
}

const WHERE = 'pca';

/**
 * Principal components of the rows of `X` ([n, dim]).
 * GANSpace `estimators.py` (PCA / IncrementalPCA / fbpca); sklearn `decomposition.PCA`.
 */
export function pca<T extends MatrixLike>(X: T, k: number, options: PcaOptions = {}): PcaResult<T extends tf.Tensor ? tf.Tensor2D : number[][]> {
  const m = readMatrix(WHERE, 'X', X);
  const kind = kindOf(X);
  const d = m.cols;
  const method = options.method ?? 'full';
  if (!Number.isInteger(k) || k < 1 || k > d) throw new Error(`${WHERE}: 'k' must be an integer in [1, dim = ${d}]; got ${k}`);
  if (m.rows < 2) throw new Error(`${WHERE}: 'X' needs at least 2 rows; got ${m.rows}`);
  const ddof = options.stdevDdof ?? (method === 'incremental' ? 1 : 0);
  if (ddof !== 0 && ddof !== 1) throw new Error(`${WHERE}: 'stdevDdof' must be 0 or 1; got ${String(ddof)}`);
  if (method === 'full') {
    if (k > m.rows) throw new Error(`${WHERE}: 'k' must be ≤ the number of rows (${m.rows}) for method 'full'; got ${k}`);
    return finish(fullPca(m, k, options.engine), kind, ddof) as never;
  }
  if (method === 'incremental') {
    const batchSize = options.batchSize ?? 5 * d;
    if (!Number.isInteger(batchSize) || batchSize < k) throw new Error(`${WHERE}: 'batchSize' must be an integer ≥ k = ${k}; got ${batchSize}`);
    const ipca = new IncrementalPca(k, { engine: options.engine });
    for (const [a, b] of genBatches(m.rows, batchSize, k)) ipca.partialFitRows(m, a, b);
    return finish(ipca.resultRaw(), kind, ddof) as never;
  }
  if (method === 'randomized') {
    return finish(randomizedPca(m, k, options), kind, ddof) as never;
  }
  throw new Error(`${WHERE}: 'method' must be 'full', 'incremental' or 'randomized'; got ${String(method)}`);
}

interface RawPca {
  components: Float64Array;
  k: number;
  d: number;
  variance: Float64Array;
  totalVariance: number;
  mean: Float64Array;
  n: number;
}

/** `r.variance` is unbiased (/(n − 1)); ddof 0 rescales it by (n − 1)/n for `stdev`. */
function finish(r: RawPca, kind: Kind, ddof: 0 | 1): PcaResult {
  flipRowsByMaxAbs(r.components, r.k, r.d);
  const scale = ddof === 0 ? (r.n - 1) / r.n : 1;
  return {
    components: writeMatrix({ data: r.components, rows: r.k, cols: r.d }, kind),
    stdev: Array.from(r.variance, (v) => Math.sqrt(Math.max(v * scale, 0))),
    varianceRatio: Array.from(r.variance, (v) => (r.totalVariance > 0 ? v / r.totalVariance : 0)),
    mean: Array.from(r.mean),
    nSamples: r.n,
  };
}

/** sklearn `utils.gen_batches(n, batch_size, min_batch_size=k)`: a short tail is merged into the last batch. */
function genBatches(n: number, batchSize: number, minBatch: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < Math.floor(n / batchSize); i++) {
    const end = start + batchSize;
    if (end + minBatch > n) continue;
    out.push([start, end]);
    start = end;
  }
  if (start < n) out.push([start, n]);
  return out;
}

function fullPca(m: Mat, k: number, engine?: CrossprodEngine): RawPca {
  const d = m.cols;
  const mean = columnMeans(m);
  const C = new Float64Array(d * d);
  accumulateCrossprod(m, C, { shift: mean, engine });
  const scale = 1 / (m.rows - 1);
  for (let i = 0; i < C.length; i++) C[i] *= scale;
  symmetrize(C, d);
  let trace = 0;
  for (let i = 0; i < d; i++) trace += C[i * d + i];
  const { values, vectors } = symEigTop(C, d, k);
  return { components: vectors.slice(0, k * d), k, d, variance: values.slice(0, k), totalVariance: trace, mean, n: m.rows };
}

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
    return finish(this.resultRaw(), kind, ddof);
  }
}

/**
 * Randomized PCA (Halko, Martinsson & Tropp 2011, Alg. 4.4 with re-orthonormalised power
 * iterations), the role fbpca plays in GANSpace (`fbpca.pca(X, k, n_iter=2, l=2k)`); data centred.
 */
function randomizedPca(m: Mat, k: number, options: PcaOptions): RawPca {
  const { rows: n, cols: d, data } = m;
  const l = Math.min(d, n, k + (options.oversample ?? 10));
  const nIter = options.nIter ?? 4;
  const rng = new Random(options.seed ?? 0);
  const mean = columnMeans(m);
  let totalVar = 0;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < d; c++) {
      const v = data[r * d + c] - mean[c];
      totalVar += v * v;
    }
  }
  totalVar /= n - 1;
  // Y = Xc Ω : n×l (row-major), Z = Xcᵀ Q : d×l
  const xcTimes = (W: Float64Array): Float64Array<ArrayBuffer> => {
    const out = new Float64Array(n * l);
    const muW = new Float64Array(l);
    for (let c = 0; c < d; c++) for (let j = 0; j < l; j++) muW[j] += mean[c] * W[c * l + j];
    for (let r = 0; r < n; r++) {
      const o = r * d;
      const y = out.subarray(r * l, (r + 1) * l);
      for (let c = 0; c < d; c++) {
        const x = data[o + c];
        const wo = c * l;
        for (let j = 0; j < l; j++) y[j] += x * W[wo + j];
      }
      for (let j = 0; j < l; j++) y[j] -= muW[j];
    }
    return out;
  };
  const xctTimes = (Q: Float64Array): Float64Array<ArrayBuffer> => {
    const out = new Float64Array(d * l);
    const colSum = new Float64Array(l);
    for (let r = 0; r < n; r++) {
      const o = r * d;
      const q = Q.subarray(r * l, (r + 1) * l);
      for (let j = 0; j < l; j++) colSum[j] += q[j];
      for (let c = 0; c < d; c++) {
        const x = data[o + c];
        const zo = c * l;
        for (let j = 0; j < l; j++) out[zo + j] += x * q[j];
      }
    }
    for (let c = 0; c < d; c++) for (let j = 0; j < l; j++) out[c * l + j] -= mean[c] * colSum[j];
    return out;
  };
  let W: Float64Array<ArrayBuffer> = new Float64Array(d * l);
  for (let i = 0; i < W.length; i++) W[i] = rng.normal();
  let Q = orthonormalizeColumns(xcTimes(W), n, l);
  for (let it = 0; it < nIter; it++) {
    W = orthonormalizeColumns(xctTimes(Q), d, l);
    Q = orthonormalizeColumns(xcTimes(W), n, l);
  }
  const Bt = xctTimes(Q); // d×l = (Qᵀ Xc)ᵀ
  const BBt = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += Bt[c * l + i] * Bt[c * l + j];
      BBt[i * l + j] = s;
      BBt[j * l + i] = s;
    }
  }
  const e = symEig(BBt, l);
  const comps = new Float64Array(k * d);
  const variance = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const s2 = Math.max(e.values[i], 0);
    variance[i] = s2 / (n - 1);
    const s = Math.sqrt(s2);
    if (s === 0) continue;
    for (let c = 0; c < d; c++) {
      let v = 0;
      for (let j = 0; j < l; j++) v += Bt[c * l + j] * e.vectors[i * l + j];
      comps[i * d + c] = v / s;
    }
  }
  return { components: comps, k, d, variance, totalVariance: totalVar, mean, n };
}

/** Orthonormalise the l columns of a row-major rows×l matrix (modified Gram–Schmidt, twice). */
function orthonormalizeColumns(A: Float64Array<ArrayBuffer>, rows: number, l: number): Float64Array<ArrayBuffer> {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < l; j++) {
      for (let i = 0; i < j; i++) {
        let p = 0;
        for (let r = 0; r < rows; r++) p += A[r * l + i] * A[r * l + j];
        for (let r = 0; r < rows; r++) A[r * l + j] -= p * A[r * l + i];
      }
      let s = 0;
      for (let r = 0; r < rows; r++) s += A[r * l + j] * A[r * l + j];
      s = Math.sqrt(s);
      if (s > 0) for (let r = 0; r < rows; r++) A[r * l + j] /= s;
    }
  }
  return A;
}

export interface PcaEditOptions {
  /** Per-layer range [start, end) (end exclusive, as GANSpace's `for l in range(start, end)`); default all layers. */
  layers?: [number, number];
  /** Multiplies the step, e.g. the component's stdev (GANSpace `lat_stdev`); default 1. */
  stdev?: number;
}

/**
 * GANSpace layer-wise edit: `z[:, l] += component · sigma · stdev` for `l ∈ [start, end)`.
 * harskish/ganspace `notebooks/notebook_utils.py` (`create_strip`: `z[l] += lat_comp · σ · lat_stdev`).
 * `codes` is [B, L, D] (per-layer codes; Tensor3D or number[][][]) or [B, D] (a single code per
 * sample: `layers` must then be omitted). Returns the same kind and shape.
 */
export function pcaEdit<T extends tf.Tensor | number[][] | number[][][]>(
  codes: T,
  component: tf.Tensor | number[],
  sigma: number,
  options: PcaEditOptions = {},
): T {
  const where = 'pcaEdit';
  if (!Number.isFinite(sigma)) throw new Error(`${where}: 'sigma' must be finite; got ${sigma}`);
  const stdev = options.stdev ?? 1;
  const comp = component instanceof tf.Tensor ? Array.from(component.dataSync()) : component;
  if (!Array.isArray(comp)) throw new Error(`${where}: 'component' must be a [D] Tensor or number[]`);
  let shape: number[];
  let flat: Float64Array;
  if (codes instanceof tf.Tensor) {
    shape = codes.shape.slice();
    flat = Float64Array.from(codes.dataSync());
  } else {
    const arr = codes as unknown[];
    if (!Array.isArray(arr) || arr.length === 0 || !Array.isArray(arr[0])) throw new Error(`${where}: 'codes' must be [B, D] or [B, L, D]`);
    if (Array.isArray((arr[0] as unknown[])[0])) {
      const a3 = arr as number[][][];
      shape = [a3.length, a3[0].length, a3[0][0].length];
      flat = Float64Array.from(a3.flat(2));
    } else {
      const a2 = arr as number[][];
      shape = [a2.length, a2[0].length];
      flat = Float64Array.from(a2.flat());
    }
    if (flat.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`${where}: 'codes' must be rectangular`);
  }
  if (shape.length !== 2 && shape.length !== 3) throw new Error(`${where}: 'codes' must have shape [B, D] or [B, L, D]; got [${shape.join(', ')}]`);
  const D = shape[shape.length - 1];
  if (comp.length !== D) throw new Error(`${where}: 'component' must have length D = ${D}; got ${comp.length}`);
  const L = shape.length === 3 ? shape[1] : 1;
  if (shape.length === 2 && options.layers) throw new Error(`${where}: 'layers' needs per-layer codes [B, L, D]; got [${shape.join(', ')}]`);
  const [start, end] = options.layers ?? [0, L];
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= L && start < end)) {
    throw new Error(`${where}: 'layers' must be [start, end) with 0 ≤ start < end ≤ ${L}; got [${start}, ${end})`);
  }
  const B = shape[0];
  const scale = sigma * stdev;
  for (let b = 0; b < B; b++) {
    for (let l = start; l < end; l++) {
      const o = (b * L + l) * D;
      for (let i = 0; i < D; i++) flat[o + i] += comp[i] * scale;
    }
  }
  if (codes instanceof tf.Tensor) return tf.tensor(Float32Array.from(flat), shape) as T;
  if (shape.length === 2) return Array.from({ length: B }, (_, b) => Array.from(flat.subarray(b * D, (b + 1) * D))) as T;
  return Array.from({ length: B }, (_, b) => Array.from({ length: L }, (_, l) => Array.from(flat.subarray((b * L + l) * D, (b * L + l + 1) * D)))) as T;
}

/**
 * GANSpace "target coordinate" edit (teaser figures): for each sample, read the current scaled
 * coordinate along the component from the FIRST edited layer, `coord = ((w − mean)·comp)/stdev`,
 * and set it to `target`: `w[:, l] += comp · stdev · (target − coord)` for l ∈ [start, end).
 * harskish/ganspace `notebooks/figure_teaser.ipynb`. `codes` [B, L, D] or [B, D]; same kind out.
 */
export function pcaTargetEdit<T extends tf.Tensor | number[][] | number[][][]>(
  codes: T,
  component: tf.Tensor | number[],
  options: { mean: number[]; stdev: number; target: number; layers?: [number, number] },
): T {
  const where = 'pcaTargetEdit';
  const comp = component instanceof tf.Tensor ? Array.from(component.dataSync()) : component;
  const { mean, stdev, target } = options;
  if (!(stdev > 0)) throw new Error(`${where}: 'stdev' must be > 0; got ${stdev}`);
  if (!Number.isFinite(target)) throw new Error(`${where}: 'target' must be finite; got ${target}`);
  if (!Array.isArray(mean) || mean.length !== comp.length) throw new Error(`${where}: 'mean' must have length D = ${comp.length}; got ${Array.isArray(mean) ? mean.length : typeof mean}`);
  const is3 = codes instanceof tf.Tensor ? codes.rank === 3 : Array.isArray((codes as unknown[][])[0]?.[0]);
  const start = options.layers ? options.layers[0] : 0;
  const arr = (codes instanceof tf.Tensor ? codes.arraySync() : codes) as number[][] | number[][][];
  const firstRows = is3 ? (arr as number[][][]).map((b) => b[start]) : (arr as number[][]);
  // one σ per sample: sigma_b = target − coord_b
  const sigmas = firstRows.map((w) => {
    if (w.length !== comp.length) throw new Error(`${where}: codes must have D = ${comp.length} columns; got ${w.length}`);
    let c = 0;
    for (let i = 0; i < w.length; i++) c += (w[i] - mean[i]) * comp[i];
    return target - c / stdev;
  });
  // apply per sample with pcaEdit on single-sample slices
  if (codes instanceof tf.Tensor) {
    const parts = sigmas.map((sg, b) => tf.tidy(() => pcaEdit(tf.slice(codes, b, 1), comp, sg, { stdev, layers: is3 ? options.layers : undefined })));
    const out = tf.concat(parts, 0);
    tf.dispose(parts);
    return out as T;
  }
  return (codes as unknown[]).map((c, b) => pcaEdit([c] as number[][] | number[][][], comp, sigmas[b], { stdev, layers: is3 ? options.layers : undefined })[0]) as T;
}

/**
 * GANSpace directions for PCA computed on ACTIVATIONS (an intermediate layer), transferred back to
 * the latent space by linear regression: `A = ((act − mean)·compᵀ)/stdev` (scaled PC coordinates),
 * `M = lstsq(A, Z)` (no intercept, minimum-norm as LAPACK gelsd), `lat_comp = M` with rows
 * L2-normalised. harskish/ganspace `decomposition.py` (`regression` branch).
 * `latents` [N, D], `activations` [N, F] (flattened), `pcaResult` from {@link pca} on activations.
 * Returns [k, D] of the same kind as `latents`.
 */
export function latentDirectionsFromActivations<T extends MatrixLike>(latents: T, activations: MatrixLike, pcaResult: PcaResult): T extends tf.Tensor ? tf.Tensor2D : number[][] {
  const where = 'latentDirectionsFromActivations';
  const z = readMatrix(where, 'latents', latents);
  const act = readMatrix(where, 'activations', activations);
  if (act.rows !== z.rows) throw new Error(`${where}: 'activations' must have one row per latent (${z.rows}); got ${act.rows}`);
  const comps = readMatrix(where, 'pcaResult.components', pcaResult.components);
  const F = act.cols;
  if (comps.cols !== F) throw new Error(`${where}: components have dimension ${comps.cols} but activations ${F}`);
  const k = comps.rows;
  const { mean, stdev } = pcaResult;
  if (mean.length !== F || stdev.length !== k) throw new Error(`${where}: 'pcaResult' mean must have length ${F} and stdev length ${k}`);
  const N = z.rows;
  const D = z.cols;
  // A [N, k]
  const A = new Float64Array(N * k);
  for (let r = 0; r < N; r++) {
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let f = 0; f < F; f++) s += (act.data[r * F + f] - mean[f]) * comps.data[i * F + f];
      A[r * k + i] = s / stdev[i];
    }
  }
  // normal equations AᵀA M = AᵀZ (minimum-norm fallback when singular)
  const AtA = new Float64Array(k * k);
  const AtZ = new Float64Array(k * D);
  for (let r = 0; r < N; r++) {
    for (let i = 0; i < k; i++) {
      const ai = A[r * k + i];
      for (let j = 0; j < k; j++) AtA[i * k + j] += ai * A[r * k + j];
      for (let c = 0; c < D; c++) AtZ[i * D + c] += ai * z.data[r * D + c];
    }
  }
  const M = solveSymmetric(AtA, k, AtZ, D);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let c = 0; c < D; c++) s += M[i * D + c] ** 2;
    s = Math.sqrt(s);
    if (!(s > 0)) throw new Error(`${where}: direction ${i} is zero (activations carry no latent information along it)`);
    for (let c = 0; c < D; c++) M[i * D + c] /= s;
  }
  return writeMatrix({ data: M, rows: k, cols: D }, kindOf(latents)) as never;
}
