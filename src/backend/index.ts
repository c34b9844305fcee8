/** Backend selection and gankit's kernel/gradient patches for stock tfjs. */
export { setupBackend, describeBackend } from './setup.js';
export type { BackendPreference, SetupBackendOptions, BackendDescription } from './setup.js';
export { ensureNavigatorGpu, describeGpuAdapter, isEmulatedAdapter, SWIFTSHADER_ICD } from './webgpu.js';
export type { GpuAdapterDescription } from './webgpu.js';
export { installGankitKernels, describeKernelPatches, KERNEL_PATCHES, GRADIENT_PATCHES } from './kernels/index.js';
export type { KernelPatch, GradientPatch } from './kernels/index.js';
