/**
 * Synthetic ground truth: latents with a planted linear attribute. Every direction-finding method
 * (TL-GAN regression axes linear/ridge/tanh, InterFaceGAN SVM boundary, Glow attribute vector,
 * GANSpace PCA full/incremental/randomized) must recover the planted direction with cosine ≥ 0.99.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../helpers/index.js';
import { Matrix, pseudoInverse, QrDecomposition } from 'ml-matrix';
import { attributeVector, latentDirectionsFromActivations, linearSvm, pca, regressionAxes, trainBoundary } from '../../src/latent/index.js';

const N = 2000;
const D = 16;
const rng = new Random(42);
const u0 = Array.from(rng.normalArray(D));
const un = Math.hypot(...u0);
const u = u0.map((v) => v / un);
const Z: number[][] = Array.from({ length: N }, () => Array.from(rng.normalArray(D)));
const s = Z.map((z) => z.reduce((acc, v, i) => acc + v * u[i], 0) + 0.1 * rng.normal());

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
};
const col0 = (m: number[][]) => m.map((r) => r[0]);

describe('recovery of a planted linear attribute (cosine ≥ 0.99)', () => {
  it("regressionAxes 'linear' and 'ridge' on the raw score", () => {
    expect(cosine(col0(regressionAxes(Z, s)), u)).toBeGreaterThanOrEqual(0.99);
    expect(cosine(col0(regressionAxes(Z, s, { method: 'ridge', alpha: 10 })), u)).toBeGreaterThanOrEqual(0.99);
  });

  it("regressionAxes 'tanh' on a tanh-squashed score (TL-GAN's classifier outputs)", () => {
    const y = s.map((v) => Math.tanh(0.7 * v));
    expect(cosine(col0(regressionAxes(Z, y, { method: 'tanh' })), u)).toBeGreaterThanOrEqual(0.99);
  });

  it('trainBoundary (top/bottom 10 %, SVM, unit normal) with high validation accuracy', () => {
    const r = trainBoundary(Z, s, { chosenNumOrRatio: 0.1, seed: 1 });
    const b = r.boundary[0];
    expect(Math.abs(Math.hypot(...b) - 1)).toBeLessThan(1e-6);
    expect(cosine(b, u)).toBeGreaterThanOrEqual(0.99);
    expect(r.trainCount).toBe(2 * Math.floor(200 * 0.7));
    expect(r.validationCount).toBe(2 * (200 - 140));
    expect(r.validationAccuracy).toBeGreaterThanOrEqual(0.98);
    expect(r.remainingAccuracy).toBeGreaterThan(0.9);
  });

  it('trainBoundary follows train_boundary’s bookkeeping: invalid scores dropped, counts > 1 taken literally, capped at N/2, 70/30 split', () => {
    const scores = s.slice(0, 300).map((v, i) => (i % 10 === 0 ? -999 : v));
    const Z300 = Z.slice(0, 300);
    const r = trainBoundary(Z300, scores, { chosenNumOrRatio: 50, invalidValue: -999, seed: 3 });
    expect(r.trainCount).toBe(2 * 35);
    expect(r.validationCount).toBe(2 * 15);
    const capped = trainBoundary(Z300, scores, { chosenNumOrRatio: 1000, invalidValue: -999, splitRatio: 1, seed: 3 });
    expect(capped.trainCount).toBe(2 * 135); // 270 valid rows → chosen = 135 per class, all for training
    expect(Number.isNaN(capped.validationAccuracy)).toBe(true);
    expect(Number.isNaN(capped.remainingAccuracy)).toBe(true);
    // same seed → same shuffles → same boundary
    const again = trainBoundary(Z300, scores, { chosenNumOrRatio: 50, invalidValue: -999, seed: 3 });
    expect(again.boundary).toEqual(r.boundary);
    expect(cosine(r.boundary[0], u)).toBeGreaterThanOrEqual(0.95);
  });

  it('linearSvm on sign labels', () => {
    const r = linearSvm(
      Z.slice(0, 400),
      s.slice(0, 400).map((v) => (v > 0 ? 1 : 0)),
      { C: 10 },
    );
    expect(cosine(r.coef, u)).toBeGreaterThanOrEqual(0.99);
  });

  it('attributeVector = mean(with) − mean(without)', () => {
    expect(
      cosine(
        attributeVector(
          Z,
          s.map((v) => (v > 0 ? 1 : -1)),
        ),
        u,
      ),
    ).toBeGreaterThanOrEqual(0.99);
  });

  it('pca full / incremental / randomized find a planted high-variance direction (up to sign)', () => {
    const g = new Random(7);
    const X = Z.map((z) => {
      const a = 4 * g.normal();
      return z.map((v, i) => v + a * u[i]);
    });
    for (const method of ['full', 'incremental', 'randomized'] as const) {
      const r = pca(X, 3, { method, batchSize: 250, seed: 2 });
      expect(Math.abs(cosine(r.components[0], u)), method).toBeGreaterThanOrEqual(0.99);
      expect(r.stdev[0], method).toBeGreaterThan(3.5);
      expect(r.stdev[0]).toBeGreaterThan(r.stdev[1]);
    }
  });
});

describe('latentDirectionsFromActivations (GANSpace activation-space PCA → latent regression)', () => {
  it('equals the minimum-norm lstsq of latents on scaled PC coordinates (rows normalised), and recovers a planted direction through an orthonormal "layer"', () => {
    const g = new Random(17);
    const Dl = 8;
    const F = 20;
    const Wq = new QrDecomposition(new Matrix(Array.from({ length: F }, () => Array.from(g.normalArray(Dl))))).orthogonalMatrix.transpose(); // [Dl, F], orthonormal rows
    const v = Array.from(g.normalArray(Dl));
    const vn = Math.hypot(...v);
    const uu = v.map((x) => x / vn);
    const Zs = Array.from({ length: 1500 }, () => {
      const a = 3 * g.normal();
      return Array.from(g.normalArray(Dl), (x, i) => x + a * uu[i]);
    });
    const act = new Matrix(Zs)
      .mmul(Wq)
      .to2DArray()
      .map((r) => r.map((x) => x + 0.01 * g.normal()));
    const res = pca(act, 3);
    const dirs = latentDirectionsFromActivations(Zs, act, res);
    expect(Math.abs(cosine(dirs[0], uu))).toBeGreaterThanOrEqual(0.99);
    // closed form: pinv(A)·Z with A = ((act − mean)·compᵀ)/stdev
    const A = new Matrix(act.map((r) => res.components.map((c, i) => r.reduce((s, x, f) => s + (x - res.mean[f]) * c[f], 0) / res.stdev[i])));
    const M = pseudoInverse(A)
      .mmul(new Matrix(Zs))
      .to2DArray()
      .map((r) => {
        const n = Math.hypot(...r);
        return r.map((x) => x / n);
      });
    M.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(x - dirs[i][j])).toBeLessThan(1e-8)));
  });
});
