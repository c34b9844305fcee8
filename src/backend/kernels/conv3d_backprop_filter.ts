/**
 * `Conv3DBackpropFilterV2` (conv3d's weight gradient) as transposed im2col + BatchMatMul:
 * dW[a, b, c, ci, o] = Σ_{n,z,i,j} x[n, z·sd + a − pf, i·sh + b − pt, j·sw + c − pl, ci] · dy[n, z, i, j, o]
 * (TensorFlow `Conv3DBackpropFilterV2`). dW = Σ_chunks colᵀ[K, M] · dy[M, O], a plain matMul per
 * group of samples. Stock wasm is *wrong* at stride 2 (docs/tfjs-facts.md); stock cpu is correct but a
 * scalar loop (~0.4 GFLOP/s vs ~5 with gankit's cpu GEMM).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './patch.js';
import { allocateUninitialized, f32, matMul2d, release, rowChunk } from './backend_io.js';
import { chunkPlan, geometryFrom, im2col3dTransposed, type Geometry3D } from './im2col3d.js';

function conv3dBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }, backendName: string): tf.TensorInfo {
  const { inputs, backend } = args;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, filterShape } = args.attrs as unknown as {
    strides: number | [number, number, number];
    pad: 'valid' | 'same';
    filterShape: [number, number, number, number, number];
  };
  const info = tf.backend_util.computeConv3DInfo(x.shape as [number, number, number, number, number], filterShape, strides, 1, pad);
  const dw = backpropFilterGemm(backendName, backend, x, dy, geometryFrom(info), info.outChannels);
  return { dataId: dw.dataId, shape: filterShape, dtype: 'float32' };
}

/**
 * dW [K, O] = Σ over groups of samples of colᵀ[K, M] · dy[M, O] for a conv of geometry `g` (K =
 * kd·kh·kw·C); column buffers stay within `im2colSettings.columnBudget`. Shared with the 2-D kernel.
 */
export function backpropFilterGemm(backendName: string, backend: tf.KernelBackend, x: tf.TensorInfo, dy: tf.TensorInfo, g: Geometry3D, O: number): tf.TensorInfo {
  const { K, perSample, chunk } = chunkPlan(g);
  let total: tf.TensorInfo | undefined;
  for (let n0 = 0; n0 < g.N; n0 += chunk) {
    const count = Math.min(chunk, g.N - n0);
    const M = count * perSample;
    const col = allocateUninitialized(backend, [K, M]);
    const dyChunk = rowChunk(backend, dy, n0 * perSample, M, g.N * perSample, O);
    im2col3dTransposed(f32(backend, x), f32(backend, col), g, n0, count);
    const part = matMul2d(backendName, backend, col, dyChunk, K, M, O);
    release(backend, col);
    if (dyChunk !== dy) release(backend, dyChunk);
    if (total == null) total = part;
    else {
      const acc = f32(backend, { ...total, shape: [K * O] });
      const add = f32(backend, { ...part, shape: [K * O] });
      for (let i = 0; i < acc.length; i++) acc[i] += add[i];
      release(backend, part);
    }
  }
  return total!;
}

export const conv3dBackpropFilterPatches: KernelPatch[] = ['cpu', 'wasm'].map((backendName) => ({
  kernelName: 'Conv3DBackpropFilterV2',
  backends: [backendName],
  kernelFunc: (args) => conv3dBackpropFilter(args as never, backendName),
  reason: backendName === 'wasm' ? 'stock wasm is wrong at stride 2 (and ~0.6 GFLOP/s); im2col + BatchMatMul' : 'stock cpu ~0.4 GFLOP/s; im2col + BatchMatMul',
}));
