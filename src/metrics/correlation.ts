import { readArrayMatrix as readMatrix, readArrayVector as readVector, type Matrix64, type ArrayMatrixLike as MatrixLike, type VectorLike } from '../linalg/index.js';

/** Pearson correlation of two equal-length float64 lists (NaN when either is constant). */
export function pearson64(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** 1-based ranks with ties given their average rank (`scipy.stats.rankdata(method='average')`). */
export function averageRanks(v: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: v.length }, (_, i) => i).sort((i, j) => v[i] - v[j]);
  const r = new Float64Array(v.length);
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]] === v[idx[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]] = avg;
    i = j + 1;
  }
  return r;
}

/** Spearman rank correlation of float64 lists (Pearson of average ranks). */
export function spearman64(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson64(averageRanks(x), averageRanks(y));
}

function readPairOfVectors(where: string, x: VectorLike, y: VectorLike): [Float64Array, Float64Array] {
  const a = readVector(where, 'x', x, 2);
  const b = readVector(where, 'y', y, 2);
  if (a.length !== b.length) throw new Error(`${where}: 'x' and 'y' must have the same length; got ${a.length} and ${b.length}`);
  return [a, b];
}

/** Pearson correlation coefficient of two lists (`np.corrcoef(x, y)[0, 1]`); NaN when either is constant. */
export function pearsonCorrelation(x: VectorLike, y: VectorLike): number {
  const [a, b] = readPairOfVectors('pearsonCorrelation', x, y);
  return pearson64(a, b);
}

/** Spearman rank correlation (`scipy.stats.spearmanr(x, y).correlation`, ties averaged); NaN when either is constant. */
export function spearmanCorrelation(x: VectorLike, y: VectorLike): number {
  const [a, b] = readPairOfVectors('spearmanCorrelation', x, y);
  return spearman64(a, b);
}

export interface CorrelationMatrixOptions {
  /**
   * Which axis holds the variables: 'columns' (default; `[samples, variables]`, i.e.
   * `np.corrcoef(x, rowvar=False)`) or 'rows' (`np.corrcoef(x)`, numpy's default).
   */
  variables?: 'columns' | 'rows';
}

/** Transpose of a float64 matrix. */
export function transpose64(m: Matrix64): Matrix64 {
  const data = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) data[j * m.rows + i] = m.data[i * m.cols + j];
  return { rows: m.cols, cols: m.rows, data };
}

/** Pearson correlation between the rows of a float64 matrix (each row one variable). */
export function rowCorrelation64(m: Matrix64): number[][] {
  const { rows: k, cols: n } = m;
  const centred = new Float64Array(m.data.length);
  const norm = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let mu = 0;
    for (let t = 0; t < n; t++) mu += m.data[i * n + t];
    mu /= n;
    let s = 0;
    for (let t = 0; t < n; t++) {
      const v = m.data[i * n + t] - mu;
      centred[i * n + t] = v;
      s += v * v;
    }
    norm[i] = Math.sqrt(s);
  }
  return cosineRows(centred, norm, k, n);
}

function cosineRows(data: Float64Array, norm: Float64Array, k: number, n: number): number[][] {
  const out = Array.from({ length: k }, () => new Array<number>(k).fill(NaN));
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      if (norm[i] === 0 || norm[j] === 0) continue;
      let s = 0;
      for (let t = 0; t < n; t++) s += data[i * n + t] * data[j * n + t];
      // Clamp to [−1, 1] against rounding; the diagonal is exactly 1.
      const c = i === j ? 1 : Math.max(-1, Math.min(1, s / (norm[i] * norm[j])));
      out[i][j] = c;
      out[j][i] = c;
    }
  }
  return out;
}

/**
 * Pearson correlation matrix of several variables (`np.corrcoef`), e.g. between the predictions of
 * several attribute classifiers over the same samples (`[samples, attributes]`). A constant
 * variable gets NaN in its row and column, as numpy does. Needs ≥ 2 observations.
 */
export function correlationMatrix(x: MatrixLike, options: CorrelationMatrixOptions = {}): number[][] {
  const where = 'correlationMatrix';
  const { variables = 'columns' } = options;
  if (variables !== 'columns' && variables !== 'rows') throw new Error(`${where}: 'variables' must be 'columns' or 'rows'; got ${String(variables)}`);
  const m = readMatrix(where, 'x', x);
  const vars = variables === 'columns' ? transpose64(m) : m;
  if (vars.cols < 2) {
    throw new Error(`${where}: 'x' needs at least 2 observations per variable (variables along ${variables}); got shape [${m.rows}, ${m.cols}]`);
  }
  return rowCorrelation64(vars);
}

/** Cosine similarity between the rows of a float64 matrix; a zero row throws, naming `where`/`name`. */
export function cosineSimilarity64(where: string, name: string, m: Matrix64): number[][] {
  const norm = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let t = 0; t < m.cols; t++) s += m.data[i * m.cols + t] ** 2;
    if (s === 0) throw new Error(`${where}: row ${i} of '${name}' is all zeros and has no direction`);
    norm[i] = Math.sqrt(s);
  }
  return cosineRows(m.data, norm, m.rows, m.cols);
}

/**
 * Cosine similarity between every pair of rows `[k, d]` (e.g. latent directions): `vᵢ·vⱼ/(‖vᵢ‖‖vⱼ‖)`.
 * A zero row has no direction and throws.
 */
export function cosineSimilarityMatrix(vectors: MatrixLike): number[][] {
  return cosineSimilarity64('cosineSimilarityMatrix', 'vectors', readMatrix('cosineSimilarityMatrix', 'vectors', vectors));
}
