import { describe, expect, it } from 'vitest';
import { sqrtmPsd } from '../../src/metrics/index.js';
import { symmetricEigen } from '../../src/linalg/spectral.js';
import { expectClose, Random } from '../helpers/index.js';

function matmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}
const T = (a: number[][]) => a[0].map((_, j) => a.map((r) => r[j]));

function randomMatrix(r: number, c: number, seed: number): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: r }, () => Array.from({ length: c }, () => rng.normal()));
}

describe('sqrtmPsd', () => {
  it('gives diag(√λ) for a diagonal matrix and R·diag(√λ)·Rᵀ for a rotated one', () => {
    expectClose(
      sqrtmPsd([
        [4, 0],
        [0, 9],
      ]),
      [
        [2, 0],
        [0, 3],
      ],
      { atol: 1e-14 },
    );
    const t = 0.3;
    const R = [
      [Math.cos(t), -Math.sin(t)],
      [Math.sin(t), Math.cos(t)],
    ];
    const A = matmul(
      matmul(R, [
        [16, 0],
        [0, 0.25],
      ]),
      T(R),
    );
    expectClose(
      sqrtmPsd(A),
      matmul(
        matmul(R, [
          [4, 0],
          [0, 0.5],
        ]),
        T(R),
      ),
      { atol: 1e-13 },
    );
  });

  it('squares back to a random full-rank PSD matrix', () => {
    const B = randomMatrix(7, 7, 1);
    const A = matmul(B, T(B));
    const S = sqrtmPsd(A);
    expectClose(matmul(S, S), A, { rtol: 1e-10, atol: 1e-10 });
    expectClose(S, T(S), { atol: 1e-12 });
  });

  it('squares back to a rank-deficient PSD matrix (rank 2 in 6 dimensions) and stays PSD', () => {
    const B = randomMatrix(6, 2, 2);
    const A = matmul(B, T(B));
    const S = sqrtmPsd(A);
    expectClose(matmul(S, S), A, { rtol: 1e-7, atol: 1e-7 });
    const flat = Float64Array.from(S.flat());
    const eig = symmetricEigen(flat, 6);
    expect(eig.values[0]).toBeGreaterThan(-1e-7);
    expect(eig.values.filter((v) => v > 1e-6).length).toBe(2);
  });

  it('rejects non-square, asymmetric and indefinite matrices', () => {
    expect(() => sqrtmPsd([[1, 2, 3]])).toThrow(/sqrtmPsd: 'matrix' must be square; got shape \[1, 3\]/);
    expect(() =>
      sqrtmPsd([
        [1, 2],
        [0, 1],
      ]),
    ).toThrow(/sqrtmPsd: 'matrix' must be symmetric; element \[0, 1\] is 2 but \[1, 0\] is 0/);
    expect(() =>
      sqrtmPsd([
        [1, 0],
        [0, -1],
      ]),
    ).toThrow(/sqrtmPsd: 'matrix' must be positive semi-definite; its smallest eigenvalue is -1/);
    expect(() =>
      sqrtmPsd([
        [1, 0],
        [0, Infinity],
      ]),
    ).toThrow(/'matrix' must be finite; element \[1, 1\] is Infinity/);
  });
});

describe('symmetricEigen', () => {
  it('returns ascending eigenvalues with orthonormal eigenvectors that reconstruct A', () => {
    const B = randomMatrix(5, 5, 3);
    const A = matmul(B, T(B));
    const { values, vectors } = symmetricEigen(Float64Array.from(A.flat()), 5);
    for (let i = 1; i < 5; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    const V = Array.from({ length: 5 }, (_, i) => Array.from(vectors.subarray(i * 5, i * 5 + 5)));
    expectClose(
      matmul(T(V), V),
      [
        [1, 0, 0, 0, 0],
        [0, 1, 0, 0, 0],
        [0, 0, 1, 0, 0],
        [0, 0, 0, 1, 0],
        [0, 0, 0, 0, 1],
      ],
      { atol: 1e-12 },
    );
    const D = values.reduce<number[][]>(
      (m, v, i) => ((m[i][i] = v), m),
      Array.from({ length: 5 }, () => new Array(5).fill(0)),
    );
    expectClose(matmul(matmul(V, D), T(V)), A, { rtol: 1e-10, atol: 1e-10 });
  });
});
