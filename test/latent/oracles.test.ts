/**
 * src/latent against sklearn / numpy oracles (scripts/fixtures/latent_oracles.py →
 * test/fixtures/latent_*.json). Inputs are float64 number[][], so tolerances are tight.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Matrix, pseudoInverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { describeEachBackend, expectClose, expectNoLeak, loadFixture, Random } from '../helpers/index.js';
import { gramSchmidt, IncrementalPca, linearRegression, linearSvm, pca, regressionAxes, trainBoundary } from '../../src/latent/index.js';

/** Flip each row of `b` to the sign of the matching row of `a` (PCA components are defined up to sign). */
function alignRows(a: number[][], b: number[][]): number[][] {
  return b.map((row, i) => {
    const s = row.reduce((acc, v, j) => acc + v * a[i][j], 0) < 0 ? -1 : 1;
    return row.map((v) => s * v);
  });
}

describe('linearRegression / regressionAxes vs sklearn (TL-GAN find_feature_axis)', () => {
  const fx = loadFixture('latent_regression');

  it('matches LinearRegression coef_.T and intercept_ to 1e-9 (both cross-product engines)', () => {
    for (const engine of ['js', 'tf'] as const) {
      const r = linearRegression(fx.X, fx.Y, { engine });
      // the tf engine runs the product in float32: 1e-5
      const tol = engine === 'js' ? { rtol: 1e-9, atol: 1e-10 } : { rtol: 1e-4, atol: 1e-5 };
      expectClose(r.coef, fx.linear.coef, tol);
      expectClose(r.intercept, fx.linear.intercept, tol);
    }
  });

  it('matches Ridge(alpha=1.0) to 1e-9', () => {
    const r = linearRegression(fx.X, fx.Y, { alpha: 1.0, engine: 'js' });
    expectClose(r.coef, fx.ridge.coef, { rtol: 1e-9, atol: 1e-10 });
    expectClose(r.intercept, fx.ridge.intercept, { rtol: 1e-9, atol: 1e-10 });
  });

  it("'linear' and 'tanh' axes equal the normalised coef_.T columns (tanh: arctanh of labels clipped to tanh(±3))", () => {
    expectClose(regressionAxes(fx.X, fx.Y, { engine: 'js' }), fx.linear.axes, { rtol: 1e-9, atol: 1e-10 });
    expectClose(regressionAxes(fx.X, fx.Ytanh, { method: 'tanh', engine: 'js' }), fx.tanh.axes, { rtol: 1e-8, atol: 1e-10 });
  });

  it('an underdetermined fit (N = 6 < dim = 10) returns the minimum-norm solution, as lstsq (gelsd)', () => {
    const rng = new Random(12);
    const X = Array.from({ length: 6 }, () => Array.from(rng.normalArray(10)));
    const y = X.map((r) => [r[0] - 2 * r[3] + 0.1 * rng.normal()]);
    const r = linearRegression(X, y, { engine: 'js' });
    // min-norm solution of the centred system: pinv(Xc)·yc
    const mean = X[0].map((_, j) => X.reduce((s, row) => s + row[j], 0) / X.length);
    const ym = y.reduce((s, v) => s + v[0], 0) / y.length;
    const Xc = new Matrix(X.map((row) => row.map((v, j) => v - mean[j])));
    const expected = pseudoInverse(Xc).mmul(new Matrix(y.map((v) => [v[0] - ym])));
    expectClose(r.coef, expected.to2DArray(), { rtol: 1e-7, atol: 1e-9 });
  });

  it('returns a Tensor2D for Tensor input (float32: 1e-4)', () => {
    const x = tf.tensor2d(fx.X);
    const y = tf.tensor2d(fx.Y);
    const axes = regressionAxes(x, y);
    expect(axes).toBeInstanceOf(tf.Tensor);
    expect(axes.shape).toEqual([6, 3]);
    expectClose(axes, fx.linear.axes, { rtol: 1e-4, atol: 1e-4 });
    tf.dispose([x, y, axes]);
  });
});

