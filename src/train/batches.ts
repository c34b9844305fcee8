/**
 * Stateless, resumable mini-batching over an in-memory dataset.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../util/random.js';
import type { BatchRequest } from './trainer.js';

/**
 * A data function for {@link Trainer}: epoch e uses the permutation drawn from `seed + e`, and step
 * s takes the (s mod batchesPerEpoch)-th slice of it (the last partial batch is dropped). Depends
 * only on (step, seed), so a resumed run sees the same batches. `x` is `[N, ...]`; the returned
 * tensor is a new `[batchSize, ...]` tensor (the trainer disposes it).
 */
export function shuffledBatches(x: tf.Tensor, batchSize: number, seed = 0): (request: BatchRequest) => tf.Tensor {
  const n = x.shape[0];
  if (!(Number.isInteger(batchSize) && batchSize > 0 && batchSize <= n)) {
    throw new Error(`shuffledBatches: 'batchSize' must be an integer in [1, ${n}] (the dataset size); got ${batchSize}`);
  }
  const perEpoch = Math.floor(n / batchSize);
  let cachedEpoch = -1;
  let perm: Int32Array = new Int32Array(0);
  return ({ step }) => {
    const epoch = Math.floor(step / perEpoch);
    if (epoch !== cachedEpoch) {
      perm = new Random(seed + epoch).permutation(n);
      cachedEpoch = epoch;
    }
    const k = step % perEpoch;
    return tf.tidy(() => tf.gather(x, tf.tensor1d(perm.subarray(k * batchSize, (k + 1) * batchSize), 'int32')));
  };
}
