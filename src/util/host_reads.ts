import * as tf from '@tensorflow/tfjs-core';

const READS = ['dataSync', 'arraySync', 'data', 'array', 'bufferSync', 'buffer'] as const;

/**
 * Count the host reads (`dataSync`, `arraySync`, `data`, `array`, `bufferSync`, `buffer` on any
 * tensor) that synchronous code makes while `f` runs — each one is a device→host sync on GPU
 * backends. Use it to check that a training step stays asynchronous; gankit's `Trainer` reads the
 * host once per update with `readMetricsEvery: 1` (the loss, its terms and the finiteness check,
 * stacked) and once per K steps with `readMetricsEvery: K` (the default on GPU backends).
 * Not re-entrant; the tensor methods are restored when `f` returns or throws.
 */
export function countHostReads(f: () => void): number {
  const proto = tf.Tensor.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const saved = READS.map((name) => proto[name]);
  let count = 0;
  let depth = 0; // arraySync and bufferSync call dataSync: count the outermost call only
  READS.forEach((name, i) => {
    proto[name] = function (this: unknown, ...args: unknown[]) {
      if (depth === 0) count++;
      depth++;
      try {
        return saved[i].apply(this, args);
      } finally {
        depth--;
      }
    };
  });
  try {
    f();
  } finally {
    READS.forEach((name, i) => (proto[name] = saved[i]));
  }
  return count;
}
