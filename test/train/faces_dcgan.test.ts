import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { synthFaceDataset } from '../../src/data/index.js';
import { Adam, ExponentialMovingAverage, Trainer, ganUpdates, modelVariables, shuffledBatches } from '../../src/train/index.js';

const init = (seed: number) => tfl.initializers.randomNormal({ mean: 0, stddev: 0.1, seed });

describe('a tiny conv DCGAN on the embedded synthetic faces (8×8 grey)', () => {
  it('learns: losses stay in sane ranges and the generated mean face moves toward the data mean face', () => {
    const faces = synthFaceDataset({ n: 64, size: 16, mode: 'gray', seed: 3 });
    const data = tf.tidy(() => tf.avgPool(faces.images, 2, 2, 'valid')); // [64, 8, 8, 1] in [−1, 1]
    faces.images.dispose();
    const G = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [8], units: 2 * 2 * 16, kernelInitializer: init(1) }),
        tfl.layers.reshape({ targetShape: [2, 2, 16] }),
        tfl.layers.conv2dTranspose({ filters: 8, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
        tfl.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: init(3) }),
      ],
    });
    const D = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 8, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init(4) }),
        tfl.layers.leakyReLU({ alpha: 0.2 }),
        tfl.layers.conv2d({ filters: 16, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init(5) }),
        tfl.layers.leakyReLU({ alpha: 0.2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 1, kernelInitializer: init(6) }),
      ],
    });
    const gVars = modelVariables(G);
    const ema = new ExponentialMovingAverage(gVars, { beta: 0.9 });
    const trainer = new Trainer({
      seed: 2,
      data: shuffledBatches(data, 16, 5),
      ema,
      updates: ganUpdates({
        generator: (z) => G.apply(z) as tf.Tensor,
        discriminator: (x) => D.apply(x) as tf.Tensor,
        generatorVariables: gVars,
        discriminatorVariables: modelVariables(D),
        generatorOptimizer: new Adam({ learningRate: 4e-3, beta1: 0.5 }),
        discriminatorOptimizer: new Adam({ learningRate: 4e-3, beta1: 0.5 }),
        latentDim: 8,
      }),
    });
    const dataMean = tf.mean(data, 0);
    const z = tf.randomNormal([128, 8], 0, 1, 'float32', 42);
    const meanFaceError = () => tf.tidy(() => tf.mean(tf.square(tf.sub(tf.mean(G.apply(z) as tf.Tensor, 0), dataMean))).dataSync()[0]);
    const before = meanFaceError();
    const d: number[] = [];
    const g: number[] = [];
    trainer.run(150, (r) => {
      d.push(r.metrics.D);
      g.push(r.metrics.G);
    });
    const after = meanFaceError();
    const afterEma = ema.withAverages(meanFaceError);
    expect(after).toBeLessThan(0.3 * before);
    expect(afterEma).toBeLessThan(0.3 * before);
    const tail = (xs: number[]) => xs.slice(-30).reduce((a, b) => a + b, 0) / 30;
    expect(tail(d)).toBeGreaterThan(0.3);
    expect(tail(d)).toBeLessThan(1.8);
    expect(tail(g)).toBeGreaterThan(0.3);
    expect(tail(g)).toBeLessThan(3);
    trainer.dispose();
    ema.dispose();
    tf.dispose([data, dataMean, z]);
    G.dispose();
    D.dispose();
  });
});
