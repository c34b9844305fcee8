/**
 * The internal float64 kernels behind the latent tools: the blocked cross-product (both engines)
 * against a naive sum, and the symmetric eigensolver against ml-matrix plus residual and
 * orthonormality checks (random, repeated-eigenvalue, zero and 1×1 matrices).
 */
import { EigenvalueDecomposition, Matrix, QrDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { expectClose, Random } from '../helpers/index.js';
import { eighDescending, eighTopK } from '../../src/linalg/eigh.js';
import { accumulateCrossprod, resolveEngine, solveSymmetric } from '../../src/linalg/index.js';

function checkEig(A: Float64Array, n: number, tol: number): void {
  const { values, vectors } = eighDescending(A, n);
  for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
  const scale = Math.max(1, Math.abs(values[0]), Math.abs(values[n - 1]));
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += A[r * n + c] * vectors[i * n + c];
      expect(Math.abs(s - values[i] * vectors[i * n + r])).toBeLessThan(tol * scale);
    }
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += vectors[i * n + c] * vectors[j * n + c];
      expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(tol);
    }
  }
}

describe('eighDescending (tred2 + tql2 on flat arrays)', () => {
  it('matches ml-matrix eigenvalues and has residual and orthonormality ≤ 1e-12 on a random 40×40 SPD matrix', () => {
    const n = 40;
    const rng = new Random(1);
    const B = Matrix.from1DArray(n, n, Array.from(rng.normalArray(n * n)));
    const S = B.mmul(B.transpose());
    const A = Float64Array.from(S.to1DArray());
    checkEig(A, n, 1e-12);
    const ref = new EigenvalueDecomposition(S, { assumeSymmetric: true }).realEigenvalues.sort((a, b) => b - a);
    expectClose(eighDescending(A, n).values, ref, { rtol: 1e-12, atol: 1e-10 });
  });

  it('handles repeated eigenvalues, indefinite, zero and 1×1 matrices', () => {
    const n = 6;
    const I = new Float64Array(n * n);
    for (let i = 0; i < n; i++) I[i * n + i] = 1;
    checkEig(I, n, 1e-14);
    const diag = Float64Array.from([3, 0, 0, 0, -2, 0, 0, 0, 3]);
    checkEig(diag, 3, 1e-14);
    expectClose(eighDescending(diag, 3).values, [3, 3, -2]);
    checkEig(new Float64Array(16), 4, 1e-14);
    expectClose(eighDescending(Float64Array.of(-5), 1).values, [-5]);
  });
});

describe('resolveEngine', () => {
  it("'auto' is the float64 JS kernel on cpu and before any backend is set, the backend's matMul elsewhere", () => {
    expect(resolveEngine('auto', () => undefined)).toBe('js');
    expect(resolveEngine(undefined, () => 'cpu')).toBe('js');
    expect(resolveEngine('auto', () => 'wasm')).toBe('tf');
    expect(resolveEngine('auto', () => 'webgpu')).toBe('tf');
    expect(resolveEngine('js', () => 'wasm')).toBe('js');
    expect(resolveEngine('tf', () => undefined)).toBe('tf');
  });
});

