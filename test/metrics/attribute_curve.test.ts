import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { attributeCurve } from '../../src/metrics/index.js';
import { expectClose, Random } from '../helpers/index.js';

describe('attributeCurve', () => {
  it('recovers slope, intercept and per-α mean/std of a noiseless linear response (synthetic ground truth)', () => {
    const alphas = [-2, -1, 0, 1, 2];
    const offsets = [-0.5, 0, 0.5]; // three samples per α
    const scores = alphas.map((a) => offsets.map((o) => 0.8 * a + 0.1 + o));
    const c = attributeCurve(scores, alphas);
    expectClose(c.slope, 0.8, { atol: 1e-12 });
    expectClose(c.intercept, 0.1, { atol: 1e-12 });
    expectClose(
      c.mean,
      alphas.map((a) => 0.8 * a + 0.1),
      { atol: 1e-12 },
    );
    expectClose(
      c.std,
      alphas.map(() => Math.sqrt(1 / 6)),
      { atol: 1e-12 },
    );
    expect(c.count).toEqual([3, 3, 3, 3, 3]);
    // R² = var explained by α / total: (0.64·2)/(0.64·2 + 1/6).
    expectClose(c.r2, 1.28 / (1.28 + 1 / 6), { rtol: 1e-12 });
    expect(c.monotonicity).toEqual({ spearman: 1, direction: 'increasing', stepAgreement: 1, perSample: 1, perSampleSpearman: 1 });
  });

  it('matches the pooled least-squares line when counts differ and sorts α for monotonicity', () => {
    const alphas = [1, 0, 2];
    const scores = [[3, 5], [1], [4, 6, 8]];
    const xs = [1, 1, 0, 2, 2, 2];
    const ys = [3, 5, 1, 4, 6, 8];
    const mx = xs.reduce((a, b) => a + b) / 6;
    const my = ys.reduce((a, b) => a + b) / 6;
    const slope = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    const c = attributeCurve(scores, alphas);
    expectClose(c.slope, slope, { rtol: 1e-12 });
    expectClose(c.intercept, my - slope * mx, { rtol: 1e-12 });
    expect(c.mean).toEqual([4, 1, 6]);
    expect(c.monotonicity.direction).toBe('increasing');
    expect(c.monotonicity.perSample).toBeNull();
    expect(c.monotonicity.perSampleSpearman).toBeNull();
  });

  it('detects a non-monotone (peaked) curve and per-sample violations', () => {
    const alphas = [-1, 0, 1, 2];
    const scores = [
      [0, 0],
      [2, 1],
      [3, 2],
      [2.5, 1],
    ]; // means 0, 1.5, 2.5, 1.75: up, up, down
    const t = tf.tensor2d(scores);
    const c = attributeCurve(t, alphas);
    t.dispose();
    expect(c.monotonicity.direction).toBe('none');
    expectClose(c.slope, 3.125 / 5, { rtol: 1e-12 });
    expectClose(c.monotonicity.stepAgreement, 2 / 3, { atol: 1e-12 });
    expect(c.monotonicity.perSample).toBe(0); // both samples drop at the last step
    // Mean ranks (1, 2, 4, 3) against α ranks (1, 2, 3, 4): ρ = 1 − 6·2/(4·15) = 0.8.
    expectClose(c.monotonicity.spearman, 0.8, { rtol: 1e-12 });
    // Sample 0: (0, 2, 3, 2.5) ranks (1, 2, 4, 3) → ρ 0.8; sample 1: (0, 1, 2, 1) ranks (1, 2.5, 4, 2.5)
    // → Pearson of those ranks with (1, 2, 3, 4): Σ(dα·dr) = 3, Σdα² = 5, Σdr² = 4.5; the mean of the two.
    const rho1 = 3 / Math.sqrt(5 * 4.5);
    expectClose(c.monotonicity.perSampleSpearman!, (0.8 + rho1) / 2, { rtol: 1e-12 });
  });

  it('counts a sample that does not move with α as Spearman 0 in perSampleSpearman', () => {
    const c = attributeCurve(
      [
        [0, 1],
        [0, 2],
        [0, 3],
      ],
      [0, 1, 2],
    ); // sample 0 constant, sample 1 rising
    expect(c.monotonicity.perSampleSpearman).toBe(0.5);
  });

  it('gives std with ddof 1 on request and works on noisy decreasing data', () => {
    const rng = new Random(3);
    const alphas = [0, 0.25, 0.5, 0.75, 1];
    const scores = alphas.map((a) => Array.from({ length: 50 }, () => 2 - 3 * a + 0.05 * rng.normal()));
    const c = attributeCurve(scores, alphas, { ddof: 1 });
    expect(c.slope).toBeCloseTo(-3, 1);
    expect(c.monotonicity.direction).toBe('decreasing');
    expect(c.monotonicity.spearman).toBe(-1);
    expect(c.std[0]).toBeGreaterThan(0.03);
    expect(c.std[0]).toBeLessThan(0.07);
  });

  it('rejects mismatched α counts, duplicate α and NaN', () => {
    expect(() => attributeCurve([[1], [2]], [0, 1, 2])).toThrow(/attributeCurve: 'scoresPerAlpha' must have one row per α \(3\); got 2 rows/);
    expect(() => attributeCurve([[1], [2]], [1, 1])).toThrow(/attributeCurve: 'alphas' must be distinct; got \[1, 1\]/);
    expect(() => attributeCurve([[1], [NaN]], [0, 1])).toThrow(/attributeCurve: 'scoresPerAlpha\[1\]' must be finite; element \[0\] is NaN/);
    expect(() => attributeCurve([[1]], [0])).toThrow(/attributeCurve: 'alphas' needs at least 2 values; got 1/);
    expect(() => attributeCurve([[1], [2]], [0, 1], { ddof: 1 })).toThrow(/'scoresPerAlpha\[0\]' needs at least 2 score\(s\) for ddof 1; got 1/);
  });
});
