/**
 * `Conv2DBackpropFilter` (the weight gradient of conv2d) as im2col + the backend's BatchMatMul.
 *
 * dW[a, b, c, o] = Σ_{n,i,j} x[n, i·sh + a − pt, j·sw + b − pl, c] · dy[n, i, j, o]
 * (TensorFlow `Conv2DBackpropFilter`, tensorflow/core/kernels/conv_grad_filter_ops.cc).
 * The patches are written transposed, colᵀ [kh·kw·C, N·Ho·Wo], straight into the backend's
 * memory, so dW = colᵀ · dy[N·Ho·Wo, O] is one plain matMul (XNNPACK on wasm) with no transpose;
 * groups of samples keep the columns within `im2colSettings.columnBudget` (shared with the 3-D kernel).
 * With fewer than 16 output channels on wasm it is one XNNPACK convolution instead (see
 * `filterGradAsConv`). Stock wasm has no such kernel (no conv layer could train) and stock cpu
 * runs at ~0.01 GFLOP/s. NCHW falls back to the stock cpu kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './patch.js';
import { callKernel, release, reshaped, runOnCpu } from './backend_io.js';
import { backpropFilterGemm } from './conv3d_backprop_filter.js';
import { geometry2d, type Conv2DAttrs } from './im2col3d.js';

type Attrs = Omit<Conv2DAttrs, 'dilations'> & { filterShape: [number, number, number, number] };

function conv2DBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }, backendName: string): tf.TensorInfo {
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as Attrs;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  if (attrs.dataFormat === 'NCHW') return runOnCpu('Conv2DBackpropFilter', args) as tf.TensorInfo;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  if (backendName === 'wasm' && info.outChannels < SMALL_FILTER_OUTPUTS) {
    const viaConv = filterGradAsConv(backend, x, dy, info);
    if (viaConv != null) return viaConv;
  }
  const dw = backpropFilterGemm(backendName, backend, x, dy, geometry2d(info), info.outChannels);
  return reshaped(dw, attrs.filterShape);
}

/** Below this many output channels the weight gradient runs as one XNNPACK convolution (wasm). */
export const SMALL_FILTER_OUTPUTS = 16;

/**
 * dW as a convolution, for few output channels (e.g. 7×7 image heads with O = 1 or 3, where the
 * im2col columns are K·M floats for a K·M·O-FLOP product and the matMul is a memory-bound GEMV):
 * dW[a, b, c, o] = Σ_{i,j,n} xᵀ[c, a + i·sh − pt, b + j·sw − pl, n] · dyᵀ[i, j, n, o] is conv2d
 * of xᵀ = x transposed to [C, H, W, N] with the filter dyᵀ [Ho, Wo, N, O], dilation (sh, sw),
 * stride 1, padding (pt, pb′) chosen so the output is [C, kh, kw, O]; then transposed to
 * [kh, kw, C, O]. XNNPACK reads the patches through its indirection buffer instead of materialising
 * them: ~5× faster than im2col + matMul for a [4, 64, 64, 64] → O = 1 head. Returns undefined when
 * the required bottom/right padding is negative ('valid' with leftover rows), left to im2col.
 */
function filterGradAsConv(backend: tf.KernelBackend, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo | undefined {
  const { inHeight: H, inWidth: W, outHeight: Ho, outWidth: Wo, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const pb = kh + sh * (Ho - 1) - H - pt;
  const pr = kw + sw * (Wo - 1) - W - pl;
  if (pb < 0 || pr < 0) return undefined;
  const xt = callKernel('Transpose', 'wasm', backend, { x }, { perm: [3, 1, 2, 0] });
  const dyt = callKernel('Transpose', 'wasm', backend, { x: dy }, { perm: [1, 2, 0, 3] });
  const pad: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [pt, pb],
    [pl, pr],
    [0, 0],
  ];
  const y = callKernel('Conv2D', 'wasm', backend, { x: xt, filter: dyt }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [sh, sw], dimRoundingMode: undefined });
  release(backend, xt);
  release(backend, dyt);
  const out = callKernel('Transpose', 'wasm', backend, { x: y }, { perm: [1, 2, 0, 3] });
  release(backend, y);
  return out;
}

export const conv2DBackpropFilterPatches: KernelPatch[] = ['cpu', 'wasm'].map((backendName) => ({
  kernelName: 'Conv2DBackpropFilter',
  backends: [backendName],
  kernelFunc: (args) => conv2DBackpropFilter(args as never, backendName),
  reason: backendName === 'wasm' ? 'missing on wasm (no conv layer could train)' : 'stock cpu kernel runs at ~0.01 GFLOP/s',
}));
