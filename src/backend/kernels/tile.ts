/**
 * `Tile` on wasm by block copies: the innermost block is written once and every outer repetition
 * is a `copyWithin` of an already-written block (memcpy speed). Stock wasm Tile computes an index
 * per output element and took ~80 ms to broadcast a [1,1,1,64] scale over a [16,32,32,64]
 * activation — which tfjs's batchNorm gradient does for every BN layer in every training step.
 * out[i₀…iₖ] = x[i₀ mod d₀, …, iₖ mod dₖ] (TensorFlow `Tile`).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPatch } from './patch.js';
import { allocate, stockKernel, viewOf } from './backend_io.js';

type Arr = Float32Array | Int32Array | Uint8Array;

/** Tile `src` (shape `shape`) by `reps` into `dst` (already sized to the output). */
export function tileInto(src: Arr, shape: number[], reps: number[], dst: Arr): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0];
    return;
  }
  const outShape = shape.map((d, i) => d * reps[i]);
  const srcInner = new Array<number>(rank).fill(1);
  const outInner = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) {
    srcInner[d] = srcInner[d + 1] * shape[d + 1];
    outInner[d] = outInner[d + 1] * outShape[d + 1];
  }
  const rec = (d: number, srcOff: number, dstOff: number): void => {
    const n = shape[d];
    if (d === rank - 1) {
      if (n === 1) dst.fill(src[srcOff], dstOff, dstOff + reps[d]);
      else {
        const row = src.subarray(srcOff, srcOff + n);
        for (let r = 0; r < reps[d]; r++) dst.set(row, dstOff + r * n);
      }
      return;
    }
    for (let i = 0; i < n; i++) rec(d + 1, srcOff + i * srcInner[d], dstOff + i * outInner[d]);
    const block = n * outInner[d];
    for (let r = 1; r < reps[d]; r++) dst.copyWithin(dstOff + r * block, dstOff, dstOff + block);
  };
  rec(0, 0, 0);
}

function tile(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const reps = (attrs as unknown as { reps: number[] }).reps;
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    const stock = stockKernel('Tile', 'wasm');
    if (stock == null) throw new Error(`Tile (gankit, wasm): dtype ${x.dtype} is not supported`);
    return stock.kernelFunc(args as never) as tf.TensorInfo;
  }
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = allocate(backend, outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) > 0) tileInto(viewOf(backend, x), x.shape, reps, viewOf(backend, out));
  return out;
}

export const tileWasmPatch: KernelPatch = {
  kernelName: 'Tile',
  backends: ['wasm'],
  kernelFunc: tile as tf.KernelFunc,
  reason: 'stock wasm Tile is an index-per-element loop (~80 ms per batchNorm gradient broadcast); block copies',
};
