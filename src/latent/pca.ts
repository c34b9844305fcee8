/**
 * GANSpace principal directions: full, incremental (streaming) and randomized PCA — the dispatch
 * `pca()` and the full estimator; the streaming one is in pca_incremental.ts, the randomized one in
 * pca_randomized.ts, the edits along the directions in ganspace_edits.ts.
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
import type * as tf from '@tensorflow/tfjs-core';
import { accumulateCrossprod, type CrossprodEngine, columnMeans, kindOf, type Mat, type MatrixLike, readMatrix, symEigTop, symmetrize } from '../linalg/index.js';
import { IncrementalPca } from './pca_incremental.js';
import { randomizedPca } from './pca_randomized.js';
import { finishPca, type PcaOptions, type PcaResult, type RawPca } from './pca_result.js';

export type { PcaResult, PcaOptions } from './pca_result.js';
export { IncrementalPca } from './pca_incremental.js';
/** @deprecated The GANSpace edits moved to ./ganspace_edits.ts; re-exported here for older imports. */
export { pcaEdit, pcaTargetEdit, latentDirectionsFromActivations, type PcaEditOptions } from './ganspace_edits.js';

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
    return finishPca(fullPca(m, k, options.engine), kind, ddof) as never;
  }
  if (method === 'incremental') {
    const batchSize = options.batchSize ?? 5 * d;
    if (!Number.isInteger(batchSize) || batchSize < k) throw new Error(`${WHERE}: 'batchSize' must be an integer ≥ k = ${k}; got ${batchSize}`);
    const ipca = new IncrementalPca(k, { engine: options.engine });
    for (const [a, b] of genBatches(m.rows, batchSize, k)) ipca.partialFitRows(m, a, b);
    return finishPca(ipca.resultRaw(), kind, ddof) as never;
  }
  if (method === 'randomized') {
    return finishPca(randomizedPca(m, k, options), kind, ddof) as never;
  }
  throw new Error(`${WHERE}: 'method' must be 'full', 'incremental' or 'randomized'; got ${String(method)}`);
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
