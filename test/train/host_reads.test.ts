import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { synthFaceDataset } from '../../src/data/index.js';
import { buildDcganDiscriminator, buildDcganGenerator } from '../../src/models/index.js';
import { Adam, ExponentialMovingAverage, Trainer, ganUpdates, modelVariables, shuffledBatches } from '../../src/train/index.js';

/** Counts the host reads (dataSync, arraySync, data, array, bufferSync, buffer) user code makes while `f` runs. */
function countHostReads(f: () => void): number {
  const proto = tf.Tensor.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const names = ['dataSync', 'arraySync', 'data', 'array', 'bufferSync', 'buffer'];
  const saved = names.map((n) => proto[n]);
  let count = 0;
  names.forEach((n, i) => {
    proto[n] = function (this: unknown, ...a: unknown[]) {
      count++;
      return saved[i].apply(this, a);
    };
  });
  try {
    f();
  } finally {
    names.forEach((n, i) => (proto[n] = saved[i]));
  }
  return count;
}

describe('host reads per Trainer step', () => {
  it('a DCGAN step (D update + G update, BatchNorm, EMA, finiteness check) reads the host once per update', () => {
    const faces = synthFaceDataset({ n: 8, size: 16, seed: 1 });
    const G = buildDcganGenerator({ imageSize: 16, filters: 4, latentDim: 8, seed: 1 });
    const D = buildDcganDiscriminator({ imageSize: 16, filters: 4, seed: 2 });
    let ema!: ExponentialMovingAverage;
    tf.tidy(() => {
      ema = new ExponentialMovingAverage(modelVariables(G), { halfLife: 10 });
    });
    const optimizers = [new Adam({ learningRate: 1e-3 }), new Adam({ learningRate: 1e-3 })];
    const trainer = new Trainer({
      seed: 3,
      ema,
      data: shuffledBatches(faces.images, 4, 4),
      updates: ganUpdates({
        generator: (z) => G.apply(z, { training: true }) as tf.Tensor,
        discriminator: (x) => D.apply(x, { training: true }) as tf.Tensor,
        generatorVariables: modelVariables(G),
        discriminatorVariables: modelVariables(D),
        generatorOptimizer: optimizers[0],
        discriminatorOptimizer: optimizers[1],
        latentDim: 8,
      }),
    });
    trainer.run(1); // warm-up: optimizer slots and kernels
    const reads = countHostReads(() => trainer.run(3));
    expect(reads / 3).toBeLessThanOrEqual(2);
    trainer.dispose();
    optimizers.forEach((o) => o.dispose());
    tf.dispose([faces.images, ...ema.averages]);
    G.dispose();
    D.dispose();
  });
});
