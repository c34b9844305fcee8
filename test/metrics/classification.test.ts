import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { classificationAccuracy, classificationReport, confusionMatrix } from '../../src/metrics/index.js';
import { expectClose, loadFixture } from '../helpers/index.js';

const fx = loadFixture<{ classification: { labels: number[]; predictions: number[]; confusion: number[][]; accuracy: number; balanced_accuracy: number } }>('metrics_stats');

describe('classificationReport', () => {
  it('matches sklearn confusion_matrix, accuracy_score and balanced_accuracy_score', () => {
    const c = fx.classification;
    const r = classificationReport(c.labels, c.predictions, { numClasses: 4 });
    expect(r.confusion).toEqual(c.confusion);
    expectClose(r.accuracy, c.accuracy, { rtol: 1e-12 });
    expectClose(r.balancedAccuracy, c.balanced_accuracy, { rtol: 1e-12 });
    expect(r.perClassPrecision[3]).toBeNaN(); // class 3 is never predicted
  });

  it('gives the hand-computed report and takes scores by argmax', () => {
    const labels = [0, 0, 1, 1, 2];
    const scores = tf.tensor2d([
      [0.9, 0.1, 0],
      [0.2, 0.7, 0.1],
      [0.1, 0.8, 0.1],
      [0.3, 0.3, 0.4],
      [0, 0.1, 0.9],
    ]);
    const r = classificationReport(labels, scores);
    scores.dispose();
    expect(r.numClasses).toBe(3);
    expect(r.confusion).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(r.accuracy).toBe(0.6);
    expect(r.perClassRecall).toEqual([0.5, 0.5, 1]);
    expect(r.perClassPrecision).toEqual([1, 0.5, 0.5]);
    expectClose(r.balancedAccuracy, 2 / 3, { atol: 1e-12 });
    expect(
      classificationAccuracy(
        [
          [0, 1],
          [1, 0],
        ],
        [1, 0],
      ),
    ).toBe(1);
    expect(confusionMatrix([1, 1], [1, 0], 3)).toEqual([
      [0, 0, 0],
      [1, 1, 0],
      [0, 0, 0],
    ]);
  });

  it('rejects length mismatches, non-integer labels, out-of-range classes and score-width mismatches', () => {
    expect(() => classificationReport([0, 1], [0])).toThrow(/classificationReport: 'labels' and 'predictions' must have the same number of samples; got 2 and 1/);
    expect(() => classificationAccuracy([0, 1.5], [0, 1])).toThrow(/classificationAccuracy: 'labels' must hold non-negative integer class indices; element 1 is 1.5/);
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/confusionMatrix: class index 3 is out of range for numClasses 3/);
    expect(() =>
      classificationReport(
        [
          [1, 0],
          [0, 1],
        ],
        [
          [1, 0, 0],
          [0, 1, 0],
        ],
      ),
    ).toThrow(/must have the same number of classes; got 2 and 3/);
    expect(() => classificationReport([0, NaN], [0, 1])).toThrow(/'labels' must be finite; element \[1\] is NaN/);
  });
});
