/**
 * `Conv3DBackpropInputV2` — conv3d's input gradient and `tf.conv3dTranspose`'s forward — as
 * BatchMatMul + col2im: cols[M, K] = dy[M, O] · Wᵀ[O, K] (W [kd, kh, kw, C, O] flattened to
 * [K, O] and transposed once, in JS), then each column row is added back onto the input voxels it
 * came from: dx[n, z·sd + a − pf, …, ci] += cols[m, k] (the adjoint of im2col; TensorFlow
 * `Conv3DBackpropInputV2`). Stock wasm is *wrong* (210/288 elements, docs/tfjs-facts.md) and a scalar
 * loop (~0.85 GFLOP/s on a HoloGAN layer); stock cpu is correct but ~1.5 GFLOP/s (~4 with gankit's
 * cpu GEMM).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './patch.js';
import { allocate, allocateUninitialized, f32, matMul2d, release, rowChunk } from './backend_io.js';
import { chunkPlan, col2im3d, geometryFrom, type Geometry3D } from './im2col3d.js';

/**
 * dx (zero-initialised, shape `inputShape`) = col2im(dy · Wᵀ) for a conv of geometry `g` whose
 * filter is [.., C, O] flattened to [K, O]; shared with the 2-D kernel (depth 1).
 */
export function backpropInputGemm(backendName: string, backend: tf.KernelBackend, dy: tf.TensorInfo, filter: tf.TensorInfo, g: Geometry3D, O: number, inputShape: number[]): tf.TensorInfo {
  const { K, perSample, chunk } = chunkPlan(g);
  const out = allocate(backend, inputShape);
  const wt = allocateUninitialized(backend, [O, K]);
  {
    const w = f32(backend, filter);
    const t = f32(backend, wt);
    for (let k0 = 0; k0 < K; k0 += 32) {
      const k1 = Math.min(K, k0 + 32);
      for (let o = 0; o < O; o++) for (let k = k0; k < k1; k++) t[o * K + k] = w[k * O + o];
    }
  }
  for (let n0 = 0; n0 < g.N; n0 += chunk) {
    const count = Math.min(chunk, g.N - n0);
    const M = count * perSample;
    const dyChunk = rowChunk(backend, dy, n0 * perSample, M, g.N * perSample, O);
    const cols = matMul2d(backendName, backend, dyChunk, wt, M, O, K);
    if (dyChunk !== dy) release(backend, dyChunk);
    col2im3d(f32(backend, { ...cols, shape: [M * K] }), f32(backend, out), g, n0, count);
    release(backend, cols);
  }
  release(backend, wt);
  return out;
}

function conv3dBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }, backendName: string): tf.TensorInfo {
  const { inputs, backend } = args;
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, inputShape } = args.attrs as unknown as {
    strides: number | [number, number, number];
    pad: 'valid' | 'same';
    inputShape: [number, number, number, number, number];
  };
  const info = tf.backend_util.computeConv3DInfo(inputShape, filter.shape as [number, number, number, number, number], strides, 1, pad);
  return backpropInputGemm(backendName, backend, dy, filter, geometryFrom(info), info.outChannels, inputShape);
}

export const conv3dBackpropInputPatches: KernelPatch[] = ['cpu', 'wasm'].map((backendName) => ({
  kernelName: 'Conv3DBackpropInputV2',
  backends: [backendName],
  kernelFunc: (args) => conv3dBackpropInput(args as never, backendName),
  reason: backendName === 'wasm' ? 'stock wasm is wrong (and ~0.85 GFLOP/s); BatchMatMul + col2im' : 'stock cpu is a scalar loop; BatchMatMul + col2im',
}));
