/**
 * Gradient of `MirrorPad` that folds the mirrored borders back onto the elements they copy.
 *
 * Stock tfjs slices the centre out of dy and drops the mirrored contributions, so the gradient of
 * `tf.mirrorPad` (reflect and symmetric) was silently wrong on every backend (docs/tfjs-facts.md).
 * For each padded axis with n elements and paddings (b, a): padded position p < b copies
 * x[b − p − 1 + o], position b + n + q copies x[n − 1 − o − q], where o = 1 for 'reflect' and 0 for
 * 'symmetric' (TensorFlow `MirrorPadGrad`, tensorflow/core/kernels/image/mirror_pad_op.h). The fold
 * is written with slice/reverse/pad/add, so it is itself differentiable (second order).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradientPatch } from './patch.js';

function sliceAxis(t: tf.Tensor, axis: number, begin: number, size: number): tf.Tensor {
  const b = t.shape.map((_, i) => (i === axis ? begin : 0));
  const s = t.shape.map((d, i) => (i === axis ? size : d));
  return tf.slice(t, b, s);
}

function padAxis(t: tf.Tensor, axis: number, before: number, after: number): tf.Tensor {
  return tf.pad(t, t.shape.map((_, i) => (i === axis ? [before, after] : [0, 0])) as [number, number][]);
}

/** Fold dy of a mirror-padded tensor back onto x's shape. */
export function mirrorPadAdjoint(dy: tf.Tensor, paddings: [number, number][], mode: 'reflect' | 'symmetric'): tf.Tensor {
  const o = mode === 'reflect' ? 1 : 0;
  let g = dy;
  paddings.forEach(([before, after], axis) => {
    if (before === 0 && after === 0) return;
    const n = g.shape[axis] - before - after;
    let core = sliceAxis(g, axis, before, n);
    if (before > 0) core = tf.add(core, padAxis(tf.reverse(sliceAxis(g, axis, 0, before), axis), axis, o, n - before - o));
    if (after > 0) core = tf.add(core, padAxis(tf.reverse(sliceAxis(g, axis, before + n, after), axis), axis, n - after - o, o));
    g = core;
  });
  return g;
}

export const mirrorPadGradient: GradientPatch = {
  kernelName: 'MirrorPad',
  inputsToSave: ['x'],
  gradFunc: (dy, _saved, attrs) => {
    const { paddings, mode } = attrs as unknown as { paddings: [number, number][]; mode: 'reflect' | 'symmetric' };
    return { x: () => mirrorPadAdjoint(dy as tf.Tensor, paddings, mode) };
  },
  reason: 'wrong on every backend: the stock gradient drops the mirrored contributions',
};
