/**
 * `PadV2` of rank ≥ 5 on webgpu. tfjs-backend-webgpu 4.22 generates WGSL with a `vec5` type for
 * rank-5 pads, which WGSL does not have ("cannot index type 'vec5'"): the pipeline is invalid, the
 * command buffer computes nothing, and the device is lost. HoloGAN's 3D volumes reach it through
 * the gradient of `slice`. The fix keeps the stock kernel and lowers the rank: adjacent axes
 * (i, i+1) merge when axis i+1 is unpadded (its rows stay contiguous, and axis i's padding scales
 * by dim(i+1)); a pattern that cannot be lowered to rank 4 is padded in two passes that can.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './patch.js';
import { stockKernel } from './backend_io.js';

type Pads = [number, number][];

/** Merge axes until rank ≤ 4; null when the pattern cannot be lowered. */
export function lowerPadRank(shape: number[], paddings: Pads): { shape: number[]; paddings: Pads } | null {
  const s = [...shape];
  const p = paddings.map(([a, b]) => [a, b] as [number, number]);
  while (s.length > 4) {
    let i = s.length - 2;
    while (i >= 0 && (p[i + 1][0] !== 0 || p[i + 1][1] !== 0)) i--;
    if (i < 0) return null;
    p[i] = [p[i][0] * s[i + 1], p[i][1] * s[i + 1]];
    s[i] *= s[i + 1];
    s.splice(i + 1, 1);
    p.splice(i + 1, 1);
  }
  return { shape: s, paddings: p };
}

function callKernel(name: string, args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  // PadV2 is ours now: its stock kernel was remembered when replaced. Reshape is still stock.
  const k = stockKernel(name, 'webgpu') ?? (name === 'PadV2' ? undefined : tf.getKernel(name, 'webgpu'));
  if (k == null) throw new Error(`PadV2 (gankit, webgpu): the stock ${name} kernel is missing`);
  return k.kernelFunc(args as never) as tf.TensorInfo;
}

function padLowered(x: tf.TensorInfo, paddings: Pads, constantValue: number, backend: tf.KernelBackend): tf.TensorInfo {
  const lowered = lowerPadRank(x.shape, paddings);
  if (lowered == null) {
    // Pad the first rank − 2 axes, then the last two: each pass lowers (its other axes are unpadded).
    const k = x.shape.length - 2;
    const first = padLowered(x, paddings.map((p, i) => (i < k ? p : [0, 0])) as Pads, constantValue, backend);
    const out = padLowered(first, paddings.map((p, i) => (i < k ? [0, 0] : p)) as Pads, constantValue, backend);
    backend.disposeData(first.dataId);
    return out;
  }
  const outShape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const flat = callKernel('Reshape', { inputs: { x }, backend, attrs: { shape: lowered.shape } });
  const padded = callKernel('PadV2', { inputs: { x: flat }, backend, attrs: { paddings: lowered.paddings, constantValue } as unknown as tf.NamedAttrMap });
  const out = callKernel('Reshape', { inputs: { x: padded }, backend, attrs: { shape: outShape } });
  backend.disposeData(flat.dataId);
  backend.disposeData(padded.dataId);
  return out;
}

function pad(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.shape.length <= 4) return callKernel('PadV2', args);
  const { paddings, constantValue } = args.attrs as unknown as { paddings: Pads; constantValue: number };
  return padLowered(x, paddings, constantValue, args.backend);
}

export const webgpuPadRank5Patch: KernelPatch = {
  kernelName: 'PadV2',
  backends: ['webgpu'],
  kernelFunc: pad as unknown as tf.KernelFunc,
  reason: "stock webgpu PadV2 of rank ≥ 5 emits WGSL 'vec5' (invalid): lowered to rank ≤ 4 by merging unpadded axes",
};