describe('accumulateCrossprod', () => {
  it('equals the naive Σ (x − s)(x − s)ᵀ and Σ (x − s)(y − t)ᵀ (js: 1e-12, tf float32: 1e-5) for a dim not divisible by 4 and > 1 panel', () => {
    const n = 300;
    const d = 7;
    const t = 2;
    const rng = new Random(3);
    const X = { data: rng.normalArray(n * d), rows: n, cols: d };
    const Y = { data: rng.normalArray(n * t), rows: n, cols: t };
    const shift = Float64Array.from({ length: d }, (_, i) => 0.1 * i);
    const G = new Float64Array(d * d);
    const XY = new Float64Array(d * t);
    for (let r = 0; r < n; r++) {
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) G[a * d + b] += (X.data[r * d + a] - shift[a]) * (X.data[r * d + b] - shift[b]);
        for (let k = 0; k < t; k++) XY[a * t + k] += (X.data[r * d + a] - shift[a]) * Y.data[r * t + k];
      }
    }
    for (const engine of ['js', 'tf'] as const) {
      const out = new Float64Array(d * d);
      const outXY = new Float64Array(d * t);
      accumulateCrossprod(X, out, { shift, y: Y, outXY, engine });
      const tol = engine === 'js' ? { rtol: 1e-12, atol: 1e-11 } : { rtol: 1e-5, atol: 1e-4 };
      expectClose(out, G, tol);
      expectClose(outXY, XY, tol);
    }
  });

  it("the tf engine's block-upper-triangular products (2 and 4 column blocks) equal the js kernel (float32: 1e-5)", () => {
    const rng = new Random(4);
    for (const d of [130, 401]) {
      const n = 64;
      const X = { data: rng.normalArray(n * d), rows: n, cols: d };
      const Y = { data: rng.normalArray(n * 3), rows: n, cols: 3 };
      const a = new Float64Array(d * d);
      const b = new Float64Array(d * d);
      const axy = new Float64Array(d * 3);
      const bxy = new Float64Array(d * 3);
      accumulateCrossprod(X, a, { engine: 'js', y: Y, outXY: axy });
      accumulateCrossprod(X, b, { engine: 'tf', y: Y, outXY: bxy });
      expectClose(b, a, { rtol: 1e-5, atol: 1e-4 });
      expectClose(bxy, axy, { rtol: 1e-5, atol: 1e-4 });
    }
  });

  it('solveSymmetric falls back to the minimum-norm solution for a singular system', () => {
    // [[1, 1], [1, 1]] x = [2, 2] → minimum-norm x = [1, 1]
    expectClose(solveSymmetric(Float64Array.of(1, 1, 1, 1), 2, Float64Array.of(2, 2), 1), [1, 1], { rtol: 1e-12 });
  });
});

describe('eighTopK (tridiagonal reduction + QL eigenvalues + inverse iteration)', () => {
  const check = (A: Float64Array, n: number, k: number, tol: number) => {
    const full = eighDescending(A, n);
    const top = eighTopK(A, n, k);
    expectClose(top.values, full.values.slice(0, k), { rtol: 1e-12, atol: tol });
    const scale = Math.max(1, Math.abs(full.values[0]));
    for (let i = 0; i < k; i++) {
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let c = 0; c < n; c++) s += A[r * n + c] * top.vectors[i * n + c];
        expect(Math.abs(s - top.values[i] * top.vectors[i * n + r])).toBeLessThan(tol * scale);
      }
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let c = 0; c < n; c++) s += top.vectors[i * n + c] * top.vectors[j * n + c];
        expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(tol);
      }
    }
  };

  it('matches the full solver on a random 60×60 SPD matrix (top 12: residual and orthonormality ≤ 1e-10)', () => {
    const n = 60;
    const rng = new Random(5);
    const B = Matrix.from1DArray(n, n, Array.from(rng.normalArray(n * n)));
    check(Float64Array.from(B.mmul(B.transpose()).to1DArray()), n, 12, 1e-10);
  });

  it('handles clusters and exactly repeated eigenvalues (Q diag(5, 5, 5, 4.9999999, 3, …) Qᵀ)', () => {
    const n = 40;
    const rng = new Random(6);
    const Q = new Matrix(Array.from({ length: n }, () => Array.from(rng.normalArray(n)))).transpose();
    const qr = new QrDecomposition(Q).orthogonalMatrix;
    const lam = Array.from({ length: n }, (_, i) => (i < 3 ? 5 : i === 3 ? 4.9999999 : 3 - i / n));
    const A = qr.mmul(Matrix.diag(lam)).mmul(qr.transpose());
    const sym = A.add(A.transpose()).div(2);
    check(Float64Array.from(sym.to1DArray()), n, 8, 1e-9);
  });
});
