import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { activationStatistics, fidFromActivations, frechetDistance } from '../../src/metrics/index.js';
import { expectClose, expectNoLeak, loadFixture, normalRows } from '../helpers/index.js';

interface FidCase {
  name: string;
  a: number[][];
  b: number[][];
  fid: number;
  fid_pytorch_fid?: number;
  mean_a: number[];
  cov_a: number[][];
  full_rank: boolean;
}
const fixture = loadFixture<{ cases: FidCase[] }>('metrics_fid');

describe('fidFromActivations', () => {
  it('is 0 for identical samples (FID of identical Gaussians)', () => {
    const a = normalRows(50, 4, 1);
    expect(fidFromActivations(a, a)).toBeLessThan(1e-9);
  });

  it('is 25 for a mean shift of (3, 4) with identical covariance', () => {
    const a = normalRows(40, 2, 2);
    const b = a.map(([x, y]) => [x + 3, y + 4]);
    expect(fidFromActivations(a, b)).toBeCloseTo(25, 9);
  });

  it('is ‖shift‖² for any shift and (1 − c)²(‖μ‖² + Tr Σ) for a scaling x → c·x', () => {
    const a = normalRows(30, 5, 3, { scale: 2 });
    const shift = [1, -2, 0.5, 3, -1];
    expect(
      fidFromActivations(
        a,
        a.map((r) => r.map((v, j) => v + shift[j])),
      ),
    ).toBeCloseTo(15.25, 9);
    const c = 2.5;
    const stats = activationStatistics(a);
    let closed = 0;
    for (let j = 0; j < 5; j++) closed += stats.mean[j] ** 2 + stats.covariance[j * 5 + j];
    closed *= (1 - c) ** 2;
    expectClose(
      fidFromActivations(
        a,
        a.map((r) => r.map((v) => c * v)),
      ),
      closed,
      { rtol: 1e-10 },
    );
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('matches the numpy eigh-based oracle: %s', (_, c) => {
    const got = fidFromActivations(c.a, c.b);
    expectClose(got, c.fid, { rtol: 1e-7, atol: 1e-9 });
    if (c.fid_pytorch_fid !== undefined) expectClose(got, c.fid_pytorch_fid, { rtol: 1e-7 });
  });

  it('handles rank-deficient covariances (fewer samples than features) without an eps offset', () => {
    for (const c of fixture.cases.filter((k) => !k.full_rank)) {
      const got = fidFromActivations(c.a, c.b);
      expect(Number.isFinite(got) && got >= 0).toBe(true);
      expectClose(got, c.fid, { rtol: 1e-7 });
    }
    // Two samples in 6 dimensions: rank-1 covariances.
    const a = normalRows(2, 6, 4);
    expect(fidFromActivations(a, a)).toBeLessThan(1e-9);
  });

  it('is symmetric and gives the same value for tensors and arrays', () => {
    const c = fixture.cases[0];
    const ta = tf.tensor2d(c.a);
    const tb = tf.tensor2d(c.b);
    // Tensors hold float32 copies of the inputs: agreement is to float32 input rounding.
    expectClose(fidFromActivations(ta, tb), c.fid, { rtol: 1e-5 });
    expectClose(fidFromActivations(c.b, c.a), c.fid, { rtol: 1e-9 });
    tf.dispose([ta, tb]);
  });

  it('creates and leaves no tensors', async () => {
    const ta = tf.tensor2d(normalRows(20, 3, 5));
    const tb = tf.tensor2d(normalRows(20, 3, 6));
    await expectNoLeak(() => fidFromActivations(ta, tb));
    tf.dispose([ta, tb]);
  });

  it('rejects mismatched dimensions, too few samples, NaN and wrong ranks with clear errors', () => {
    const a = normalRows(10, 3, 7);
    expect(() => fidFromActivations(a, normalRows(10, 4, 8))).toThrow(/fidFromActivations: 'a' and 'b' must have the same number of features; got \[10, 3\] and \[10, 4\]/);
    expect(() => fidFromActivations([[1, 2, 3]], a)).toThrow(/fidFromActivations: 'a' needs at least 2 samples to estimate a covariance; got shape \[1, 3\]/);
    const bad = a.map((r) => r.slice());
    bad[4][1] = NaN;
    expect(() => fidFromActivations(a, bad)).toThrow(/fidFromActivations: 'b' must be finite; element \[4, 1\] is NaN/);
    expect(() => fidFromActivations([1, 2, 3] as unknown as number[][], a)).toThrow(/'a' must be 2-D \[samples, features\]; got shape \[3\]/);
    expect(() => fidFromActivations([[1, 2], [3]], a)).toThrow(/'a' must be a rectangular array/);
    const t3 = tf.zeros([2, 3, 4]);
    expect(() => fidFromActivations(t3, a)).toThrow(/'a' must be 2-D/);
    t3.dispose();
  });
});

describe('activationStatistics', () => {
  it('gives np.mean and np.cov(rowvar=False)', () => {
    const c = fixture.cases[1];
    const s = activationStatistics(c.a);
    expect(s.count).toBe(c.a.length);
    expectClose(s.mean, c.mean_a, { rtol: 1e-12, atol: 1e-12 });
    expectClose(s.covariance, c.cov_a, { rtol: 1e-10, atol: 1e-12 });
  });
});

describe('frechetDistance', () => {
  it('equals Σ (σa − σb)² + ‖μa − μb‖² for diagonal covariances (closed form)', () => {
    const sa = [4, 1, 0.25, 9];
    const sb = [1, 1, 4, 0];
    let closed = 1 + 4; // means [0,0,0,0] vs [1,2,0,0]
    for (let i = 0; i < 4; i++) closed += (Math.sqrt(sa[i]) - Math.sqrt(sb[i])) ** 2;
    const diag = (v: number[]) => v.map((x, i) => v.map((_, j) => (i === j ? x : 0)));
    const got = frechetDistance({ mean: [0, 0, 0, 0], covariance: diag(sa) }, { mean: [1, 2, 0, 0], covariance: diag(sb) });
    expect(got).toBeCloseTo(closed, 10);
  });

  it('accepts cached statistics and matches fidFromActivations', () => {
    const c = fixture.cases[0];
    expectClose(frechetDistance(activationStatistics(c.a), activationStatistics(c.b)), c.fid, { rtol: 1e-9 });
  });

  it('rejects statistics of different dimensions or inconsistent shapes', () => {
    const s2 = {
      mean: [0, 0],
      covariance: [
        [1, 0],
        [0, 1],
      ],
    };
    const s3 = {
      mean: [0, 0, 0],
      covariance: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    };
    expect(() => frechetDistance(s2, s3)).toThrow(/frechetDistance: 'a' and 'b' must have the same dimension; got 2 and 3/);
    expect(() => frechetDistance(s2, { mean: [0, 0], covariance: [[1, 0, 0]] })).toThrow(/'b.covariance' must have shape \[2, 2\]/);
    expect(() =>
      frechetDistance(s2, {
        mean: [0, NaN],
        covariance: [
          [1, 0],
          [0, 1],
        ],
      }),
    ).toThrow(/'b.mean' must be finite/);
    expect(() =>
      frechetDistance(
        {
          mean: [0, 0],
          covariance: [
            [1, 0],
            [0, -2],
          ],
        },
        s2,
      ),
    ).toThrow(/frechetDistance: the covariance of 'a' is not positive semi-definite \(eigenvalue -2/);
    expect(() =>
      frechetDistance(s2, {
        mean: [0, 0],
        covariance: [
          [1, 2],
          [2, 1],
        ],
      }),
    ).toThrow(/frechetDistance: the covariance of 'b' is not positive semi-definite/);
    expect(() =>
      fidFromActivations(
        [
          [1e200, 0],
          [-1e200, 1],
        ],
        [
          [0, 0],
          [1, 1],
        ],
      ),
    ).toThrow(/fidFromActivations: the statistics overflow float64/);
  });
});
