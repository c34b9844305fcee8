/**
 * Shared plumbing for gankit's kernels: read and allocate tensor data on the cpu and wasm
 * backends without going through the engine, call another registered kernel, and run a cpu
 * kernel on a private cpu backend for backends that lack (or get wrong) a kernel.
 *
 * Kernels run inside `engine.runKernel`, so they must only use backend-level calls: a kernel
 * returns `TensorInfo`s owned by the backend, and disposes its intermediates itself.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

/** The subset of tfjs-backend-wasm's `BackendWasm` that gankit's kernels use. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.TypedArray): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
  readSync(dataId: tf.DataId): tf.BackendValues;
}

export function isWasm(backend: tf.KernelBackend): backend is tf.KernelBackend & WasmBackendLike {
  return typeof (backend as unknown as WasmBackendLike).typedArrayFromHeap === 'function';
}

/**
 * The values of a float32/int32 tensor. On wasm this is a view of the heap: it dies when the heap
 * grows, so allocate every output *before* taking views. On cpu it is the stored array.
 */
export function viewOf(backend: tf.KernelBackend, t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array {
  if (isWasm(backend)) return backend.typedArrayFromHeap(t);
  return backend.readSync(t.dataId) as Float32Array | Int32Array | Uint8Array;
}

/**
 * Float32 values of `t` (a heap view on wasm — see {@link viewOf}). The cpu backend casts int32 or
 * bool to float32 by relabelling the stored array, so a float32 tensor may hold an Int32Array or
 * Uint8Array there: it is copied into a Float32Array (read-only use).
 */
export function f32(backend: tf.KernelBackend, t: tf.TensorInfo): Float32Array {
  const v = viewOf(backend, t);
  if (v instanceof Float32Array) return v;
  if (t.dtype === 'float32' && (v instanceof Int32Array || v instanceof Uint8Array)) return Float32Array.from(v);
  throw new Error(`gankit kernel: expected a float32 tensor, got ${t.dtype}`);
}

/**
 * Allocate an output (zero-filled unless `values` is given). On wasm the memory is on the heap
 * (malloc'd, so zero it before use unless every element is written); on cpu a Float32Array.
 */
export function allocate(backend: tf.KernelBackend, shape: number[], dtype: tf.DataType = 'float32', values?: tf.TypedArray): tf.TensorInfo {
  if (isWasm(backend)) {
    const out = backend.makeOutput(shape, dtype, undefined, values);
    if (values == null) backend.typedArrayFromHeap(out).fill(0);
    return out;
  }
  return allocateUninitialized(backend, shape, dtype, values);
}

/**
 * Like {@link allocate} but leaves wasm memory as malloc returned it: only for buffers the caller
 * overwrites entirely (im2col columns, packed filters).
 */
export function allocateUninitialized(backend: tf.KernelBackend, shape: number[], dtype: tf.DataType = 'float32', values?: tf.TypedArray): tf.TensorInfo {
  if (isWasm(backend)) return backend.makeOutput(shape, dtype, undefined, values);
  const size = tf.util.sizeFromShape(shape);
  const data = values ?? (dtype === 'int32' ? new Int32Array(size) : dtype === 'bool' ? new Uint8Array(size) : new Float32Array(size));
  return (backend as unknown as MathBackendCPU).makeTensorInfo(shape, dtype, data);
}

/**
 * Rows m0 … m0 + rows − 1 of the row-major matrix `t` ([total rows, width]) as a [rows, width]
 * float32 tensor: `t` itself when that is all of it, else a copy the caller releases
 * (`chunk !== t`). The per-group slice of dy in the chunked conv gradients.
 */
export function rowChunk(backend: tf.KernelBackend, t: tf.TensorInfo, m0: number, rows: number, totalRows: number, width: number): tf.TensorInfo {
  if (m0 === 0 && rows === totalRows) return t;
  const chunk = allocateUninitialized(backend, [rows, width]);
  f32(backend, chunk).set(f32(backend, t).subarray(m0 * width, (m0 + rows) * width));
  return chunk;
}

/** Release an intermediate created by {@link allocate} or by another kernel. */
export function release(backend: tf.KernelBackend, t: tf.TensorInfo): void {
  backend.disposeData(t.dataId);
}

/** The same data seen with another shape (no copy; valid while `t` lives). */
export function reshaped(t: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/** Run the kernel registered as `kernelName` for `backend`'s name on backend-level tensors. */
export function callKernel(kernelName: string, backendName: string, backend: tf.KernelBackend, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown> = {}): tf.TensorInfo {
  const config = tf.getKernel(kernelName, backendName);
  if (config == null) throw new Error(`gankit kernel: no '${kernelName}' kernel registered for backend '${backendName}'`);
  const out = config.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs: attrs as tf.NamedAttrMap });
  if (Array.isArray(out)) throw new Error(`gankit kernel: '${kernelName}' returned ${out.length} outputs, expected one`);
  return out;
}

