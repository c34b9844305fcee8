import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { updateBatchNormStatistics } from '../../src/train/index.js';
import { describeEachBackend, expectClose, expectNoLeak, randomNormal } from '../helpers/index.js';

/** dense(3) → BN → dense(2) → BN, with a nested sub-model holding the second BN. */
function model(): tfl.LayersModel {
  const x = tfl.input({ shape: [4] });
  const inner = tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [3], units: 2, kernelInitializer: tfl.initializers.glorotNormal({ seed: 2 }) }), tfl.layers.batchNormalization({ momentum: 0.9 })],
  });
  let h = tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }) }).apply(x) as tfl.SymbolicTensor;
  h = tfl.layers.batchNormalization({ momentum: 0.9 }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: inner.apply(h) as tfl.SymbolicTensor });
}

/** Per-batch mean and biased variance of the first BN's input (the first dense's output). */
function firstLayerBatchStats(m: tfl.LayersModel, batches: tf.Tensor[]): { mean: number[]; variance: number[] } {
  const dense = m.layers[1];
  const stats = batches.map((b) =>
    tf.tidy(() => {
      const h = dense.apply(b) as tf.Tensor;
      const { mean, variance } = tf.moments(h, 0);
      return [mean.arraySync() as number[], variance.arraySync() as number[]];
    }),
  );
  const avg = (k: 0 | 1) => stats[0][k].map((_, j) => stats.reduce((s, r) => s + r[k][j], 0) / stats.length);
  return { mean: avg(0), variance: avg(1) };
}

describeEachBackend('updateBatchNormStatistics', () => {
  it('sets the moving statistics to the plain average of the per-batch statistics (torch swa_utils.update_bn, momentum=None)', () => {
    const m = model();
    const batches = [0, 1, 2, 3, 4].map((i) => tf.add(randomNormal([16, 4], 10 + i, 1 + i), i));
    const expected = firstLayerBatchStats(m, batches);
    const updated = updateBatchNormStatistics(m, (i) => tf.clone(batches[i]), { batches: batches.length });
    expect(updated).toBe(2);
    const bn = m.layers[2] as unknown as { movingMean: { read(): tf.Tensor }; movingVariance: { read(): tf.Tensor }; momentum: number };
    expectClose(bn.movingMean.read(), expected.mean, { atol: 1e-5, rtol: 1e-5 });
    expectClose(bn.movingVariance.read(), expected.variance, { atol: 1e-5, rtol: 1e-5 });
    // the old statistics (zeros/ones) carry no weight, and each layer's momentum is restored
    expect(bn.momentum).toBe(0.9);
    tf.dispose(batches);
    m.dispose();
  });

  it('reaches the nested model, and inference then matches training-mode normalisation on one repeated batch', () => {
    const m = model();
    const x = randomNormal([32, 4], 7, 3);
    updateBatchNormStatistics(m, () => tf.clone(x), { batches: 3 });
    const train = m.apply(x, { training: true }) as tf.Tensor;
    const infer = m.apply(x, { training: false }) as tf.Tensor;
    // identical up to the variance epsilon (1e-3 in tfjs-layers' default) against unit-scale features
    expectClose(infer, train, { atol: 2e-3, rtol: 2e-3 });
    tf.dispose([x, train, infer]);
    m.dispose();
  });

  it('leaves no tensor behind and returns 0 for a model without BatchNorm', async () => {
    const m = model();
    await expectNoLeak(() => updateBatchNormStatistics(m, (i) => randomNormal([8, 4], i), { batches: 2 }));
    const plain = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 2 })] });
    expect(updateBatchNormStatistics(plain, () => tf.zeros([2, 4]), { batches: 2 })).toBe(0);
    m.dispose();
    plain.dispose();
  });
});

describe('updateBatchNormStatistics arguments', () => {
  it('names the bad argument', () => {
    const m = model();
    expect(() => updateBatchNormStatistics(m, () => tf.zeros([2, 4]), { batches: 0 })).toThrow(/'batches' must be a positive integer; got 0/);
    m.dispose();
  });
});
