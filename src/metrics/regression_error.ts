import { readArrayMatrix as readMatrix, type ArrayMatrixLike as MatrixLike } from '../linalg/index.js';

/** Errors of a multi-output regressor (e.g. AU intensities), per output and over all outputs. */
export interface RegressionError {
  /** Number of samples. */
  count: number;
  /** Mean absolute error per output (sklearn `mean_absolute_error(..., multioutput='raw_values')`). */
  maePerOutput: number[];
  /** Root mean squared error per output. */
  rmsePerOutput: number[];
  /** Coefficient of determination per output (sklearn `r2_score(..., multioutput='raw_values')`); NaN where the target is constant. */
  r2PerOutput: number[];
  /** Mean absolute error over every element (= mean of `maePerOutput`). */
  mae: number;
  /** √(mean squared error over every element). */
  rmse: number;
  /** Mean of the finite `r2PerOutput` (sklearn's 'uniform_average' over outputs with a non-constant target); NaN if none. */
  r2: number;
  /** Mean of the target per output: MAE of predicting this constant is the baseline an informative regressor beats. */
  targetMean: number[];
  /** MAE of the constant per-output mean predictor (the baseline). */
  baselineMae: number;
}

/**
 * Regression error of `predicted` against `target`, both `[samples, outputs]` — the AU-error score of
 * the GANimation and Steering-HoloGAN reproductions (an AU regressor's intensities on edited faces
 * vs the desired AUs). MAE and R² follow sklearn.metrics `mean_absolute_error` and `r2_score` with
 * `multioutput='raw_values'`; R² of an output whose target is constant is NaN here (sklearn
 * reports 1 or 0 by convention) and is left out of the average. Computation in float64.
 */
export function regressionError(predicted: MatrixLike, target: MatrixLike): RegressionError {
  const where = 'regressionError';
  const p = readMatrix(where, 'predicted', predicted);
  const t = readMatrix(where, 'target', target);
  if (p.rows !== t.rows || p.cols !== t.cols) {
    throw new Error(`${where}: 'predicted' and 'target' must have the same shape; got [${p.rows}, ${p.cols}] and [${t.rows}, ${t.cols}]`);
  }
  const { rows: n, cols: k } = p;
  const targetMean = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) targetMean[j] += t.data[i * k + j];
  for (let j = 0; j < k; j++) targetMean[j] /= n;
  const abs = new Float64Array(k);
  const sq = new Float64Array(k);
  const tot = new Float64Array(k);
  const base = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const y = t.data[i * k + j];
      const d = p.data[i * k + j] - y;
      abs[j] += Math.abs(d);
      sq[j] += d * d;
      tot[j] += (y - targetMean[j]) ** 2;
      base[j] += Math.abs(y - targetMean[j]);
    }
  }
  const maePerOutput = Array.from(abs, (v) => v / n);
  const rmsePerOutput = Array.from(sq, (v) => Math.sqrt(v / n));
  const r2PerOutput = Array.from(sq, (v, j) => (tot[j] === 0 ? NaN : 1 - v / tot[j]));
  const finite = r2PerOutput.filter((v) => Number.isFinite(v));
  const sum = (a: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return s;
  };
  return {
    count: n,
    maePerOutput,
    rmsePerOutput,
    r2PerOutput,
    mae: sum(abs) / (n * k),
    rmse: Math.sqrt(sum(sq) / (n * k)),
    r2: finite.length > 0 ? sum(finite) / finite.length : NaN,
    targetMean,
    baselineMae: sum(base) / (n * k),
  };
}
