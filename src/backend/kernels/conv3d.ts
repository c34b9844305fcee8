/**
 * `Conv3D` forward as im2col + the backend's BatchMatMul:
 * y[n, z, i, j, o] = Σ_{a,b,c,ci} x[n, z·sd + a·dd − pf, i·sh + b·dh − pt, j·sw + c·dw − pl, ci] · W[a, b, c, ci, o]
 * (TensorFlow `Conv3D`). Stock wasm Conv3D is a scalar loop (~0.4 GFLOP/s measured on a HoloGAN
 * layer); columns for a group of samples times the filter [K, O] is one plain matMul (XNNPACK),
 * ~20–40 GFLOP/s; on cpu the same columns go through gankit's packed JS GEMM (~5 GFLOP/s vs ~0.9).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './patch.js';
import { allocate, allocateUninitialized, f32, matMul2d, release, runOnCpu } from './backend_io.js';
import { chunkPlan, geometryFrom, im2col3d } from './im2col3d.js';

function conv3d(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }, backendName: string): tf.TensorInfo {
  const { inputs, backend } = args;
  const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dilations, dataFormat } = args.attrs as unknown as {
    strides: number | [number, number, number];
    pad: 'valid' | 'same';
    dilations: number | [number, number, number];
    dataFormat?: 'NDHWC' | 'NCDHW';
  };
  if (dataFormat === 'NCDHW') return runOnCpu('Conv3D', args) as tf.TensorInfo;
  const info = tf.backend_util.computeConv3DInfo(x.shape as [number, number, number, number, number], filter.shape as [number, number, number, number, number], strides, dilations ?? 1, pad);
  const g = geometryFrom(info);
  const { K, perSample, chunk } = chunkPlan(g);
  const O = info.outChannels;
  if (chunk >= g.N) {
    const col = allocateUninitialized(backend, [g.N * perSample, K]);
    im2col3d(f32(backend, x), f32(backend, col), g, 0, g.N);
    const y = matMul2d(backendName, backend, col, filter, g.N * perSample, K, O);
    release(backend, col);
    return { dataId: y.dataId, shape: info.outShape, dtype: 'float32' };
  }
  const out = allocate(backend, info.outShape);
  for (let n0 = 0; n0 < g.N; n0 += chunk) {
    const count = Math.min(chunk, g.N - n0);
    const rows = count * perSample;
    const col = allocateUninitialized(backend, [rows, K]);
    im2col3d(f32(backend, x), f32(backend, col), g, n0, count);
    const y = matMul2d(backendName, backend, col, filter, rows, K, O);
    f32(backend, out).set(f32(backend, { ...y, shape: [rows * O] }), n0 * perSample * O);
    release(backend, y);
    release(backend, col);
  }
  return out;
}

export const conv3dPatches: KernelPatch[] = ['cpu', 'wasm'].map((backendName) => ({
  kernelName: 'Conv3D',
  backends: [backendName],
  kernelFunc: (args) => conv3d(args as never, backendName),
  reason: 'stock Conv3D is a scalar loop (wasm ~0.4, cpu ~0.9 GFLOP/s); im2col + BatchMatMul',
}));
