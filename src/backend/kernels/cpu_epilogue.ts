/**
 * Bias + activation after a cpu GEMM (the epilogue of tfjs's fused ops `_FusedMatMul` and
 * `FusedConv2D`), done with the registered cpu kernels so broadcasting and every activation
 * ('linear', 'relu', 'relu6', 'elu', 'prelu', 'leakyrelu', 'sigmoid') behave exactly as in
 * tfjs-backend-cpu's fused kernels (src/utils/fused_utils.ts `applyActivation`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { callKernel, release } from './backend_io.js';

const ACTIVATION_KERNELS: Record<string, string> = {
  linear: 'Identity',
  relu: 'Relu',
  relu6: 'Relu6',
  elu: 'Elu',
  sigmoid: 'Sigmoid',
};

/** Apply `bias` (broadcast add) and `activation` to `y`; consumes `y` and returns the result. */
export function cpuEpilogue(
  backend: tf.KernelBackend,
  y: tf.TensorInfo,
  bias: tf.TensorInfo | undefined,
  activation: string | undefined,
  preluActivationWeights: tf.TensorInfo | undefined,
  leakyreluAlpha: number | undefined,
): tf.TensorInfo {
  let out = y;
  if (bias != null) {
    const added = callKernel('Add', 'cpu', backend, { a: out, b: bias });
    release(backend, out);
    out = added;
  }
  if (activation != null && activation !== 'linear') {
    let next: tf.TensorInfo;
    if (activation === 'prelu') next = callKernel('Prelu', 'cpu', backend, { x: out, alpha: preluActivationWeights! });
    else if (activation === 'leakyrelu') next = callKernel('LeakyRelu', 'cpu', backend, { x: out }, { alpha: leakyreluAlpha ?? 0.2 });
    else {
      const kernel = ACTIVATION_KERNELS[activation];
      if (kernel == null) throw new Error(`gankit cpu fused kernel: activation '${activation}' is not supported`);
      next = callKernel(kernel, 'cpu', backend, { x: out });
    }
    release(backend, out);
    out = next;
  }
  return out;
}
