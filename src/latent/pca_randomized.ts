/** Randomized PCA (Halko et al.), GANSpace's `FacebookPCAEstimator`. See pca.ts for the conventions. */
import { columnMeans, type Mat, symEig } from '../linalg/index.js';
import { Random } from '../util/random.js';
import type { PcaOptions, RawPca } from './pca_result.js';

/**
 * Randomized PCA (Halko, Martinsson & Tropp 2011, Alg. 4.4 with re-orthonormalised power
 * iterations), the role fbpca plays in GANSpace (`fbpca.pca(X, k, n_iter=2, l=2k)`); data centred.
 */
export function randomizedPca(m: Mat, k: number, options: PcaOptions): RawPca {
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
