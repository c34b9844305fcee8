import { cosineSimilarity64, rowCorrelation64, transpose64 } from './correlation.js';
import { readArrayMatrix as readMatrix, type ArrayMatrixLike as MatrixLike } from '../linalg/index.js';

/** A correlation (or cosine) heat-map between k axes, with how far it is from the identity. */
export interface AxisCorrelation {
  /** `k×k`, symmetric, 1 on the diagonal (NaN rows for constant variables with 'pearson'). */
  matrix: number[][];
  measure: 'cosine' | 'pearson';
  /** Mean |off-diagonal entry| (0 for perfectly decorrelated axes; NaN if any entry is NaN). */
  meanAbsOffDiagonal: number;
  /** Largest |off-diagonal entry|. */
  maxAbsOffDiagonal: number;
}

export interface AxisCorrelationOptions {
  /**
   * 'cosine' (default): cosine similarity of the direction vectors — exactly 0 after Gram–Schmidt.
   * 'pearson': `np.corrcoef` of the directions, each treated as a variable observed over the d
   * latent coordinates (so each vector is centred first; orthogonal directions are then only
   * approximately uncorrelated).
   */
  measure?: 'cosine' | 'pearson';
}

function offDiagonalStats(matrix: number[][]): { meanAbsOffDiagonal: number; maxAbsOffDiagonal: number } {
  const k = matrix.length;
  if (k < 2) return { meanAbsOffDiagonal: 0, maxAbsOffDiagonal: 0 };
  let sum = 0;
  let max = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (i === j) continue;
      const v = Math.abs(matrix[i][j]);
      sum += v;
      max = Number.isNaN(v) || Number.isNaN(max) ? NaN : Math.max(max, v);
    }
  }
  return { meanAbsOffDiagonal: sum / (k * (k - 1)), maxAbsOffDiagonal: max };
}

/**
 * Correlation between latent axes `[k, d]` (one direction per row) — the TL-GAN / CheerMeUp
 * sanity-check heat-map of the feature axes before and after Gram–Schmidt orthogonalisation, and
 * the "cosine similarity of axes" evaluation of InterFaceGAN-style boundaries.
 */
export function axisCorrelation(directions: MatrixLike, options: AxisCorrelationOptions = {}): AxisCorrelation {
  const where = 'axisCorrelation';
  const { measure = 'cosine' } = options;
  if (measure !== 'cosine' && measure !== 'pearson') throw new Error(`${where}: 'measure' must be 'cosine' or 'pearson'; got ${String(measure)}`);
  const m = readMatrix(where, 'directions', directions);
  if (measure === 'pearson' && m.cols < 2) throw new Error(`${where}: 'pearson' needs directions of dimension ≥ 2; got shape [${m.rows}, ${m.cols}]`);
  const matrix = measure === 'cosine' ? cosineSimilarity64(where, 'directions', m) : rowCorrelation64(m);
  return { matrix, measure, ...offDiagonalStats(matrix) };
}

/**
 * Pearson correlation between feature predictions `[samples, k]` (column j = classifier/regressor
 * j's output on each sample), e.g. how strongly editing one attribute co-varies with the others.
 * A constant column yields NaN entries (numpy's convention).
 */
export function featureCorrelation(predictions: MatrixLike): AxisCorrelation {
  const m = readMatrix('featureCorrelation', 'predictions', predictions);
  if (m.rows < 2) throw new Error(`featureCorrelation: 'predictions' needs at least 2 samples; got shape [${m.rows}, ${m.cols}]`);
  const matrix = rowCorrelation64(transpose64(m));
  return { matrix, measure: 'pearson', ...offDiagonalStats(matrix) };
}
