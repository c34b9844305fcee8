/**
 * References for gankit's kernel tests: the stock cpu kernel run on a private cpu backend
 * (tfjs-backend-cpu, for kernels where it is correct) and a few naive JS loops that follow the
 * defining formula (for kernels where stock tfjs is wrong).
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { expectClose } from '../helpers/index.js';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { quietCpuBackend, stockKernel } from '../../src/backend/kernels/backend_io.js';

const cpu: MathBackendCPU = quietCpuBackend();

/** Run the *stock* tfjs-backend-cpu kernel `kernelName` and return its output values and shape. */
export function stockCpu(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): { values: Float32Array; shape: number[] } {
  const config = stockKernel(kernelName, 'cpu') ?? tf.getKernel(kernelName, 'cpu');
  if (config == null) throw new Error(`no cpu kernel ${kernelName}`);
  const infos: tf.NamedTensorInfoMap = {};
  for (const [k, t] of Object.entries(inputs)) infos[k] = cpu.makeTensorInfo(t.shape, t.dtype, t.dataSync().slice());
  const out = config.kernelFunc({ inputs: infos, backend: cpu, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
  const values = Float32Array.from(cpu.readSync(out.dataId) as Float32Array);
  cpu.disposeData(out.dataId);
  for (const t of Object.values(infos)) if (t != null) cpu.disposeData(t.dataId);
  return { values, shape: out.shape };
}

/** Run the kernel registered now for the active backend through the engine (what ops get). */
export function runActive(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel(kernelName, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
}

/** The active backend's `kernelName` agrees with the stock cpu kernel (shape exactly, values to `tol`, rtol and atol). */
export function agreesWithCpu(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>, tol = 1e-5): void {
  const got = runActive(kernelName, inputs, attrs);
  const want = stockCpu(kernelName, inputs, attrs);
  expect(got.shape).toEqual(want.shape);
  expectClose(got, want.values, { rtol: tol, atol: tol });
  got.dispose();
}
