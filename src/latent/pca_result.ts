/** The PCA result type and options shared by the estimators (pca.ts, pca_incremental.ts, pca_randomized.ts). */
import type * as tf from '@tensorflow/tfjs-core';
import { type CrossprodEngine, flipRowsByMaxAbs, type Kind, writeMatrix } from '../linalg/index.js';

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

/** An estimator's raw result (before sign flip and ddof), shared by the PCA estimators. */
export interface RawPca {
  components: Float64Array;
  k: number;
  d: number;
  variance: Float64Array;
  totalVariance: number;
  mean: Float64Array;
  n: number;
}

/** `r.variance` is unbiased (/(n − 1)); ddof 0 rescales it by (n − 1)/n for `stdev`. */
export function finishPca(r: RawPca, kind: Kind, ddof: 0 | 1): PcaResult {
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
