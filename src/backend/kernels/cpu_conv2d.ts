/**
 * `Conv2D` and `FusedConv2D` on the cpu backend as im2col + gankit's packed JS GEMM:
 * y[n, i, j, o] = Σ_{a,b,c} x[n, i·sh + a·dh − pt, j·sw + b·dw − pl, c] · W[a, b, c, o]
 * (TensorFlow `Conv2D`), then the fused bias/activation epilogue. Stock tfjs-backend-cpu convolves
 * with direct loops at ~0.4 GFLOP/s. Columns are built per group of samples (≤ 64 MB).
 * NCHW falls back to the stock kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './patch.js';
import { allocate, f32, stockKernel } from './backend_io.js';
import { cpuEpilogue } from './cpu_epilogue.js';
import { chunkPlan, geometry2d, im2col3d, type Conv2DAttrs } from './im2col3d.js';

export { geometry2d };
import { sgemm } from './js_gemm.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

function conv2dGemm(backend: tf.KernelBackend, x: tf.TensorInfo, filter: tf.TensorInfo, a: Conv2DAttrs): tf.TensorInfo {
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  const g = geometry2d(info);
  const { K, perSample, chunk } = chunkPlan(g);
  const O = info.outChannels;
  const out = allocate(backend, info.outShape);
  const col = new Float32Array(Math.min(chunk, g.N) * perSample * K);
  const xv = f32(backend, x);
  const wv = f32(backend, filter);
  const yv = f32(backend, out);
  for (let n0 = 0; n0 < g.N; n0 += chunk) {
    const count = Math.min(chunk, g.N - n0);
    im2col3d(xv, col, g, n0, count);
    sgemm(count * perSample, O, K, col, wv, yv, { cOffset: n0 * perSample * O });
  }
  return out;
}

function conv2d(args: Args): tf.TensorInfo {
  const a = args.attrs as unknown as Conv2DAttrs;
  if (a.dataFormat === 'NCHW') return stockKernel('Conv2D', 'cpu')!.kernelFunc(args as never) as tf.TensorInfo;
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  return conv2dGemm(args.backend, x, filter, a);
}

function fusedConv2d(args: Args): tf.TensorInfo {
  const a = args.attrs as unknown as Conv2DAttrs & { activation?: string; leakyreluAlpha?: number };
  if (a.dataFormat === 'NCHW') return stockKernel('FusedConv2D', 'cpu')!.kernelFunc(args as never) as tf.TensorInfo;
  const { x, filter, bias, preluActivationWeights } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo; preluActivationWeights?: tf.TensorInfo };
  const y = conv2dGemm(args.backend, x, filter, a);
  return cpuEpilogue(args.backend, y, bias, a.activation, preluActivationWeights, a.leakyreluAlpha);
}

export const cpuConv2dPatch: KernelPatch = {
  kernelName: 'Conv2D',
  backends: ['cpu'],
  kernelFunc: conv2d as tf.KernelFunc,
  reason: 'stock cpu conv2d is a direct loop (~0.4 GFLOP/s); im2col + packed JS GEMM',
};

export const cpuFusedConv2dPatch: KernelPatch = {
  kernelName: 'FusedConv2D',
  backends: ['cpu'],
  kernelFunc: fusedConv2d as tf.KernelFunc,
  reason: 'conv layers on cpu: im2col + packed JS GEMM + the stock bias/activation kernels',
};
