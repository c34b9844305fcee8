/**
 * `BatchMatMul` on wasm with `transposeA`/`transposeB` done as an explicit transpose followed by
 * the stock (untransposed) XNNPACK matMul. Stock wasm takes a slow path for transposed operands:
 * measured on [2048, 1024] operands, Aᵀ·B took 8.8 s vs 0.3 s (transpose + plain) and A·Cᵀ 2.9 s
 * vs 0.27 s — and tfjs differentiates every dense layer with exactly these products
 * (∂x = dy·Wᵀ, ∂W = xᵀ·dy), e.g. HoloGAN's projection unit. Values are unchanged:
 * (Aᵀ)ᵢⱼ = Aⱼᵢ, so the product is the same sum in the same order.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './patch.js';
import { allocateUninitialized, f32, release, stockKernel } from './backend_io.js';

/** Swap the last two axes of a float32 tensor (any leading batch dims), blocked for cache reuse. */
function transposeLast2(backend: tf.KernelBackend, t: tf.TensorInfo): tf.TensorInfo {
  const rank = t.shape.length;
  const rows = t.shape[rank - 2];
  const cols = t.shape[rank - 1];
  const batch = tf.util.sizeFromShape(t.shape.slice(0, -2));
  const out = allocateUninitialized(backend, [...t.shape.slice(0, -2), cols, rows]);
  const src = f32(backend, t);
  const dst = f32(backend, out);
  const B = 32;
  for (let b = 0; b < batch; b++) {
    const off = b * rows * cols;
    for (let i0 = 0; i0 < rows; i0 += B) {
      const i1 = Math.min(rows, i0 + B);
      for (let j0 = 0; j0 < cols; j0 += B) {
        const j1 = Math.min(cols, j0 + B);
        for (let i = i0; i < i1; i++) {
          const s = off + i * cols;
          for (let j = j0; j < j1; j++) dst[off + j * rows + i] = src[s + j];
        }
      }
    }
  }
  return out;
}

function batchMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { inputs, backend } = args;
  const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  const stock = stockKernel('BatchMatMul', 'wasm');
  if (stock == null) throw new Error('BatchMatMul (gankit, wasm): the stock wasm kernel was not found');
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') return stock.kernelFunc(args as never) as tf.TensorInfo;
  const a2 = transposeA ? transposeLast2(backend, a) : a;
  const b2 = transposeB ? transposeLast2(backend, b) : b;
  try {
    return stock.kernelFunc({ inputs: { a: a2, b: b2 }, backend, attrs: { transposeA: false, transposeB: false } } as never) as tf.TensorInfo;
  } finally {
    if (a2 !== a) release(backend, a2);
    if (b2 !== b) release(backend, b2);
  }
}

export const batchMatMulWasmPatch: KernelPatch = {
  kernelName: 'BatchMatMul',
  backends: ['wasm'],
  kernelFunc: batchMatMul as tf.KernelFunc,
  reason: 'stock wasm matMul with transposeA/transposeB is 10–30× slower than transpose + plain matMul (every dense gradient)',
};
