/**
 * TL-GAN feature axes by regression of labels on latents.
 *
 * Reference: SummitKwan/transparent_latent_gan `src/tl_gan/feature_axis.py`:
 * `find_feature_axis(z, y, method)` — 'linear' = sklearn `LinearRegression().fit(z, y)`, 'tanh' =
 * the same on `arctanh(clip(y, tanh(−3), tanh(3)))`; returns `coef_.T` [dim_z, n_features];
 * `normalize_feature_axis` divides each column by its L2 norm. 'ridge' (sklearn `Ridge(alpha)`,
 * intercept unpenalised) is an addition for ill-conditioned or small samples.
 */
import * as tf from '@tensorflow/tfjs-core';
import { accumulateCrossprod, assertFiniteRows, type CrossprodEngine, columnMeans, kindOf, type Mat, type MatrixLike, readMatrix, solveSymmetric, symmetrize, writeMatrix } from '../linalg/index.js';

export interface LinearRegressionOptions {
  /** L2 penalty (sklearn Ridge `alpha`); 0 = ordinary least squares (default). */
  alpha?: number;
  /** Fit an intercept (default true, as sklearn). */
  fitIntercept?: boolean;
  engine?: CrossprodEngine;
}

export interface LinearRegressionResult<T> {
  /** [dim, nOutputs] — sklearn's `coef_.T`. */
  coef: T;
  /** [nOutputs]. */
  intercept: number[];
}

function readTargets(where: string, y: MatrixLike | number[], rows: number): Mat {
  let m: Mat;
  if (y instanceof tf.Tensor && y.rank === 1) {
    m = { data: Float32Array.from(y.dataSync()), rows: y.shape[0], cols: 1 };
    assertFiniteRows(where, 'y', m);
  } else if (Array.isArray(y) && y.length > 0 && !Array.isArray(y[0]))
    m = readMatrix(
      where,
      'y',
      (y as number[]).map((v) => [v]),
    );
  else m = readMatrix(where, 'y', y as MatrixLike);
  if (m.rows !== rows) throw new Error(`${where}: 'y' must have one row per latent (${rows}); got ${m.rows}`);
  return m;
}

/**
 * Multi-output (ridge) least squares via the normal equations in float64:
 * `(XcᵀXc + αI) B = Xcᵀ Yc` with X, Y centred when `fitIntercept` (so the intercept is not
 * penalised, as sklearn); singular systems get the minimum-norm solution (as LAPACK gelsd).
 * Matches sklearn `LinearRegression` / `Ridge(solver='auto')`.
 */
export function linearRegression<T extends MatrixLike>(X: T, y: MatrixLike | number[], options: LinearRegressionOptions = {}): LinearRegressionResult<T extends tf.Tensor ? tf.Tensor2D : number[][]> {
  const where = 'linearRegression';
  const x = readMatrix(where, 'X', X);
  const ym = readTargets(where, y, x.rows);
  const alpha = options.alpha ?? 0;
  if (!(alpha >= 0)) throw new Error(`${where}: 'alpha' must be ≥ 0; got ${alpha}`);
  const fitIntercept = options.fitIntercept ?? true;
  const { B, intercept } = solveNormal(x, ym, alpha, fitIntercept, options.engine);
  return {
    coef: writeMatrix({ data: B, rows: x.cols, cols: ym.cols }, kindOf(X)) as never,
    intercept: Array.from(intercept),
  };
}

function solveNormal(x: Mat, ym: Mat, alpha: number, fitIntercept: boolean, engine?: CrossprodEngine): { B: Float64Array; intercept: Float64Array } {
  const d = x.cols;
  const t = ym.cols;
  const xMean = fitIntercept ? columnMeans(x) : new Float64Array(d);
  const yMean = fitIntercept ? columnMeans(ym) : new Float64Array(t);
  const XtX = new Float64Array(d * d);
  const XtY = new Float64Array(d * t);
  accumulateCrossprod(x, XtX, { shift: fitIntercept ? xMean : undefined, y: ym, yShift: fitIntercept ? yMean : undefined, outXY: XtY, engine });
  symmetrize(XtX, d);
  for (let i = 0; i < d; i++) XtX[i * d + i] += alpha;
  const B = solveSymmetric(XtX, d, XtY, t);
  const intercept = new Float64Array(t);
  for (let k = 0; k < t; k++) {
    let s = yMean[k];
    for (let c = 0; c < d; c++) s -= xMean[c] * B[c * t + k];
    intercept[k] = s;
  }
  return { B, intercept };
}

export interface RegressionAxesOptions {
  /** 'linear' (default), 'ridge' or 'tanh' (regress arctanh of the clipped labels, as TL-GAN's script). */
  method?: 'linear' | 'ridge' | 'tanh';
  /** Ridge penalty (default 1.0, sklearn's default). */
  alpha?: number;
  /** Divide each column by its L2 norm (TL-GAN `normalize_feature_axis`); default true. */
  normalize?: boolean;
  engine?: CrossprodEngine;
}

/**
 * Feature axes [dim, nFeatures] from latents `z` [N, dim] and labels `y` [N, nFeatures] (or [N]).
 * TL-GAN `find_feature_axis` + `normalize_feature_axis`. Same kind as `z`.
 */
export function regressionAxes<T extends MatrixLike>(z: T, y: MatrixLike | number[], options: RegressionAxesOptions = {}): T extends tf.Tensor ? tf.Tensor2D : number[][] {
  const where = 'regressionAxes';
  const method = options.method ?? 'linear';
  if (method !== 'linear' && method !== 'ridge' && method !== 'tanh') {
    throw new Error(`${where}: 'method' must be 'linear', 'ridge' or 'tanh'; got ${String(method)}`);
  }
  const x = readMatrix(where, 'z', z);
  const ym = readTargets(where, y, x.rows);
  if (x.rows < 2) throw new Error(`${where}: need at least 2 samples; got ${x.rows}`);
  if (method === 'tanh') {
    const lo = Math.tanh(-3);
    const hi = Math.tanh(3);
    const data = new Float64Array(ym.data.length);
    for (let i = 0; i < data.length; i++) data[i] = Math.atanh(Math.min(hi, Math.max(lo, ym.data[i])));
    ym.data = data;
  }
  const alpha = method === 'ridge' ? (options.alpha ?? 1.0) : 0;
  const { B } = solveNormal(x, ym, alpha, true, options.engine);
  const d = x.cols;
  const t = ym.cols;
  if (options.normalize ?? true) {
    for (let k = 0; k < t; k++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += B[c * t + k] * B[c * t + k];
      s = Math.sqrt(s);
      if (!(s > 0)) throw new Error(`${where}: feature ${k} has a zero axis (constant label?); cannot normalise`);
      for (let c = 0; c < d; c++) B[c * t + k] /= s;
    }
  }
  return writeMatrix({ data: B, rows: d, cols: t }, kindOf(z)) as never;
}
