/**
 * `Conv2DBackpropInput` on wasm — the kernel behind `tf.conv2dTranspose` and conv2d's input
 * gradient — as s_h·s_w ordinary stride-1 convolutions run by XNNPACK (the wasm `Conv2D` kernel).
 *
 * dx[y] = Σ_{i,a: i·s + a − p = y} dy[i]·W[a] (TensorFlow `Conv2DBackpropInput`,
 * tensorflow/core/kernels/conv_grad_input_ops.cc). Output rows y with (y + p) mod s = r only meet
 * taps a = r, r + s, …, so each phase r is a stride-1 correlation of dy with the flipped sub-filter
 * K_r[t] = W[(M_r − 1 − t)·s + r] (M_r = ⌈(k − r)/s⌉ taps), written to rows y = q·s + r − p
 * (the "sub-pixel" decomposition of a transposed convolution; Shi et al. 2016, arXiv:1609.07009).
 * Stock wasm runs this as a scalar loop at 2–3 GFLOP/s (docs/tfjs-facts.md); the phases run at XNNPACK
 * speed with no multiply by an inserted zero. Pads that fall outside dy crop it instead. With fewer
 * than 16 dx channels it is one matMul dy·Wᵀ + col2im instead; NCHW runs the cpu kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './patch.js';
import { allocate, allocateUninitialized, callKernel, f32, release, runOnCpu } from './backend_io.js';
import { geometry2d, type Conv2DAttrs } from './im2col3d.js';
import { backpropInputGemm } from './conv3d_backprop_input.js';

type Attrs = Omit<Conv2DAttrs, 'dilations'> & { inputShape: [number, number, number, number] };

/** Below this many dx channels the matMul + col2im path is used instead of the phases. */
export const SMALL_OUTPUT_CHANNELS = 16;

/** One axis of one phase: taps, first output index q0, count, and dy padding (may be negative). */
interface AxisPhase {
  taps: number;
  q0: number;
  count: number;
  padBefore: number;
  padAfter: number;
}

/** Geometry of phase r along an axis: dx size n, dy size m, kernel k, stride s, forward pad-before p. */
export function axisPhase(r: number, n: number, m: number, k: number, s: number, p: number): AxisPhase {
  const taps = r < k ? Math.ceil((k - r) / s) : 0;
  const q0 = Math.ceil((p - r) / s);
  const q1 = Math.floor((n - 1 + p - r) / s);
  const count = q1 - q0 + 1;
  const padBefore = taps - 1 - q0;
  const padAfter = count - 1 + taps - m - padBefore;
  return { taps, q0, count, padBefore, padAfter };
}

function conv2DBackpropInputWasm(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as Attrs;
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  if (attrs.dataFormat === 'NCHW') return runOnCpu('Conv2DBackpropInput', args) as tf.TensorInfo;
  const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const [N, H, W, C] = attrs.inputShape;
  const [kh, kw, , O] = filter.shape;
  // Few output channels (an image layer): the phase convolutions would have N = C ≤ 15 columns,
  // where XNNPACK is inefficient; one matMul dy·Wᵀ + col2im was ~3× faster (DCGAN's 64 → 3 layer).
  if (C < SMALL_OUTPUT_CHANNELS) return backpropInputGemm('wasm', backend, dy, filter, geometry2d(info), O, attrs.inputShape);
  const [, Ho, Wo] = dy.shape;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const out = allocate(backend, [N, H, W, C]);
  for (let rh = 0; rh < sh; rh++) {
    const ph = axisPhase(rh, H, Ho, kh, sh, pt);
    if (ph.taps === 0 || ph.count <= 0) continue;
    for (let rw = 0; rw < sw; rw++) {
      const pw = axisPhase(rw, W, Wo, kw, sw, pl);
      if (pw.taps === 0 || pw.count <= 0) continue;
      // Crop dy where the phase's padding is negative.
      const cropTop = Math.max(0, -ph.padBefore);
      const cropBottom = Math.max(0, -ph.padAfter);
      const cropLeft = Math.max(0, -pw.padBefore);
      const cropRight = Math.max(0, -pw.padAfter);
      const hh = Ho - cropTop - cropBottom;
      const ww = Wo - cropLeft - cropRight;
      if (hh <= 0 || ww <= 0) continue;
      const cropped = cropTop + cropBottom + cropLeft + cropRight > 0;
      const x = cropped ? allocateUninitialized(backend, [N, hh, ww, O]) : dy;
      const sub = allocateUninitialized(backend, [ph.taps, pw.taps, O, C]);
      {
        const w = f32(backend, filter);
        const k = f32(backend, sub);
        let dst = 0;
        for (let th = 0; th < ph.taps; th++) {
          const a = (ph.taps - 1 - th) * sh + rh;
          for (let tw = 0; tw < pw.taps; tw++) {
            const b = (pw.taps - 1 - tw) * sw + rw;
            const base = (a * kw + b) * C * O;
            for (let o = 0; o < O; o++) for (let c = 0; c < C; c++) k[dst++] = w[base + c * O + o];
          }
        }
        if (cropped) {
          const src = f32(backend, dy);
          const dstv = f32(backend, x);
          const rowLen = ww * O;
          let d = 0;
          for (let n = 0; n < N; n++) {
            for (let i = 0; i < hh; i++) {
              const s0 = ((n * Ho + i + cropTop) * Wo + cropLeft) * O;
              dstv.set(src.subarray(s0, s0 + rowLen), d);
              d += rowLen;
            }
          }
        }
      }
      const pad: tf.backend_util.ExplicitPadding = [
        [0, 0],
        [Math.max(0, ph.padBefore), Math.max(0, ph.padAfter)],
        [Math.max(0, pw.padBefore), Math.max(0, pw.padAfter)],
        [0, 0],
      ];
      const res = callKernel('Conv2D', 'wasm', backend, { x, filter: sub }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined });
      if (res.shape[1] !== ph.count || res.shape[2] !== pw.count) {
        throw new Error(`Conv2DBackpropInput (gankit): phase output ${res.shape} does not match ${ph.count}×${pw.count}`);
      }
      // Interleave the phase into dx: rows y = (q0 + u)·s + r − p.
      const rv = f32(backend, res);
      const dx = f32(backend, out);
      let src = 0;
      for (let n = 0; n < N; n++) {
        for (let u = 0; u < ph.count; u++) {
          const y = (ph.q0 + u) * sh + rh - pt;
          const rowBase = (n * H + y) * W;
          for (let v = 0; v < pw.count; v++) {
            const xx = (pw.q0 + v) * sw + rw - pl;
            dx.set(rv.subarray(src, src + C), (rowBase + xx) * C);
            src += C;
          }
        }
      }
      release(backend, res);
      release(backend, sub);
      if (cropped) release(backend, x);
    }
  }
  return out;
}

export const conv2DBackpropInputWasmPatch: KernelPatch = {
  kernelName: 'Conv2DBackpropInput',
  backends: ['wasm'],
  kernelFunc: conv2DBackpropInputWasm as tf.KernelFunc,
  reason: 'stock wasm kernel is a scalar loop (2–3 GFLOP/s); split into stride-1 XNNPACK convolutions',
};
