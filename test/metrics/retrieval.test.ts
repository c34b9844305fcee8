import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { retrievalAccuracy } from '../../src/metrics/index.js';
import { expectClose, Random } from '../helpers/index.js';

describe('retrievalAccuracy', () => {
  it('identifies queries on a constructed 1-D gallery with hand-computed distances', () => {
    // gallery: label 0 at x = 0, label 1 at x = 10, label 2 at x = 20
    const gallery = [[0], [10], [20]];
    const queries = [[1], [9], [14], [16]];
    const r = retrievalAccuracy(queries, [0, 1, 1, 1], gallery, [0, 1, 2], { topK: 2 });
    expect(r.nearestLabel).toEqual([0, 1, 1, 2]);
    expect(r.top1Accuracy).toBe(0.75);
    expect(r.topKAccuracy).toBe(1); // the 4th query has label 1 second nearest
    expectClose(r.distanceToOwn, [1, 1, 4, 6], { atol: 1e-12 });
    expectClose(r.distanceToOther, [9, 9, 6, 4], { atol: 1e-12 });
    expectClose(r.meanDistanceRatio, (1 / 9 + 1 / 9 + 4 / 6 + 6 / 4) / 4, { rtol: 1e-12 });
  });

  it('is perfect when every query is its own gallery row plus small noise, and at chance with random labels', () => {
    const rng = new Random(3);
    const n = 40;
    const d = 16;
    const gallery = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
    const labels = Array.from({ length: n }, (_, i) => i);
    const queries = gallery.map((row) => row.map((v) => v + 0.01 * rng.normal()));
    const r = retrievalAccuracy(tf.tensor2d(queries), labels, gallery, labels);
    expect(r.top1Accuracy).toBe(1);
    expect(r.meanDistanceRatio).toBeLessThan(0.1);
    const shuffled = Array.from(new Random(5).permutation(n));
    const r2 = retrievalAccuracy(queries, shuffled, gallery, labels);
    expect(r2.top1Accuracy).toBeLessThan(0.2); // 1/40 expected
  });

  it('uses 1 − cosine similarity with metric "cosine" (scale-invariant)', () => {
    const gallery = [
      [1, 0],
      [0, 1],
    ];
    const r = retrievalAccuracy(
      [
        [5, 1],
        [0.1, 3],
      ],
      [0, 1],
      gallery,
      [0, 1],
      { metric: 'cosine' },
    );
    expect(r.top1Accuracy).toBe(1);
    expectClose(r.distanceToOwn, [1 - 5 / Math.hypot(5, 1), 1 - 3 / Math.hypot(0.1, 3)], { rtol: 1e-12 });
  });

  it('rejects mismatched widths, label counts and non-integer labels, naming the argument', () => {
    expect(() => retrievalAccuracy([[1, 2]], [0], [[1]], [0])).toThrow(/retrievalAccuracy: 'queries' and 'gallery' must have the same width/);
    expect(() => retrievalAccuracy([[1]], [0, 1], [[1]], [0])).toThrow(/'queryLabels' must be 1-D with 1 labels/);
    expect(() => retrievalAccuracy([[1]], [0.5], [[1]], [0])).toThrow(/'queryLabels' must hold integer labels/);
    expect(() => retrievalAccuracy([[1]], [0], [[0]], [0], { metric: 'cosine' })).toThrow(/gallery row 0 is all zeros/);
  });
});
