/**
 * wasm kernels that stock tfjs-backend-wasm lacks or computes wrongly, routed to the (correct)
 * tfjs-backend-cpu kernel on a private cpu backend: inputs are copied out of the wasm heap, the
 * cpu kernel runs, the result is copied back (docs/tfjs-facts.md, "a generic fallback").
 *
 * | kernel | why |
 * |---|---|
 * | DepthwiseConv2dNativeBackpropInput / …Filter | missing on wasm: depthwise convs cannot train |
 * | UnsortedSegmentSum | missing on wasm: it is `gather`'s gradient |
 * | Einsum | missing on wasm |
 * | MaxPoolGrad | wrong on wasm: drops the gradient where a window's max is negative |
 *
 * These are correct but pure-JS speed; hot kernels get dedicated fast paths in their own files
 * (the conv3d family, also wrong on stock wasm, is in conv3d*.ts).
 */
import type { KernelPatch } from './patch.js';
import { cpuFallback } from './backend_io.js';

const FALLBACKS: [string, string][] = [
  ['DepthwiseConv2dNativeBackpropInput', 'missing on wasm (depthwise convs could not train); runs the cpu kernel'],
  ['DepthwiseConv2dNativeBackpropFilter', 'missing on wasm (depthwise convs could not train); runs the cpu kernel'],
  ['UnsortedSegmentSum', "missing on wasm (gather's gradient); runs the cpu kernel"],
  ['Einsum', 'missing on wasm; runs the cpu kernel'],
  ['MaxPoolGrad', "wrong on wasm where a window's max is negative; runs the cpu kernel"],
];

export const wasmCpuFallbackPatches: KernelPatch[] = FALLBACKS.map(([kernelName, reason]) => ({
  kernelName,
  backends: ['wasm'],
  kernelFunc: cpuFallback(kernelName),
  reason,
}));