describe('linearSvm vs sklearn SVC(kernel="linear") (InterFaceGAN train_boundary)', () => {
  const fx = loadFixture('latent_svm');

  it('C = 1: coef_, intercept_ and predictions match SVC(tol=1e-8) to 1e-5', () => {
    const r = linearSvm(fx.X, fx.y, { C: 1, tol: 1e-8 });
    expectClose(r.coef, fx.C1.coef, { rtol: 1e-5, atol: 1e-5 });
    expectClose(r.intercept, fx.C1.intercept, { rtol: 1e-5, atol: 1e-5 });
    expect(r.nSupport).toBe(fx.C1.nSupport);
    const X: number[][] = fx.X;
    const pred = X.map((row) => (row.reduce((s, v, j) => s + v * r.coef[j], r.intercept) > 0 ? 1 : 0));
    expect(pred).toEqual(fx.C1.predict);
  });

  it('C = 0.1 (many bounded multipliers) matches to 1e-5', () => {
    const r = linearSvm(fx.X, fx.y, { C: 0.1, tol: 1e-8 });
    expectClose(r.coef, fx['C0.1'].coef, { rtol: 1e-5, atol: 1e-5 });
    expectClose(r.intercept, fx['C0.1'].intercept, { rtol: 1e-5, atol: 1e-5 });
  });

  it('the precomputed-Gram path (feature blocks of 4096) and the on-demand kernel-row path give the same solution (1e-9)', () => {
    const rng = new Random(9);
    const n = 24;
    const d = 4100;
    const X = Array.from({ length: n }, () => Array.from(rng.normalArray(d)));
    const y = X.map((r) => (r[0] + r[1] > 0 ? 1 : 0));
    const a = linearSvm(X, y, { tol: 1e-8, engine: 'js' });
    const b = linearSvm(X, y, { tol: 1e-8, cacheBytes: 8 * n * n - 1 }); // too small to precompute: rows on demand (LRU)
    expectClose(a.coef, b.coef, { rtol: 1e-9, atol: 1e-12 });
    expectClose(a.intercept, b.intercept, { rtol: 1e-9, atol: 1e-12 });
  });

  it("at libsvm's default tol 1e-3 the unit normal is within cosine 0.9999 of SVC's", () => {
    const r = linearSvm(fx.X, fx.y);
    const n = Math.hypot(...r.coef);
    const cos = r.coef.reduce((s, v, j) => s + (v / n) * fx.C1.boundary[j], 0);
    expect(cos).toBeGreaterThan(0.9999);
  });
});

describe('pca vs sklearn PCA / IncrementalPCA (GANSpace estimators)', () => {
  const fx = loadFixture('latent_pca');

  it("method 'full' matches PCA(svd_solver='full'): components up to sign 1e-9, variance 1e-9", () => {
    for (const engine of ['js', 'tf'] as const) {
      const r = pca(fx.X as number[][], 4, { engine, stdevDdof: 1 });
      const tol = engine === 'js' ? { rtol: 1e-9, atol: 1e-9 } : { rtol: 1e-4, atol: 1e-4 };
      expectClose(alignRows(fx.pca.components, r.components), fx.pca.components, tol);
      expectClose(
        r.stdev.map((s) => s * s),
        fx.pca.explainedVariance,
        tol,
      );
      expectClose(r.varianceRatio, fx.pca.varianceRatio, tol);
      expectClose(r.mean, fx.pca.mean, { rtol: 1e-12, atol: 1e-12 });
    }
  });

  it("stdev follows GANSpace's estimators: 'full' = np.dot(components, X.T).std(axis=1) (ddof 0), 'incremental' = sqrt(explained_variance_) (ddof 1)", () => {
    const X: number[][] = fx.X;
    const n = X.length;
    const full = pca(X, 3, { engine: 'js' });
    const comps = full.components as number[][];
    const npStd = comps.map((c) => {
      const p = X.map((row) => row.reduce((s, v, j) => s + v * c[j], 0));
      const mu = p.reduce((s, v) => s + v, 0) / n;
      return Math.sqrt(p.reduce((s, v) => s + (v - mu) ** 2, 0) / n);
    });
    expectClose(full.stdev, npStd, { rtol: 1e-9 });
    expectClose(
      full.stdev.map((s) => s * s),
      fx.pca.explainedVariance.slice(0, 3).map((v: number) => (v * (n - 1)) / n),
      { rtol: 1e-9 },
    );
    const inc = pca(X, 3, { method: 'incremental', batchSize: 20, engine: 'js' });
    expectClose(
      inc.stdev.map((s) => s * s),
      fx.ipca.explainedVariance,
      { rtol: 1e-8 },
    );
    expect(() => pca(X, 3, { stdevDdof: 2 as never })).toThrow(/pca: 'stdevDdof' must be 0 or 1; got 2/);
  });

  it("method 'incremental' reproduces IncrementalPCA(batch_size=20) including its sign convention (1e-8)", () => {
    const r = pca(fx.X as number[][], 3, { method: 'incremental', batchSize: 20, engine: 'js' });
    expectClose(r.components, fx.ipca.components, { rtol: 1e-8, atol: 1e-8 });
    expectClose(
      r.stdev.map((s) => s * s),
      fx.ipca.explainedVariance,
      { rtol: 1e-8, atol: 1e-8 },
    );
    expectClose(r.varianceRatio, fx.ipca.varianceRatio, { rtol: 1e-8, atol: 1e-8 });
    expectClose(r.mean, fx.ipca.mean, { rtol: 1e-12, atol: 1e-12 });
  });

  it('incremental with batches narrower than dim (stack rows < dim, short tail merged) matches IncrementalPCA (1e-8)', () => {
    const r = pca(fx.Xwide as number[][], 3, { method: 'incremental', batchSize: 10, engine: 'js' });
    expectClose(r.components, fx.ipcaWide.components, { rtol: 1e-8, atol: 1e-8 });
    expectClose(
      r.stdev.map((s) => s * s),
      fx.ipcaWide.explainedVariance,
      { rtol: 1e-8, atol: 1e-8 },
    );
    expectClose(r.varianceRatio, fx.ipcaWide.varianceRatio, { rtol: 1e-8, atol: 1e-8 });
  });

  it('k ≪ dim (top-k eigensolver): full and incremental match PCA / IncrementalPCA(batch_size=60) to 1e-8', () => {
    const fk = loadFixture('latent_pca_topk');
    const r = pca(fk.X as number[][], 5, { engine: 'js', stdevDdof: 1 });
    expectClose(alignRows(fk.pca.components, r.components), fk.pca.components, { rtol: 1e-8, atol: 1e-8 });
    expectClose(
      r.stdev.map((s) => s * s),
      fk.pca.explainedVariance,
      { rtol: 1e-9 },
    );
    expectClose(r.varianceRatio, fk.pca.varianceRatio, { rtol: 1e-9 });
    const ri = pca(fk.X as number[][], 5, { method: 'incremental', batchSize: 60, engine: 'js' });
    expectClose(ri.components, fk.ipca.components, { rtol: 1e-8, atol: 1e-8 });
    expectClose(
      ri.stdev.map((s) => s * s),
      fk.ipca.explainedVariance,
      { rtol: 1e-9 },
    );
    expectClose(ri.varianceRatio, fk.ipca.varianceRatio, { rtol: 1e-9 });
  });

  it('IncrementalPca streamed batch by batch equals the one-call result; the covariance algorithm equals full PCA', () => {
    const X: number[][] = fx.X;
    const ip = new IncrementalPca(3);
    for (let i = 0; i < 80; i += 20) ip.partialFit(X.slice(i, i + 20));
    const streamed = ip.result('array');
    const oneCall = pca(X, 3, { method: 'incremental', batchSize: 20 });
    expectClose(streamed.components, oneCall.components, { rtol: 1e-12, atol: 1e-12 });
    const cov = new IncrementalPca(4, { algorithm: 'covariance', engine: 'js' });
    for (let i = 0; i < 80; i += 7) cov.partialFit(X.slice(i, Math.min(80, i + 7)));
    const rc = cov.result('array');
    expectClose(alignRows(fx.pca.components, rc.components as number[][]), fx.pca.components, { rtol: 1e-9, atol: 1e-9 });
    expectClose(rc.varianceRatio, fx.pca.varianceRatio, { rtol: 1e-9, atol: 1e-9 });
  });

  it("method 'randomized' finds the same top components (|cos| ≥ 0.9999) and variances (1e-3)", () => {
    const r = pca(fx.X as number[][], 3, { method: 'randomized', seed: 3, stdevDdof: 1 });
    const aligned = alignRows(fx.pca.components, r.components);
    aligned.forEach((row, i) => {
      const cos = row.reduce((s, v, j) => s + v * fx.pca.components[i][j], 0);
      expect(cos).toBeGreaterThan(0.9999);
    });
    expectClose(
      r.stdev.map((s) => s * s),
      fx.pca.explainedVariance.slice(0, 3),
      { rtol: 1e-3 },
    );
  });
});

