import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { axisCorrelation, correlationMatrix, cosineSimilarityMatrix, featureCorrelation, pearsonCorrelation, spearmanCorrelation } from '../../src/metrics/index.js';
import { expectClose, loadFixture, Random } from '../helpers/index.js';

interface StatsFixture {
  correlation: { predictions: number[][]; corr_columns: number[][]; directions: number[][]; corr_rows: number[][]; cosine_rows: number[][] };
  spearman: { x: number[]; y: number[]; rho: number; pearson: number };
}
const fx = loadFixture<StatsFixture>('metrics_stats');

/** Classical Gram–Schmidt of the rows (test-local closed-form construction of orthogonal axes). */
function gramSchmidt(rows: number[][]): number[][] {
  const out: number[][] = [];
  for (const r of rows) {
    const v = r.slice();
    for (const u of out) {
      const p = v.reduce((s, x, i) => s + x * u[i], 0);
      for (let i = 0; i < v.length; i++) v[i] -= p * u[i];
    }
    const n = Math.hypot(...v);
    out.push(v.map((x) => x / n));
  }
  return out;
}

describe('correlationMatrix / cosineSimilarityMatrix', () => {
  it('match np.corrcoef (rowvar False and True) and the cosine of the rows', () => {
    expectClose(correlationMatrix(fx.correlation.predictions), fx.correlation.corr_columns, { rtol: 1e-12, atol: 1e-12 });
    expectClose(correlationMatrix(fx.correlation.directions, { variables: 'rows' }), fx.correlation.corr_rows, { rtol: 1e-12, atol: 1e-12 });
    expectClose(cosineSimilarityMatrix(fx.correlation.directions), fx.correlation.cosine_rows, { rtol: 1e-12, atol: 1e-12 });
  });

  it('gives NaN for a constant variable, as numpy does', () => {
    const m = correlationMatrix([
      [1, 2],
      [1, 3],
      [1, 5],
    ]);
    expect(m[0][0]).toBeNaN();
    expect(m[0][1]).toBeNaN();
    expect(m[1][1]).toBe(1);
  });

  it('rejects a zero direction and too few observations', () => {
    expect(() =>
      cosineSimilarityMatrix([
        [1, 0],
        [0, 0],
      ]),
    ).toThrow(/cosineSimilarityMatrix: row 1 of 'vectors' is all zeros/);
    expect(() => correlationMatrix([[1, 2, 3]])).toThrow(/correlationMatrix: 'x' needs at least 2 observations per variable/);
    expect(() => correlationMatrix([[1, 2]], { variables: 'cols' as 'rows' })).toThrow(/'variables' must be 'columns' or 'rows'/);
  });
});

describe('pearsonCorrelation / spearmanCorrelation', () => {
  it('match numpy and scipy.stats.spearmanr (with ties)', () => {
    expectClose(pearsonCorrelation(fx.spearman.x, fx.spearman.y), fx.spearman.pearson, { rtol: 1e-12 });
    expectClose(spearmanCorrelation(fx.spearman.x, fx.spearman.y), fx.spearman.rho, { rtol: 1e-12 });
    expect(spearmanCorrelation([1, 2, 3, 4], [1, 8, 27, 64])).toBe(1);
    expect(spearmanCorrelation([1, 2, 3, 4], [3, 2, 1, 0])).toBe(-1);
  });

  it('rejects lists of different lengths', () => {
    expect(() => pearsonCorrelation([1, 2, 3], [1, 2])).toThrow(/pearsonCorrelation: 'x' and 'y' must have the same length; got 3 and 2/);
  });
});

describe('axisCorrelation', () => {
  it('is the identity (off-diagonal 0) for Gram–Schmidt-orthogonalised axes with the cosine measure', () => {
    const rng = new Random(1);
    const raw = Array.from({ length: 4 }, () => Array.from({ length: 12 }, () => rng.normal()));
    raw[1] = raw[0].map((v, i) => v + 0.3 * raw[1][i]); // strongly correlated before
    const before = axisCorrelation(raw);
    const after = axisCorrelation(gramSchmidt(raw));
    expect(before.maxAbsOffDiagonal).toBeGreaterThan(0.9);
    expect(after.maxAbsOffDiagonal).toBeLessThan(1e-12);
    expect(after.meanAbsOffDiagonal).toBeLessThan(1e-12);
    expectClose(
      after.matrix.map((r, i) => r[i]),
      [1, 1, 1, 1],
    );
  });

  it("with 'pearson' equals np.corrcoef of the directions and reports its mean/max |off-diagonal|", () => {
    const r = axisCorrelation(fx.correlation.directions, { measure: 'pearson' });
    expect(r.measure).toBe('pearson');
    expectClose(r.matrix, fx.correlation.corr_rows, { rtol: 1e-12, atol: 1e-12 });
    const off = [fx.correlation.corr_rows[0][1], fx.correlation.corr_rows[0][2], fx.correlation.corr_rows[1][2]].map(Math.abs);
    expectClose(r.meanAbsOffDiagonal, (off[0] + off[1] + off[2]) / 3, { rtol: 1e-12 });
    expectClose(r.maxAbsOffDiagonal, Math.max(...off), { rtol: 1e-12 });
  });

  it('accepts tensors and names itself in errors', () => {
    const t = tf.tensor2d([
      [1, 0],
      [1, 1],
    ]);
    expectClose(
      axisCorrelation(t).matrix,
      [
        [1, Math.SQRT1_2],
        [Math.SQRT1_2, 1],
      ],
      { rtol: 1e-7 },
    );
    t.dispose();
    expect(() =>
      axisCorrelation([
        [0, 0],
        [1, 1],
      ]),
    ).toThrow(/axisCorrelation: row 0 of 'directions' is all zeros/);
    expect(() => axisCorrelation([[1, 2]], { measure: 'spearman' as 'cosine' })).toThrow(/axisCorrelation: 'measure' must be 'cosine' or 'pearson'/);
  });
});

describe('featureCorrelation', () => {
  it('is np.corrcoef(predictions, rowvar=False)', () => {
    const r = featureCorrelation(fx.correlation.predictions);
    expectClose(r.matrix, fx.correlation.corr_columns, { rtol: 1e-12, atol: 1e-12 });
    expect(r.measure).toBe('pearson');
  });

  it('is ±1 for exactly linearly related predictions', () => {
    const p = [0, 1, 2, 3, 4].map((v) => [v, 2 * v + 1, -v]);
    expectClose(
      featureCorrelation(p).matrix,
      [
        [1, 1, -1],
        [1, 1, -1],
        [-1, -1, 1],
      ],
      { atol: 1e-12 },
    );
    expect(() => featureCorrelation([[1, 2]])).toThrow(/featureCorrelation: 'predictions' needs at least 2 samples; got shape \[1, 2\]/);
  });
});
