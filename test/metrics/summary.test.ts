import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { quantile, summarize } from '../../src/metrics/index.js';
import { expectClose, loadFixture } from '../helpers/index.js';

interface SummaryCase {
  name: string;
  values: number[];
  probabilities: number[];
  quantiles: number[];
  mean: number;
  std0: number;
  std1: number | null;
  median: number;
  min: number;
  max: number;
}
const fx = loadFixture<{ summaries: SummaryCase[] }>('metrics_stats');

describe('summarize', () => {
  it.each(fx.summaries.map((c) => [c.name, c] as const))('matches numpy mean/std/median/quantile: %s', (_, c) => {
    const s = summarize(c.values, { probabilities: c.probabilities });
    expect(s.count).toBe(c.values.length);
    expectClose(s.mean, c.mean, { rtol: 1e-12, atol: 1e-12 });
    expectClose(s.std, c.std0, { rtol: 1e-12, atol: 1e-12 });
    expectClose(s.median, c.median, { rtol: 1e-12 });
    expect([s.min, s.max]).toEqual([c.min, c.max]);
    expectClose(s.quantiles, c.quantiles, { rtol: 1e-12, atol: 1e-12 });
    if (c.std1 !== null) expectClose(summarize(c.values, { ddof: 1 }).std, c.std1, { rtol: 1e-12 });
  });

  it('gives the hand-computed values for 1..5 and accepts tensors', () => {
    const t = tf.tensor1d([5, 1, 4, 2, 3]);
    const s = summarize(t, { probabilities: [0.25, 0.1] });
    expect(s).toEqual({ count: 5, mean: 3, std: Math.sqrt(2), min: 1, max: 5, median: 3, probabilities: [0.25, 0.1], quantiles: [2, 1.4] });
    t.dispose();
    expect(quantile([0, 10], 0.3)).toBeCloseTo(3, 12);
  });

  it('rejects empty input, NaN, bad probabilities and too few values for ddof', () => {
    expect(() => summarize([])).toThrow(/summarize: 'values' needs at least 1 value; got 0/);
    expect(() => summarize([1, NaN])).toThrow(/summarize: 'values' must be finite; element \[1\] is NaN/);
    expect(() => summarize([1, 2], { probabilities: [1.5] })).toThrow(/summarize: probabilities must be in \[0, 1\]; got 1.5/);
    expect(() => summarize([1], { ddof: 1 })).toThrow(/summarize: 'values' needs at least 2 values; got 1/);
    expect(() => summarize([[1, 2]] as unknown as number[])).toThrow(/summarize: 'values' must be 1-D; got shape \[1, 2\]/);
    expect(() => quantile([1, 2], -0.1)).toThrow(/quantile: probabilities must be in \[0, 1\]/);
  });
});
