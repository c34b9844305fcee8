/**
 * Gradient of `Conv2D` that also handles dilation > 1 (stock tfjs throws "dilation rates greater
 * than 1 are not yet supported in gradients").
 *
 * A conv with dilation d equals a plain conv with the dilated filter W_d (zeros between taps,
 * size (k−1)·d + 1), and tfjs pads 'same' with that same effective size. So for d > 1:
 * ∂x = conv2dᵀ(g, W_d), ∂W = (Conv2DBackpropFilter(x, g) for W_d)[::d, ::d]
 * (TensorFlow differentiates dilated convs the same way: conv_grad_ops via the effective filter).
 * Dilation 1 keeps the stock formulas.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradientPatch } from './patch.js';
import type { Conv2DAttrs } from './im2col3d.js';

/** The filter with zeros between taps: [(kh−1)·dh+1, (kw−1)·dw+1, C, O]. Differentiable. */
export function dilateFilter(w: tf.Tensor4D, dh: number, dw: number): tf.Tensor4D {
  const [kh, kw, c, o] = w.shape;
  const spread = tf.pad(tf.reshape(w, [kh, 1, kw, 1, c, o]), [
    [0, 0],
    [0, dh - 1],
    [0, 0],
    [0, dw - 1],
    [0, 0],
    [0, 0],
  ]);
  return tf.slice(tf.reshape(spread, [kh * dh, kw * dw, c, o]) as tf.Tensor4D, [0, 0, 0, 0], [(kh - 1) * dh + 1, (kw - 1) * dw + 1, c, o]);
}

export const conv2dGradient: GradientPatch = {
  kernelName: 'Conv2D',
  inputsToSave: ['x', 'filter'],
  gradFunc: (g, saved, attrs) => {
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const a = attrs as unknown as Conv2DAttrs;
    const [dh, dw] = typeof a.dilations === 'number' ? [a.dilations, a.dilations] : (a.dilations ?? [1, 1]);
    const dy = g as tf.Tensor4D;
    const backpropFilter = (filterShape: number[]): tf.Tensor4D =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
        strides: a.strides,
        pad: a.pad,
        dataFormat: a.dataFormat,
        dimRoundingMode: a.dimRoundingMode,
        filterShape,
      } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
    const backpropInput = (w: tf.Tensor4D): tf.Tensor4D =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, {
        strides: a.strides,
        pad: a.pad,
        dataFormat: a.dataFormat,
        dimRoundingMode: a.dimRoundingMode,
        inputShape: x.shape,
      } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
    if (dh === 1 && dw === 1) return { x: () => backpropInput(filter), filter: () => backpropFilter(filter.shape) };
    const [kh, kw, c, o] = filter.shape;
    return {
      x: () => backpropInput(dilateFilter(filter, dh, dw)),
      filter: () => {
        const full = backpropFilter([(kh - 1) * dh + 1, (kw - 1) * dw + 1, c, o]);
        return tf.stridedSlice(full, [0, 0, 0, 0], full.shape, [dh, dw, 1, 1]);
      },
    };
  },
  reason: 'stock gradient throws for dilation > 1',
};
