/**
 * Gradients of `Exp`, `Sigmoid`, `Tanh`, `Elu` and `Softmax` rewritten in terms of
 * the op's *input*, so that they are correct to second order.
 *
 * Stock tfjs saves these ops' outputs for the backward pass (`outputsToSave`). The saved output is
 * a clone whose tape node is recorded *before* the op's own node, so when the gradient graph is
 * differentiated again the path through the saved output is treated as unreachable from x: a
 * second-order gradient either throws ("Cannot compute gradient of y=f(x) with respect to x") or —
 * when another path exists, as in a gradient penalty — silently drops the terms through the
 * output (measured: d²/dx² Σ elu(x) came out wrong). Recomputing the activation from x costs one
 * extra element-wise op in the backward pass and makes the second derivative exact.
 *
 * Formulas: exp′ = eˣ; σ′ = σ(1−σ); tanh′ = 1−tanh²; elu′ = 1 (x>0), eˣ (x≤0);
 * softmax: ∂ = y⊙(g − Σ g⊙y) (TensorFlow nn_grad.py / math_grad.py).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradientPatch } from './patch.js';

const REASON = 'wrong to second order: stock gradient uses the saved output, which is disconnected from x on the tape';

export const outputSavingGradients: GradientPatch[] = [
  {
    kernelName: 'Exp',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.exp(tf.cast(saved[0], 'float32'))) }),
    reason: REASON,
  },
  {
    kernelName: 'Sigmoid',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({
      x: () => {
        const s = tf.sigmoid(saved[0]);
        return tf.mul(dy as tf.Tensor, tf.mul(s, tf.sub(1, s)));
      },
    }),
    reason: REASON,
  },
  {
    kernelName: 'Tanh',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(tf.tanh(saved[0])))) }),
    reason: REASON,
  },
  {
    kernelName: 'Elu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      return { x: () => tf.where(tf.greater(x, 0), dy as tf.Tensor, tf.mul(dy as tf.Tensor, tf.exp(tf.minimum(x, 0)))) };
    },
    reason: REASON,
  },
  {
    kernelName: 'Softmax',
    inputsToSave: ['logits'],
    gradFunc: (dy, saved, attrs) => {
      const { dim } = attrs as unknown as { dim: number };
      return {
        logits: () => {
          const y = tf.softmax(saved[0], dim);
          const gy = tf.mul(dy as tf.Tensor, y);
          return tf.sub(gy, tf.mul(tf.sum(gy, [dim], true), y));
        },
      };
    },
    reason: REASON,
  },
];
