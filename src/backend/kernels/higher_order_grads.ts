/**
 * Gradients of tfjs's *backward* kernels, so that gradient penalties (WGAN-GP, R1 — which
 * differentiate ∇ₓD) work through pooling, resizing and depthwise convolutions. Stock tfjs has
 * none ("gradient function not found for MaxPoolGrad / ResizeBilinearGrad /
 * ResizeNearestNeighborGrad / DepthwiseConv2dNativeBackpropInput / AvgPool3DGrad").
 *
 * Every backward kernel is linear in the upstream gradient dy, so its gradient with respect to dy
 * is the forward op (the adjoint of an adjoint): ∂⟨g, ResizeBilinearGrad(dy)⟩/∂dy =
 * resizeBilinear(g), ∂/∂dy of AvgPool3DGrad = avgPool3d(g), of MaxPoolGrad = g read at each
 * window's argmax. Index-selection inputs (the pooled input/output, the resized image's values)
 * get a zero gradient: they only choose positions (TensorFlow nn_grad.py `_MaxPoolGradGrad`,
 * `_AvgPoolGradGrad`; image_grad.py `_ResizeBilinearGradGrad` …). The depthwise backprops are
 * bilinear in (dy, filter) and (x, dy), like Conv2DBackpropInput's stock gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradientPatch } from './patch.js';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
const REASON = 'missing: needed for second-order gradients (gradient penalties) through this op';

const zerosOf = (t: tf.Tensor) => () => tf.zerosLike(t);

export const maxPoolGradGradient: GradientPatch = {
  kernelName: 'MaxPoolGrad',
  inputsToSave: ['dy', 'input', 'output'],
  gradFunc: (g, saved, attrs) => {
    const [dy, input, output] = saved;
    const { filterSize, strides, pad } = attrs as unknown as { filterSize: [number, number] | number; strides: [number, number] | number; pad: Pad };
    return {
      dy: () => {
        const { result, indexes } = tf.maxPoolWithArgmax(input as tf.Tensor4D, filterSize, strides, pad as 'same', true);
        result.dispose();
        const picked = tf.gather(tf.reshape(g as tf.Tensor, [-1]), tf.reshape(indexes, [-1]));
        return tf.reshape(picked, dy.shape);
      },
      input: zerosOf(input),
      output: zerosOf(output),
    };
  },
  reason: REASON,
};

export const avgPool3DGradGradient: GradientPatch = {
  kernelName: 'AvgPool3DGrad',
  inputsToSave: ['dy', 'input'],
  gradFunc: (g, saved, attrs) => {
    const [, input] = saved;
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
      filterSize: [number, number, number] | number;
      strides: [number, number, number] | number;
      pad: 'valid' | 'same' | number;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    return { dy: () => tf.avgPool3d(g as tf.Tensor5D, filterSize, strides, pad, dimRoundingMode), input: zerosOf(input) };
  },
  reason: REASON,
};

function resizeGradGradient(kernelName: 'ResizeBilinearGrad' | 'ResizeNearestNeighborGrad'): GradientPatch {
  return {
    kernelName,
    inputsToSave: ['images', 'dy'],
    gradFunc: (g, saved, attrs) => {
      const [images, dy] = saved;
      const { alignCorners, halfPixelCenters } = attrs as unknown as { alignCorners: boolean; halfPixelCenters: boolean };
      const size: [number, number] = [dy.shape[1]!, dy.shape[2]!];
      const resize = kernelName === 'ResizeBilinearGrad' ? tf.image.resizeBilinear : tf.image.resizeNearestNeighbor;
      return { dy: () => resize(g as tf.Tensor4D, size, alignCorners, halfPixelCenters), images: zerosOf(images) };
    },
    reason: REASON,
  };
}

interface DepthwiseAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function depthwiseBackpropInput(dy: tf.Tensor, filter: tf.Tensor, inputShape: number[], a: DepthwiseAttrs): tf.Tensor {
  return tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter }, {
    strides: a.strides,
    pad: a.pad,
    dilations: a.dilations,
    dimRoundingMode: a.dimRoundingMode,
    inputShape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

function depthwiseBackpropFilter(x: tf.Tensor, dy: tf.Tensor, filterShape: number[], a: DepthwiseAttrs): tf.Tensor {
  return tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, {
    strides: a.strides,
    pad: a.pad,
    dilations: a.dilations,
    dimRoundingMode: a.dimRoundingMode,
    filterShape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

export const depthwiseBackpropInputGradient: GradientPatch = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  inputsToSave: ['dy', 'filter'],
  gradFunc: (g, saved, attrs) => {
    const [dy, filter] = saved;
    const a = attrs as unknown as DepthwiseAttrs;
    const gx = g as tf.Tensor4D;
    return {
      dy: () => tf.depthwiseConv2d(gx, filter as tf.Tensor4D, a.strides, a.pad as 'same', 'NHWC', a.dilations, a.dimRoundingMode),
      filter: () => depthwiseBackpropFilter(gx, dy, filter.shape, a),
    };
  },
  reason: REASON,
};

export const depthwiseBackpropFilterGradient: GradientPatch = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  inputsToSave: ['x', 'dy'],
  gradFunc: (g, saved, attrs) => {
    const [x, dy] = saved;
    const a = attrs as unknown as DepthwiseAttrs;
    const gw = g as tf.Tensor4D;
    return {
      x: () => depthwiseBackpropInput(dy, gw, x.shape, a),
      dy: () => tf.depthwiseConv2d(x as tf.Tensor4D, gw, a.strides, a.pad as 'same', 'NHWC', a.dilations, a.dimRoundingMode),
    };
  },
  reason: REASON,
};

export const higherOrderGradients: GradientPatch[] = [
  maxPoolGradGradient,
  avgPool3DGradGradient,
  resizeGradGradient('ResizeBilinearGrad'),
  resizeGradGradient('ResizeNearestNeighborGrad'),
  depthwiseBackpropInputGradient,
  depthwiseBackpropFilterGradient,
];
