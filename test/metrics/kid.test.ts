import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { kidFromActivations, polynomialMmd, type PolynomialKernelOptions } from '../../src/metrics/index.js';
import { describeEachBackend, expectClose, expectNoLeak, loadFixture, normalRows } from '../helpers/index.js';

interface KidFixture {
  a: number[][];
  b: number[][];
  full: { name: string; options: PolynomialKernelOptions; mmd: number }[];
  subsets: { size: number; seed: number; a: number[][]; b: number[][]; mmd: number[]; mean: number; std: number };
}
const fx = loadFixture<KidFixture>('metrics_kid');

/** Closed form of the unbiased MMD² with the linear kernel xᵀy: (‖Σx‖² − Σ‖x‖²)/(m(m−1)) + … − 2 Σx·Σy/(mn). */
function linearMmdClosedForm(x: number[][], y: number[][]): number {
  const sum = (s: number[][]) => s[0].map((_, j) => s.reduce((t, r) => t + r[j], 0));
  const dot = (u: number[], v: number[]) => u.reduce((t, ui, j) => t + ui * v[j], 0);
  const sq = (s: number[][]) => s.reduce((t, r) => t + dot(r, r), 0);
  const sx = sum(x);
  const sy = sum(y);
  const m = x.length;
  const n = y.length;
  return (dot(sx, sx) - sq(x)) / (m * (m - 1)) + (dot(sy, sy) - sq(y)) / (n * (n - 1)) - (2 * dot(sx, sy)) / (m * n);
}

describeEachBackend('polynomialMmd / kidFromActivations (float32 Gram on the backend)', () => {
  it.each(fx.full.map((c) => [c.name, c] as const))('matches the numpy unbiased MMD² on full sets of different sizes: %s', (_, c) => {
    expectClose(polynomialMmd(fx.a, fx.b, c.options), c.mmd, { rtol: 1e-6 });
  });

  it("replays torch-fidelity's subsets: per-subset MMD², mean and population std", () => {
    const s = fx.subsets;
    const r = kidFromActivations(fx.a, fx.b, { subsetIndices: { a: s.a, b: s.b } });
    expect(r.subsets).toBe(6);
    expect(r.subsetSize).toBe(12);
    expectClose(r.values, s.mmd, { rtol: 1e-6 });
    expectClose(r.mean, s.mean, { rtol: 1e-6 });
    expectClose(r.std, s.std, { rtol: 1e-5 });
  });

  it('agrees with the float64 Gram path on larger sets, on both the cached and the per-subset path', () => {
    const a = normalRows(160, 24, 11);
    const b = normalRows(140, 24, 12, { shift: 0.3 });
    for (const opts of [
      { subsets: 10, subsetSize: 100 },
      { subsets: 1, subsetSize: 50 },
    ]) {
      const r32 = kidFromActivations(a, b, { ...opts, seed: 1 });
      const r64 = kidFromActivations(a, b, { ...opts, seed: 1, precision: 'float64' });
      expect(r32.mean).toBeGreaterThan(0.05);
      expectClose(r32.values, r64.values, { rtol: 1e-5 });
    }
  });

  it('creates and leaves no tensors', async () => {
    const a = tf.tensor2d(normalRows(20, 4, 1));
    const b = tf.tensor2d(normalRows(16, 4, 2));
    await expectNoLeak(() => kidFromActivations(a, b, { subsets: 3, subsetSize: 8 }).mean);
    await expectNoLeak(() => polynomialMmd(a, b));
    tf.dispose([a, b]);
  });
});

describe('polynomialMmd (float64)', () => {
  it.each(fx.full.map((c) => [c.name, c] as const))('matches the numpy oracle to 1e-10: %s', (_, c) => {
    expectClose(polynomialMmd(fx.a, fx.b, { ...c.options, precision: 'float64' }), c.mmd, { rtol: 1e-10 });
  });

  it('equals the closed form of the linear kernel (degree 1, γ 1, c₀ 0)', () => {
    const x = normalRows(9, 3, 3);
    const y = normalRows(6, 3, 4, { shift: 0.5 });
    expectClose(polynomialMmd(x, y, { degree: 1, gamma: 1, coef0: 0, precision: 'float64' }), linearMmdClosedForm(x, y), { rtol: 1e-10 });
  });
});

