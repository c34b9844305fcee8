import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { Random } from '../../src/util/random.js';

/** Seeded normals, built on the host: the same numbers on every backend. */
export function normal(shape: number[], seed: number, std = 1): tf.Tensor {
  return tf.tensor(
    new Random(seed).normalArray(
      shape.reduce((a, b) => a * b, 1),
      0,
      std,
    ),
    shape,
  );
}

/** Seeded uniforms in [low, high). */
export function uniform(shape: number[], seed: number, low = -1, high = 1): tf.Tensor {
  const r = new Random(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => low + (high - low) * r.next()),
    shape,
  );
}

/** A seeded one-hot [n, classes]. */
export function oneHot(n: number, classes: number, seed: number): tf.Tensor2D {
  const r = new Random(seed);
  return tf.cast(
    tf.oneHot(
      tf.tensor1d(
        Array.from({ length: n }, () => Math.floor(r.next() * classes)),
        'int32',
      ),
      classes,
    ),
    'float32',
  ) as tf.Tensor2D;
}

/**
 * Overwrite every weight of rank ≥ 2 with seeded normals of std 1/√fan-in (fan-in = the product of
 * all but the last axis), so a model's weights are the same on every backend whatever its
 * initialisers do. Rank-0/1 weights (biases, γ, β, moving statistics, flags) keep their
 * deterministic initial values.
 */
export function seedWeights(model: tfl.LayersModel | tfl.layers.Layer, seed: number): void {
  model.weights.forEach((w, i) => {
    const shape = w.shape as number[];
    if (shape.length < 2) return;
    const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    w.write(normal(shape, seed * 1000 + i, 1 / Math.sqrt(fanIn)));
  });
}

/** Σ out·w for a fixed seeded w per output: a scalar whose gradient is w pushed back through the op. */
export function probe(outputs: tf.Tensor | tf.Tensor[], seed: number): tf.Scalar {
  const list = Array.isArray(outputs) ? outputs : [outputs];
  return tf.addN(list.map((o, i) => tf.sum(tf.mul(tf.cast(o, 'float32'), normal([...o.shape], seed + 17 * i))))) as tf.Scalar;
}

/** Forward outputs, gradient of the probe w.r.t. the inputs, and w.r.t. the trainable weights. */
export function forwardAndGradients(f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[], inputs: tf.Tensor[], weights: tf.Variable[], seed: number): Record<string, tf.Tensor | tf.Tensor[]> {
  const value = f(...inputs);
  const grads = weights.length ? tf.variableGrads(() => probe(f(...inputs), seed), weights).grads : {};
  const inputGrads = inputs.length ? tf.grads((...xs: tf.Tensor[]) => probe(f(...xs), seed))(inputs) : [];
  return { forward: value, inputGradients: inputGrads, weightGradients: weights.map((w) => grads[w.name]) };
}
