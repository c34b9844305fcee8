import { readArrayVector as readVector, type VectorLike } from '../linalg/index.js';

/** Summary statistics of a list of numbers, as reported in the examples' `report.json`. */
export interface Summary {
  count: number;
  mean: number;
  /** Standard deviation with `ddof` (default 0: population, numpy's `np.std` default). */
  std: number;
  min: number;
  max: number;
  median: number;
  /** The probabilities the `quantiles` were taken at. */
  probabilities: number[];
  /** Quantiles at `probabilities` (numpy's default 'linear' interpolation). */
  quantiles: number[];
}

export interface SummarizeOptions {
  /** Probabilities in [0, 1]; default [0.05, 0.25, 0.5, 0.75, 0.95]. */
  probabilities?: readonly number[];
  /** Delta degrees of freedom of `std` (0 population, 1 sample); default 0. */
  ddof?: number;
}

/** Arithmetic mean of a float64 array (pairwise-free, plain summation in float64). */
export function mean64(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/** Standard deviation with `ddof` delta degrees of freedom (two-pass, float64). */
export function std64(values: ArrayLike<number>, ddof = 0): number {
  const m = mean64(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] - m) * (values[i] - m);
  return Math.sqrt(s / (values.length - ddof));
}

/** Quantile of already-sorted values, numpy's 'linear' method: position p·(n−1), linear between neighbours. */
function sortedQuantile(sorted: Float64Array, p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const frac = pos - lo;
  return frac === 0 ? sorted[lo] : sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

function checkProbability(where: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`${where}: probabilities must be in [0, 1]; got ${p}`);
}

/**
 * Quantile with linear interpolation between order statistics — `np.quantile(values, p)` with
 * numpy's default method 'linear' (Hyndman & Fan type 7).
 */
export function quantile(values: VectorLike, p: number): number {
  checkProbability('quantile', p);
  const v = readVector('quantile', 'values', values);
  return sortedQuantile(v.slice().sort(), p);
}

/**
 * Count, mean, std, min, max, median and quantiles of a list of numbers (NaN/±Inf rejected).
 * Matches numpy: `np.mean`, `np.std(ddof=…)`, `np.median`, `np.quantile(method='linear')`.
 */
export function summarize(values: VectorLike, options: SummarizeOptions = {}): Summary {
  const where = 'summarize';
  const { probabilities = [0.05, 0.25, 0.5, 0.75, 0.95], ddof = 0 } = options;
  if (!(Number.isInteger(ddof) && ddof >= 0)) throw new Error(`${where}: 'ddof' must be a non-negative integer; got ${ddof}`);
  probabilities.forEach((p) => checkProbability(where, p));
  const v = readVector(where, 'values', values, ddof + 1);
  const sorted = v.slice().sort();
  return {
    count: v.length,
    mean: mean64(v),
    std: std64(v, ddof),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    median: sortedQuantile(sorted, 0.5),
    probabilities: probabilities.slice(),
    quantiles: probabilities.map((p) => sortedQuantile(sorted, p)),
  };
}