describe('kidFromActivations', () => {
  it('gives per-subset values equal to the oracle when each subset is evaluated alone (per-subset Gram path)', () => {
    const s = fx.subsets;
    s.mmd.forEach((want, k) => {
      const r = kidFromActivations(fx.a, fx.b, { subsetIndices: { a: [s.a[k]], b: [s.b[k]] }, precision: 'float64' });
      expectClose(r.values[0], want, { rtol: 1e-10 });
    });
    const all = kidFromActivations(fx.a, fx.b, { subsetIndices: { a: s.a, b: s.b }, precision: 'float64' });
    expectClose(all.values, s.mmd, { rtol: 1e-10 });
    expectClose(all.std, s.std, { rtol: 1e-8 });
  });

  it('with subsets covering the whole (equal-size) sets gives the full-set MMD² and zero spread', () => {
    const a = fx.a.slice(0, 25);
    const r = kidFromActivations(a, fx.b, { subsets: 4, subsetSize: 25, precision: 'float64' });
    const full = polynomialMmd(a, fx.b, { precision: 'float64' });
    r.values.forEach((v) => expectClose(v, full, { rtol: 1e-10 }));
    expect(r.std).toBeLessThan(1e-10 * Math.abs(full));
  });

  it('is reproducible for a seed and changes with the seed', () => {
    const opts = { subsets: 5, subsetSize: 10, precision: 'float64' as const };
    const r1 = kidFromActivations(fx.a, fx.b, { ...opts, seed: 3 });
    const r2 = kidFromActivations(fx.a, fx.b, { ...opts, seed: 3 });
    const r3 = kidFromActivations(fx.a, fx.b, { ...opts, seed: 4 });
    expect(r1.values).toEqual(r2.values);
    expect(r1.values).not.toEqual(r3.values);
    expect(r1.mean).toBeGreaterThan(0);
  });

  it('is near 0 for two samples of one distribution and clearly positive for shifted ones', () => {
    const a = normalRows(200, 8, 5);
    const same = kidFromActivations(a, normalRows(200, 8, 6), { subsets: 20, subsetSize: 100 });
    const shifted = kidFromActivations(a, normalRows(200, 8, 7, { shift: 0.5 }), { subsets: 20, subsetSize: 100 });
    expect(Math.abs(same.mean)).toBeLessThan(3 * same.std + 1e-3);
    expect(shifted.mean).toBeGreaterThan(10 * Math.abs(same.mean));
    expect(shifted.mean - 3 * shifted.std).toBeGreaterThan(0);
  });

  it('defaults to subsets of min(1000, na, nb)', () => {
    const r = kidFromActivations(fx.a, fx.b, { subsets: 2 });
    expect(r.subsetSize).toBe(25);
    expect(r.values.length).toBe(2);
  });

  it('rejects bad sizes, dimensions, kernels, indices and NaN with clear errors', () => {
    expect(() => kidFromActivations(fx.a, fx.b, { subsetSize: 26 })).toThrow(
      /kidFromActivations: 'subsetSize' \(26\) must not exceed the number of samples in each set; got 'a' with 30 and 'b' with 25/,
    );
    expect(() => kidFromActivations(fx.a, normalRows(10, 3, 1))).toThrow(/kidFromActivations: 'a' and 'b' must have the same number of features; got \[30, 7\] and \[10, 3\]/);
    expect(() =>
      kidFromActivations(
        [[1, 2]],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    ).toThrow(/each set needs at least 2 samples/);
    expect(() => kidFromActivations(fx.a, fx.b, { degree: 0 })).toThrow(/'degree' must be a positive integer; got 0/);
    expect(() => kidFromActivations(fx.a, fx.b, { subsets: 0 })).toThrow(/'subsets' must be a positive integer; got 0/);
    expect(() => kidFromActivations(fx.a, fx.b, { subsetIndices: { a: [[0, 0]], b: [[0, 1]] } })).toThrow(/'subsetIndices.a\[0\]' must not repeat an index/);
    expect(() => kidFromActivations(fx.a, fx.b, { subsetIndices: { a: [[0, 1]], b: [[0, 25]] } })).toThrow(/'subsetIndices.b\[0\]\[1\]' must be an integer in \[0, 24\]; got 25/);
    const bad = fx.b.map((r) => r.slice());
    bad[3][2] = NaN;
    expect(() => kidFromActivations(fx.a, bad)).toThrow(/kidFromActivations: 'b' must be finite; element \[3, 2\] is NaN/);
    expect(() => polynomialMmd(fx.a, fx.b, { precision: 'float16' as 'float32' })).toThrow(/'precision' must be 'float32' or 'float64'/);
  });
});
