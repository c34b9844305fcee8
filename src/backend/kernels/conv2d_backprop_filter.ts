/**
 * `Conv2DBackpropFilter` (the weight gradient of conv2d) as im2col + the backend's BatchMatMul.
 *
 * dW[a, b, c, o] = Σ_{n,i,j} x[n, i·sh + a − pt, j·sw + b − pl, c] · dy[n, i, j, o]
 * (TensorFlow `Conv2DBackpropFilter`, tensorflow/core/kernels/conv_grad_filter_ops.cc).
 * The patches are written transposed, colᵀ [kh·kw·C, N·Ho·Wo], straight into the backend's
 * memory, so dW = colᵀ · dy[N·Ho·Wo, O] is one plain matMul (XNNPACK on wasm) with no transpose;
 * groups of samples keep the columns within `im2colSettings.columnBudget` (shared with the 3-D kernel).
 * Stock wasm has no such kernel (no conv layer could train) and stock cpu runs at ~0.01 GFLOP/s.
 * NCHW falls back to the stock cpu kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './index.js';
import { reshaped, runOnCpu } from './backend_io.js';
import { backpropFilterGemm } from './conv3d_backprop_filter.js';
import { geometry2d } from './im2col3d.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function conv2DBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }, backendName: string): tf.TensorInfo {
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as Attrs;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  if (attrs.dataFormat === 'NCHW') return runOnCpu('Conv2DBackpropFilter', args) as tf.TensorInfo;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const dw = backpropFilterGemm(backendName, backend, x, dy, geometry2d(info), info.outChannels);
  return reshaped(dw, attrs.filterShape);
}

export const conv2DBackpropFilterPatches: KernelPatch[] = ['cpu', 'wasm'].map((backendName) => ({
  kernelName: 'Conv2DBackpropFilter',
  backends: [backendName],
  kernelFunc: (args) => conv2DBackpropFilter(args as never, backendName),
  reason: backendName === 'wasm' ? 'missing on wasm (no conv layer could train)' : 'stock cpu kernel runs at ~0.01 GFLOP/s',
}));
