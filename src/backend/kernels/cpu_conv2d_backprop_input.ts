/**
 * `Conv2DBackpropInput` (conv2dTranspose forward, conv2d's input gradient) on the cpu backend as
 * a packed JS GEMM + col2im: cols[M, K] = dy[M, O] · Wᵀ (W [kh·kw·C, O] read transposed by the
 * GEMM's packing), then every column row is added back onto the input pixels it covers — the
 * adjoint of im2col, dx[n, i·sh + a − pt, j·sw + b − pl, c] += cols[(n, i, j), (a, b, c)]
 * (TensorFlow `Conv2DBackpropInput`). Stock cpu: direct loops at ~0.6 GFLOP/s. NCHW: stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './patch.js';
import { allocate, f32, stockKernel } from './backend_io.js';
import { chunkPlan, col2im3d, geometry2d, type Conv2DAttrs } from './im2col3d.js';
import { sgemm } from './js_gemm.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

function conv2dBackpropInput(args: Args): tf.TensorInfo {
  const a = args.attrs as unknown as Omit<Conv2DAttrs, 'dilations'> & { inputShape: [number, number, number, number] };
  if (a.dataFormat === 'NCHW') return stockKernel('Conv2DBackpropInput', 'cpu')!.kernelFunc(args as never) as tf.TensorInfo;
  const { backend } = args;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const info = tf.backend_util.computeConv2DInfo(a.inputShape, filter.shape as [number, number, number, number], a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
  const g = geometry2d(info);
  const { K, perSample, chunk } = chunkPlan(g);
  const O = info.outChannels;
  const out = allocate(backend, a.inputShape);
  const cols = new Float32Array(Math.min(chunk, g.N) * perSample * K);
  const dyv = f32(backend, dy);
  const wv = f32(backend, filter);
  const dx = f32(backend, out);
  for (let n0 = 0; n0 < g.N; n0 += chunk) {
    const count = Math.min(chunk, g.N - n0);
    sgemm(count * perSample, K, O, dyv, wv, cols, { transB: true, aOffset: n0 * perSample * O });
    col2im3d(cols, dx, g, n0, count);
  }
  return out;
}

export const cpuConv2dBackpropInputPatch: KernelPatch = {
  kernelName: 'Conv2DBackpropInput',
  backends: ['cpu'],
  kernelFunc: conv2dBackpropInput as tf.KernelFunc,
  reason: 'stock cpu conv2dTranspose is a direct loop (~0.6 GFLOP/s); packed JS GEMM + col2im',
};