describe('gramSchmidt vs numpy.linalg.qr', () => {
  it('equals Q·sign(diag R) to 1e-12', () => {
    const fx = loadFixture('latent_qr');
    const Q: number[][] = fx.Q;
    const signs = (fx.R as number[][]).map((row, i) => Math.sign(row[i]));
    const expected = Q.map((row) => row.map((v, j) => v * signs[j]));
    expectClose(gramSchmidt(fx.A as number[][]), expected, { rtol: 1e-12, atol: 1e-12 });
  });
});

describeEachBackend('pca and linearRegression on the active backend (engine auto: js on cpu, backend matMul elsewhere)', () => {
  it('matches sklearn PCA and LinearRegression (float32 products where the backend runs them: 1e-4)', () => {
    const fx = loadFixture('latent_pca');
    const X = tf.tensor2d(fx.X);
    const r = pca(X, 4);
    expectClose(alignRows(fx.pca.components, r.components.arraySync() as number[][]), fx.pca.components, { rtol: 1e-4, atol: 1e-4 });
    expectClose(r.varianceRatio, fx.pca.varianceRatio, { rtol: 1e-4, atol: 1e-5 });
    const fr = loadFixture('latent_regression');
    const lr = linearRegression(fr.X as number[][], fr.Y as number[][]);
    expectClose(lr.coef, fr.linear.coef, { rtol: 1e-4, atol: 1e-4 });
    tf.dispose([X, r.components]);
  });

  it('pca, linearRegression, regressionAxes and trainBoundary leak no tensors', async () => {
    const fx = loadFixture('latent_pca');
    const X = tf.tensor2d(fx.X);
    const y = tf.tensor1d((fx.X as number[][]).map((r) => r[0] - r[1]));
    await expectNoLeak(() => [
      pca(X, 2).components,
      pca(X, 2, { method: 'incremental', batchSize: 20 }).components,
      linearRegression(X, y).coef,
      regressionAxes(X, y),
      trainBoundary(X, y, { chosenNumOrRatio: 0.3 }).boundary,
    ]);
    tf.dispose([X, y]);
  });
});
