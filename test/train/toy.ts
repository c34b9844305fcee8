/**
 * Tiny seeded GAN pieces for the trainer tests: dense G and D over explicit variables, and a
 * Gaussian "dataset" whose mean the generator must learn.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../../src/util/random.js';
import { Adam, Trainer, type TrainerConfig } from '../../src/train/index.js';

export const DATA_MEAN = [1.5, -1, 0.5, 2];
export const DATA_STD = 0.3;
export const Z_DIM = 3;

export interface ToyGan {
  G: (z: tf.Tensor) => tf.Tensor;
  D: (x: tf.Tensor) => tf.Tensor;
  gVars: tf.Variable[];
  dVars: tf.Variable[];
  dispose(): void;
}

export function toyGan(seed: number, hidden = 16): ToyGan {
  const rng = new Random(seed);
  const dim = DATA_MEAN.length;
  const w = (i: number, o: number, s: number) => tf.variable(tf.tensor(rng.normalArray(i * o, 0, s), [i, o]));
  const b = (o: number) => tf.variable(tf.zeros([o]));
  const g = [w(Z_DIM, hidden, 0.5), b(hidden), w(hidden, dim, 0.3), b(dim)];
  const d = [w(dim, hidden, 0.5), b(hidden), w(hidden, 1, 0.3), b(1)];
  const G = (z: tf.Tensor) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(z, g[0]), g[1])), g[2]), g[3]);
  const D = (x: tf.Tensor) => tf.add(tf.matMul(tf.leakyRelu(tf.add(tf.matMul(x, d[0]), d[1]), 0.2), d[2]), d[3]);
  return { G, D, gVars: g, dVars: d, dispose: () => tf.dispose([...g, ...d]) };
}

/** A batch of real data drawn from the trainer's RNG. */
export function gaussianData(batchSize: number) {
  return ({ rng }: { rng: Random }) => {
    const n = batchSize * DATA_MEAN.length;
    const v = rng.normalArray(n, 0, DATA_STD);
    for (let i = 0; i < n; i++) v[i] += DATA_MEAN[i % DATA_MEAN.length];
    return tf.tensor(v, [batchSize, DATA_MEAN.length]);
  };
}

/** Euclidean distance between the mean of G's samples (from fixed noise) and the data mean. */
export function meanDistance(G: (z: tf.Tensor) => tf.Tensor, seed = 99, n = 256): number {
  return tf.tidy(() => {
    const z = tf.tensor(new Random(seed).normalArray(n * Z_DIM), [n, Z_DIM]);
    const m = tf.mean(G(z), 0).dataSync();
    return Math.sqrt(DATA_MEAN.reduce((s, mu, i) => s + (m[i] - mu) ** 2, 0));
  });
}

/**
 * A trainer with one critic update whose loss gains a non-finite term `name` at step `atStep`
 * (`value()` builds it, e.g. 1/0 or log(−1)) — the setup of the NaN/Inf-guard tests.
 */
export function trainerWithNonFiniteLoss(gan: ToyGan, atStep: number, name: string, value: () => tf.Scalar, config: Partial<TrainerConfig> = {}): Trainer {
  return new Trainer({
    ...config,
    data: gaussianData(4),
    updates: [
      {
        name: 'D',
        variables: gan.dVars,
        optimizer: new Adam({ learningRate: 0.01 }),
        loss: (ctx) => {
          const adv = tf.mean(gan.D(ctx.batch as tf.Tensor)) as tf.Scalar;
          const extra = ctx.step === atStep ? value() : tf.scalar(0);
          return { total: tf.add(adv, extra) as tf.Scalar, terms: { adv, [name]: extra } };
        },
      },
    ],
  });
}
