/**
 * `ResizeNearestNeighborGrad` on cpu as the exact adjoint of tfjs's nearest-neighbour resize
 * (tfjs-backend-cpu/src/kernels/ResizeNearestNeighbor.ts): each output pixel reads one source
 * pixel, so the gradient adds dy there. Source row for output r: ratio·r (or ratio·(r + ½) with
 * half-pixel centers), rounded when `alignCorners` else floored, clamped to [0, H−1].
 * The stock cpu kernel gives item 1 of a batch the wrong gradient (docs/tfjs-facts.md); the stock wasm
 * kernel is wrong with half-pixel centers (found by test/kernels/silently_wrong.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './patch.js';
import { resizeGradArgs, resizeRatio } from './resize_common.js';

/** Source index of every output position along one axis, as the forward kernel computes it. */
export function nearestTaps(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Int32Array {
  const ratio = resizeRatio(inSize, outSize, alignCorners);
  const idx = new Int32Array(outSize);
  for (let r = 0; r < outSize; r++) {
    const src = halfPixelCenters ? ratio * (r + 0.5) : ratio * r;
    let i = Math.min(inSize - 1, alignCorners ? Math.round(src) : Math.floor(src));
    if (halfPixelCenters) i = Math.max(0, i);
    idx[r] = i;
  }
  return idx;
}

function resizeNearestNeighborGrad(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { alignCorners, halfPixelCenters, N, H, W, C, Ho, Wo, out, dx, g } = resizeGradArgs(args);
  const rows = nearestTaps(H, Ho, alignCorners, halfPixelCenters);
  const cols = nearestTaps(W, Wo, alignCorners, halfPixelCenters);
  let src = 0;
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < Ho; r++) {
      const rowOff = (n * H + rows[r]) * W;
      for (let c = 0; c < Wo; c++) {
        const dst = (rowOff + cols[c]) * C;
        for (let d = 0; d < C; d++) dx[dst + d] += g[src++];
      }
    }
  }
  return out;
}

export const resizeNearestNeighborGradPatch: KernelPatch = {
  kernelName: 'ResizeNearestNeighborGrad',
  backends: ['cpu', 'wasm'],
  kernelFunc: resizeNearestNeighborGrad as tf.KernelFunc,
  reason: 'wrong on cpu for batch > 1 (item 1 got the wrong gradient) and on wasm with halfPixelCenters',
};
