/**
 * `Conv2DBackpropFilter` (the weight gradient of conv2d) as im2col + the backend's BatchMatMul.
 *
 * dW[a, b, c, o] = Σ_{n,i,j} x[n, i·sh + a − pt, j·sw + b − pl, c] · dy[n, i, j, o]
 * (TensorFlow `Conv2DBackpropFilter`, tensorflow/core/kernels/conv_grad_filter_ops.cc).
 * The patches are written transposed, colᵀ [kh·kw·C, N·Ho·Wo], straight into the backend's
 * memory, so dW = colᵀ · dy[N·Ho·Wo, O] is one plain matMul (XNNPACK on wasm) with no transpose.
 * Stock wasm has no such kernel (no conv layer could train) and stock cpu runs at ~0.01 GFLOP/s.
 * NCHW falls back to the stock cpu kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './index.js';
import { allocateUninitialized, f32, matMul2d, release, reshaped, runOnCpu } from './backend_io.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * Write colᵀ[(a·kw + b)·C + c, (n·Ho + i)·Wo + j] = x[n, i·sh + a·dh − pt, j·sw + b·dw − pl, c]
 * (zero outside x) for a conv with the given geometry. `col` has kh·kw·C rows of N·Ho·Wo.
 */
export function im2colTransposed(
  x: Float32Array,
  col: Float32Array,
  g: { N: number; H: number; W: number; C: number; kh: number; kw: number; Ho: number; Wo: number; sh: number; sw: number; dh: number; dw: number; pt: number; pl: number },
): void {
  const { N, H, W, C, kh, kw, Ho, Wo, sh, sw, dh, dw, pt, pl } = g;
  const M = N * Ho * Wo;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const rowBase = (a * kw + b) * C;
      for (let c = 0; c < C; c++) {
        let dst = (rowBase + c) * M;
        for (let n = 0; n < N; n++) {
          const xn = n * H;
          for (let i = 0; i < Ho; i++) {
            const h = i * sh + a * dh - pt;
            if (h < 0 || h >= H) {
              col.fill(0, dst, dst + Wo);
              dst += Wo;
              continue;
            }
            const rowOff = (xn + h) * W;
            for (let j = 0; j < Wo; j++) {
              const w = j * sw + b * dw - pl;
              col[dst++] = w < 0 || w >= W ? 0 : x[(rowOff + w) * C + c];
            }
          }
        }
      }
    }
  }
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
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo, outChannels: O } = info;
  const kh = info.filterHeight;
  const kw = info.filterWidth;
  const K = kh * kw * C;
  const M = N * Ho * Wo;
  const col = allocateUninitialized(backend, [K, M]);
  // Views are taken after every allocation (wasm heap views die when memory grows).
  im2colTransposed(f32(backend, x), f32(backend, col), {
    N, H, W, C, kh, kw, Ho, Wo,
    sh: info.strideHeight, sw: info.strideWidth, dh: 1, dw: 1,
    pt: info.padInfo.top, pl: info.padInfo.left,
  });
  const out = matMul2d(backendName, backend, col, dy, K, M, O);
  release(backend, col);
  return reshaped(out, [kh, kw, C, O]);
}

export const conv2DBackpropFilterPatches: KernelPatch[] = ['cpu', 'wasm'].map((backendName) => ({
  kernelName: 'Conv2DBackpropFilter',
  backends: [backendName],
  kernelFunc: (args) => conv2DBackpropFilter(args as never, backendName),
  reason: backendName === 'wasm' ? 'missing on wasm (no conv layer could train)' : 'stock cpu kernel runs at ~0.01 GFLOP/s',
}));
