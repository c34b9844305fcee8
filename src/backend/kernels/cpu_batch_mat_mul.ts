/**
 * `BatchMatMul` and `_FusedMatMul` on the cpu backend with gankit's packed JS GEMM
 * ({@link sgemm}): out[b] = op(A[b]) · op(B[b]) (+ bias, activation for the fused kernel), batch
 * dims broadcast when one side has a single matrix. tfjs-backend-cpu's matMul runs at
 * ~0.4–0.7 GFLOP/s; every dense layer and gankit's im2col convolutions on cpu go through here.
 * Other batch broadcasts fall back to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './patch.js';
import { allocate, f32, stockKernel } from './backend_io.js';
import { cpuEpilogue } from './cpu_epilogue.js';
import { sgemm } from './js_gemm.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

/** The product, or undefined when the batch broadcast is not the simple one handled here. */
function gemmBatch(backend: tf.KernelBackend, a: tf.TensorInfo, b: tf.TensorInfo, transA: boolean, transB: boolean): tf.TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = transA ? a.shape[ra - 1] : a.shape[ra - 2];
  const K = transA ? a.shape[ra - 2] : a.shape[ra - 1];
  const K2 = transB ? b.shape[rb - 1] : b.shape[rb - 2];
  const N = transB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (K !== K2) throw new Error(`BatchMatMul (gankit, cpu): inner dimensions ${K} and ${K2} of shapes [${a.shape}] and [${b.shape}] do not match`);
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = tf.util.sizeFromShape(outerA);
  const batchB = tf.util.sizeFromShape(outerB);
  // Same batch shape, or one side a single matrix (possibly with size-1 batch dims).
  const sameShape = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
  if (!sameShape && batchA !== 1 && batchB !== 1) return undefined;
  const outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const batch = Math.max(batchA, batchB);
  const out = allocate(backend, [...outer, M, N]);
  const av = f32(backend, a);
  const bv = f32(backend, b);
  const cv = f32(backend, out);
  for (let i = 0; i < batch; i++) {
    sgemm(M, N, K, av, bv, cv, {
      transA,
      transB,
      aOffset: (batchA === 1 ? 0 : i) * M * K,
      bOffset: (batchB === 1 ? 0 : i) * K * N,
      cOffset: i * M * N,
    });
  }
  return out;
}

function batchMatMul(args: Args): tf.TensorInfo {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  return gemmBatch(args.backend, a, b, transposeA, transposeB) ?? (stockKernel('BatchMatMul', 'cpu')!.kernelFunc(args as never) as tf.TensorInfo);
}

function fusedMatMul(args: Args): tf.TensorInfo {
  const { a, b, bias, preluActivationWeights } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo; preluActivationWeights?: tf.TensorInfo };
  const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as unknown as {
    transposeA: boolean;
    transposeB: boolean;
    activation?: string;
    leakyreluAlpha?: number;
  };
  const y = gemmBatch(args.backend, a, b, transposeA, transposeB);
  if (y == null) return stockKernel('_FusedMatMul', 'cpu')!.kernelFunc(args as never) as tf.TensorInfo;
  return cpuEpilogue(args.backend, y, bias, activation, preluActivationWeights, leakyreluAlpha);
}

export const cpuBatchMatMulPatch: KernelPatch = {
  kernelName: 'BatchMatMul',
  backends: ['cpu'],
  kernelFunc: batchMatMul as tf.KernelFunc,
  reason: 'stock cpu matMul runs at ~0.4–0.7 GFLOP/s; packed register-blocked JS GEMM',
};

export const cpuFusedMatMulPatch: KernelPatch = {
  kernelName: '_FusedMatMul',
  backends: ['cpu'],
  kernelFunc: fusedMatMul as tf.KernelFunc,
  reason: 'dense layers on cpu: packed JS GEMM + the stock bias/activation kernels',
};
