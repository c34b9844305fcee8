/**
 * A small DCGAN trainer on the embedded synthetic faces (16×16, 4 filters, latent 8): D update +
 * G update with BatchNorm and the finiteness check, optionally an EMA of G. Shared by the
 * host-read, trainer and webgpu training tests.
 */
import * as tf from '@tensorflow/tfjs-core';
import { synthFaceDataset } from '../../src/data/index.js';
import { buildDcganDiscriminator, buildDcganGenerator } from '../../src/models/index.js';
import { Adam, ExponentialMovingAverage, Trainer, ganUpdates, modelVariables, shuffledBatches, type TrainerConfig } from '../../src/train/index.js';

export interface TinyDcganOptions {
  /** Faces in the dataset (default 8). */
  faces?: number;
  /** Batch size (default 4). */
  batchSize?: number;
  /** Adam learning rate and β1 for both players (default 1e-3, 0.9). */
  learningRate?: number;
  beta1?: number;
  /** Keep an EMA of G (half-life 10 steps; default true). */
  ema?: boolean;
  /** Overrides of the Trainer config. */
  config?: Partial<TrainerConfig>;
}

export function tinyDcganTrainer(options: TinyDcganOptions = {}): { trainer: Trainer; dispose: () => void } {
  const { faces: n = 8, batchSize = 4, learningRate = 1e-3, beta1 = 0.9, ema: withEma = true, config = {} } = options;
  const faces = synthFaceDataset({ n, size: 16, seed: 1 });
  const G = buildDcganGenerator({ imageSize: 16, filters: 4, latentDim: 8, seed: 1 });
  const D = buildDcganDiscriminator({ imageSize: 16, filters: 4, seed: 2 });
  let ema: ExponentialMovingAverage | undefined;
  if (withEma) {
    tf.tidy(() => {
      ema = new ExponentialMovingAverage(modelVariables(G), { halfLife: 10 });
    });
  }
  const optimizers = [new Adam({ learningRate, beta1 }), new Adam({ learningRate, beta1 })];
  const trainer = new Trainer({
    seed: 3,
    ...(ema ? { ema } : {}),
    data: shuffledBatches(faces.images, batchSize, 4),
    updates: ganUpdates({
      generator: (z) => G.apply(z, { training: true }) as tf.Tensor,
      discriminator: (x) => D.apply(x, { training: true }) as tf.Tensor,
      generatorVariables: modelVariables(G),
      discriminatorVariables: modelVariables(D),
      generatorOptimizer: optimizers[0],
      discriminatorOptimizer: optimizers[1],
      latentDim: 8,
    }),
    ...config,
  });
  const dispose = () => {
    trainer.dispose();
    optimizers.forEach((o) => o.dispose());
    tf.dispose([faces.images, ...(ema ? ema.averages : [])]);
    G.dispose();
    D.dispose();
  };
  return { trainer, dispose };
}
