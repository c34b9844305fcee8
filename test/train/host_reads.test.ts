import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { synthFaceDataset } from '../../src/data/index.js';
import { buildDcganDiscriminator, buildDcganGenerator } from '../../src/models/index.js';
import { countHostReads } from '../../src/util/index.js';
import { Adam, ExponentialMovingAverage, Trainer, ganUpdates, modelVariables, shuffledBatches } from '../../src/train/index.js';

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

describe('countHostReads', () => {
  it('counts every kind of synchronous read and restores the tensor methods', () => {
    const t = tf.tensor1d([1, 2, 3]);
    const dataSync = tf.Tensor.prototype.dataSync;
    expect(
      countHostReads(() => {
        t.dataSync();
        t.arraySync();
        t.bufferSync();
      }),
    ).toBe(3);
    expect(countHostReads(() => tf.tidy(() => tf.add(t, 1)))).toBe(0);
    expect(() =>
      countHostReads(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tf.Tensor.prototype.dataSync).toBe(dataSync);
    t.dispose();
  });
});
