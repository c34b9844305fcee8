import * as tf from '@tensorflow/tfjs-core';

/**
 * The largest `tf.addN` that every WebGPU device runs: tfjs-backend-webgpu 4.22 binds each input
 * and the output as a storage buffer, and a device created with default limits allows 8 per shader
 * stage, so `addN` of 8 or more tensors fails validation ("The number of storage buffers (9) …
 * exceeds the maximum per-stage limit (8)") and the command buffer it is in computes nothing.
 */
export const MAX_ADDN_INPUTS = 7;

/**
 * Σ tensors, as `tf.addN` in groups of at most {@link MAX_ADDN_INPUTS} (then the partial sums the
 * same way), so that it runs on every backend. For ≤ 7 tensors it is exactly `tf.addN`.
 */
export function addAll(tensors: tf.Tensor[]): tf.Tensor {
  if (tensors.length === 0) throw new Error('addAll: needs at least one tensor; got none');
  return tf.tidy(() => {
    let level = tensors;
    while (level.length > 1) {
      const next: tf.Tensor[] = [];
      for (let i = 0; i < level.length; i += MAX_ADDN_INPUTS) {
        const group = level.slice(i, i + MAX_ADDN_INPUTS);
        next.push(group.length === 1 ? group[0] : tf.addN(group));
      }
      level = next;
    }
    return level === tensors ? tf.clone(level[0]) : level[0];
  });
}
