import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { regressionError } from '../../src/metrics/index.js';
import { expectClose, loadFixture } from '../helpers/index.js';

const fx = loadFixture<{
  predicted: number[][];
  target: number[][];
  mae_raw: number[];
  rmse_raw: number[];
  r2_raw: number[];
  mae: number;
  rmse: number;
  r2: number;
  baseline_mae: number;
}>('metrics_regression');

describe('regressionError', () => {
  it('matches sklearn mean_absolute_error, mean_squared_error and r2_score (raw_values and uniform_average)', () => {
    const r = regressionError(fx.predicted, fx.target);
    expect(r.count).toBe(30);
    expectClose(r.maePerOutput, fx.mae_raw, { rtol: 1e-12 });
    expectClose(r.rmsePerOutput, fx.rmse_raw, { rtol: 1e-12 });
    expectClose(r.r2PerOutput, fx.r2_raw, { rtol: 1e-10 });
    expect(r.r2PerOutput[3]).toBeLessThan(0); // the uninformative output
    expectClose(r.mae, fx.mae, { rtol: 1e-12 });
    expectClose(r.rmse, fx.rmse, { rtol: 1e-12 });
    expectClose(r.r2, fx.r2, { rtol: 1e-10 });
    expectClose(r.baselineMae, fx.baseline_mae, { rtol: 1e-12 });
  });

  it('gives the hand-computed errors on tensors, and NaN R² for a constant target (left out of the mean)', () => {
    const p = tf.tensor2d([
      [1, 0],
      [2, 0],
      [4, 1],
    ]);
    const t = tf.tensor2d([
      [1, 0.5],
      [3, 0.5],
      [5, 0.5],
    ]);
    const r = regressionError(p, t);
    tf.dispose([p, t]);
    expectClose(r.maePerOutput, [2 / 3, 0.5], { atol: 1e-12 });
    expectClose(r.rmsePerOutput, [Math.sqrt(2 / 3), 0.5], { atol: 1e-12 });
    // target [1, 3, 5]: mean 3, SS_tot 8, SS_res 2 → R² 0.75
    expectClose(r.r2PerOutput[0], 0.75, { atol: 1e-12 });
    expect(r.r2PerOutput[1]).toBeNaN();
    expectClose(r.r2, 0.75, { atol: 1e-12 });
    expectClose(r.mae, (2 / 3 + 0.5) / 2, { atol: 1e-12 });
    expectClose(r.targetMean, [3, 0.5], { atol: 1e-12 });
    expectClose(r.baselineMae, (4 / 3 + 0) / 2, { atol: 1e-12 });
    const perfect = regressionError([[0.2, 0.7]], [[0.2, 0.7]]);
    expect(perfect.mae).toBe(0);
  });

  it('rejects shape mismatches and non-finite values', () => {
    expect(() => regressionError([[1, 2]], [[1, 2, 3]])).toThrow(/regressionError: 'predicted' and 'target' must have the same shape; got \[1, 2\] and \[1, 3\]/);
    expect(() => regressionError([[1, NaN]], [[1, 2]])).toThrow(/regressionError: 'predicted' must be finite; element \[0, 1\] is NaN/);
    expect(() => regressionError([1, 2] as unknown as number[][], [[1, 2]])).toThrow(/regressionError: 'predicted' must be 2-D/);
  });
});
