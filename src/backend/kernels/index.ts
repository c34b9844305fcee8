/**
 * gankit's kernel and gradient patches for stock TensorFlow.js.
 *
 * Each patch lives in its own file in this folder and is listed in {@link KERNEL_PATCHES} or
 * {@link GRADIENT_PATCHES}. `installGankitKernels(backend)` registers them (idempotently) for the
 * backend that `setupBackend` selected; tests call it directly.
 */
import * as tf from '@tensorflow/tfjs-core';
import { rememberStockKernel } from './backend_io.js';
import { conv2DBackpropFilterPatches } from './conv2d_backprop_filter.js';
import { wasmCpuFallbackPatches } from './cpu_fallbacks.js';
import { conv2dGradient } from './conv2d_grad.js';
import { conv3dTransposeGradient } from './conv3d_transpose_grad.js';
import { gatherNdGradient } from './gather_nd_grad.js';
import { resizeBilinearGradPatch } from './resize_bilinear_grad.js';
import { resizeNearestNeighborGradPatch } from './resize_nearest_grad.js';
import { mirrorPadGradient } from './mirror_pad_grad.js';
import { conv2DBackpropInputWasmPatch } from './conv2d_backprop_input.js';
import { tileWasmPatch } from './tile.js';
import { conv3dPatches } from './conv3d.js';
import { conv3dBackpropFilterPatches } from './conv3d_backprop_filter.js';
import { conv3dBackpropInputPatches } from './conv3d_backprop_input.js';
import { batchMatMulWasmPatch } from './batch_mat_mul.js';
import { higherOrderGradients } from './higher_order_grads.js';
import { cumsumGradient } from './cumsum_grad.js';
import { cpuBatchMatMulPatch, cpuFusedMatMulPatch } from './cpu_batch_mat_mul.js';
import { cpuConv2dPatch, cpuFusedConv2dPatch } from './cpu_conv2d.js';
import { cpuConv2dBackpropInputPatch } from './cpu_conv2d_backprop_input.js';
import { comparisonGradients } from './comparison_grads.js';
import { cpuTransformPatch } from './cpu_transform.js';
import { outputSavingGradients } from './output_saving_grads.js';
import { webgpuPadRank5Patch } from './webgpu_pad_rank5.js';

export type { KernelPatch, GradientPatch } from './patch.js';
import type { KernelPatch, GradientPatch } from './patch.js';

/** Kernel patches, in registration order. Add new patches here. */
export const KERNEL_PATCHES: KernelPatch[] = [
  ...conv2DBackpropFilterPatches,
  conv2DBackpropInputWasmPatch,
  tileWasmPatch,
  batchMatMulWasmPatch,
  ...conv3dPatches,
  ...conv3dBackpropFilterPatches,
  ...conv3dBackpropInputPatches,
  ...wasmCpuFallbackPatches,
  resizeBilinearGradPatch,
  resizeNearestNeighborGradPatch,
  cpuBatchMatMulPatch,
  cpuFusedMatMulPatch,
  cpuConv2dPatch,
  cpuFusedConv2dPatch,
  cpuConv2dBackpropInputPatch,
  cpuTransformPatch,
  webgpuPadRank5Patch,
];

/** Gradient patches, in registration order. Add new patches here. */
export const GRADIENT_PATCHES: GradientPatch[] = [
  ...comparisonGradients,
  ...outputSavingGradients,
  conv3dTransposeGradient,
  gatherNdGradient,
  conv2dGradient,
  mirrorPadGradient,
  ...higherOrderGradients,
  cumsumGradient,
];

const installedKernels = new Set<string>();
let gradientsInstalled = false;

/**
 * Register gankit's gradients (again if stock tfjs re-registered its own since) and its kernels
 * for `backendName` (once per backend). Stock kernels with the same name are unregistered first
 * (and kept for fallbacks). Returns the names installed by the first call.
 */
export function installGankitKernels(backendName: string = tf.getBackend()): string[] {
  const installed: string[] = [];
  for (const g of GRADIENT_PATCHES) {
    // Re-register when a later import of tfjs's gradients (e.g. a late `import '@tensorflow/tfjs-layers'`)
    // put the stock one back. registerGradient warns and overwrites: replacing a wrong gradient is intended.
    if (tf.getGradient(g.kernelName)?.gradFunc === g.gradFunc) continue;
    const { reason: _reason, ...config } = g;
    withSilencedWarnings(() => tf.registerGradient(config));
    if (!gradientsInstalled) installed.push(`grad:${g.kernelName}`);
  }
  gradientsInstalled = true;
  for (const patch of KERNEL_PATCHES) {
    if (!patch.backends.includes(backendName)) continue;
    const key = `${backendName}:${patch.kernelName}`;
    if (installedKernels.has(key)) continue;
    const stock = tf.getKernel(patch.kernelName, backendName);
    if (stock != null) {
      rememberStockKernel(stock);
      tf.unregisterKernel(patch.kernelName, backendName);
    }
    tf.registerKernel({ kernelName: patch.kernelName, backendName, kernelFunc: patch.kernelFunc });
    installedKernels.add(key);
    installed.push(key);
  }
  return installed;
}

/** One line per patch: what it is and why it exists. */
export function describeKernelPatches(): string[] {
  return [...KERNEL_PATCHES.map((p) => `${p.kernelName} [${p.backends.join(', ')}]: ${p.reason}`), ...GRADIENT_PATCHES.map((g) => `gradient ${g.kernelName}: ${g.reason}`)];
}

function withSilencedWarnings(fn: () => void): void {
  const warn = console.warn;
  console.warn = () => {};
  try {
    fn();
  } finally {
    console.warn = warn;
  }
}