/** `a` [K, M] · `b` [M, N] with the backend's own BatchMatMul (XNNPACK on wasm). */
export function matMul2d(backendName: string, backend: tf.KernelBackend, a: tf.TensorInfo, b: tf.TensorInfo, rows: number, inner: number, cols: number): tf.TensorInfo {
  return callKernel('BatchMatMul', backendName, backend, { a: reshaped(a, [1, rows, inner]), b: reshaped(b, [1, inner, cols]) }, { transposeA: false, transposeB: false });
}

const stockKernels = new Map<string, tf.KernelConfig>();

/** Remember the stock kernel that a gankit kernel replaces (called by `installGankitKernels`). */
export function rememberStockKernel(config: tf.KernelConfig): void {
  const key = `${config.backendName}:${config.kernelName}`;
  if (!stockKernels.has(key)) stockKernels.set(key, config);
}

/** The stock kernel that gankit replaced for `backendName`, if any. */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  return stockKernels.get(`${backendName}:${kernelName}`);
}

let privateCpu: MathBackendCPU | undefined;

/** A MathBackendCPU that skips its "install tfjs-node" banner (printed on first write). */
export function quietCpuBackend(): MathBackendCPU {
  const cpu = new MathBackendCPU();
  (cpu as unknown as { firstUse: boolean }).firstUse = false;
  return cpu;
}

/**
 * Run the cpu backend's kernel `kernelName` on a private cpu backend: the inputs are copied from
 * `backend`, the result is copied back. The generic fallback for rare kernels a backend lacks or
 * gets wrong (docs/tfjs-facts.md: "a generic fallback that copies the inputs into a private cpu
 * backend"). Costs two copies plus the cpu kernel's (pure JS) time.
 */
export function runOnCpu(kernelName: string, args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend, attrs = {} } = args;
  // The stock cpu kernel when gankit replaced it (gankit's may itself fall back to this function).
  const config = stockKernel(kernelName, 'cpu') ?? tf.getKernel(kernelName, 'cpu');
  if (config == null) throw new Error(`gankit kernel: the cpu backend has no '${kernelName}' kernel to fall back to`);
  const cpu = (privateCpu ??= quietCpuBackend());
  // Some kernels (Einsum, AddN, Concat) take an array of inputs: keep the container's kind.
  const copyIn = (t: tf.TensorInfo) => cpu.makeTensorInfo(t.shape, t.dtype, (backend.readSync(t.dataId) as tf.TypedArray).slice());
  const cpuInputs: tf.NamedTensorInfoMap = Array.isArray(inputs)
    ? (inputs.map(copyIn) as unknown as tf.NamedTensorInfoMap)
    : Object.fromEntries(
        Object.entries(inputs)
          .filter(([, t]) => t != null)
          .map(([name, t]) => [name, copyIn(t as tf.TensorInfo)]),
      );
  try {
    const result = config.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs });
    const outs = Array.isArray(result) ? result : [result];
    const copied = outs.map((o) => {
      const values = cpu.readSync(o.dataId) as tf.TypedArray;
      cpu.disposeData(o.dataId);
      return allocate(backend, o.shape, o.dtype, values);
    });
    return Array.isArray(result) ? copied : copied[0];
  } finally {
    for (const t of Object.values(cpuInputs)) if (t != null) cpu.disposeData(t.dataId);
  }
}

/** A kernel function that runs `kernelName` through {@link runOnCpu}. */
export function cpuFallback(kernelName: string): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => runOnCpu(kernelName, { inputs, backend: backend as tf.KernelBackend, attrs });
}
