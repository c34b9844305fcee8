/**
 * `ResizeBilinearGrad` as the exact adjoint of tfjs's bilinear resize (cpu kernel
 * tfjs-backend-cpu/src/kernels/ResizeBilinear.ts; wasm computes the same forward).
 *
 * Forward, per output row r (columns alike): src = ratio·(r + ½) − ½ with half-pixel centers, else
 * ratio·r; top = max(0, ⌊src⌋), bottom = min(H−1, ⌈src⌉), f = src − top; out = lerp(top, bottom, f).
 * The gradient scatters dy with the same four weights. Stock tfjs's ResizeBilinearGrad (cpu and
 * wasm) ignores `halfPixelCenters`, so the gradient was silently wrong whenever it was set
 * (docs/tfjs-facts.md); this kernel handles both settings and `alignCorners`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './patch.js';
import { resizeGradArgs, resizeRatio } from './resize_common.js';

/** Source indices and fractions along one axis, exactly as the forward kernel computes them. */
export function bilinearTaps(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean) {
  const ratio = resizeRatio(inSize, outSize, alignCorners);
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float64Array(outSize);
  for (let r = 0; r < outSize; r++) {
    const src = halfPixelCenters ? ratio * (r + 0.5) - 0.5 : ratio * r;
    lo[r] = Math.max(0, Math.floor(src));
    hi[r] = Math.min(inSize - 1, Math.ceil(src));
    frac[r] = src - lo[r];
  }
  return { lo, hi, frac };
}

function resizeBilinearGrad(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { alignCorners, halfPixelCenters, N, H, W, C, Ho, Wo, out, dx, g } = resizeGradArgs(args);
  const rows = bilinearTaps(H, Ho, alignCorners, halfPixelCenters);
  const cols = bilinearTaps(W, Wo, alignCorners, halfPixelCenters);
  let src = 0;
  for (let n = 0; n < N; n++) {
    const base = n * H;
    for (let r = 0; r < Ho; r++) {
      const top = (base + rows.lo[r]) * W;
      const bot = (base + rows.hi[r]) * W;
      const fr = rows.frac[r];
      for (let c = 0; c < Wo; c++) {
        const fc = cols.frac[c];
        const tl = (top + cols.lo[c]) * C;
        const tr = (top + cols.hi[c]) * C;
        const bl = (bot + cols.lo[c]) * C;
        const br = (bot + cols.hi[c]) * C;
        const wtl = (1 - fr) * (1 - fc);
        const wtr = (1 - fr) * fc;
        const wbl = fr * (1 - fc);
        const wbr = fr * fc;
        for (let d = 0; d < C; d++) {
          const v = g[src++];
          dx[tl + d] += v * wtl;
          dx[tr + d] += v * wtr;
          dx[bl + d] += v * wbl;
          dx[br + d] += v * wbr;
        }
      }
    }
  }
  return out;
}

export const resizeBilinearGradPatch: KernelPatch = {
  kernelName: 'ResizeBilinearGrad',
  backends: ['cpu', 'wasm'],
  kernelFunc: resizeBilinearGrad as tf.KernelFunc,
  reason: 'wrong on cpu and wasm with halfPixelCenters (the stock kernel ignores it)',
};
