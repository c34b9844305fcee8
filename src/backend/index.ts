/** Backend selection and gankit's kernel/gradient patches for stock tfjs. */
export { setupBackend } from './setup.js';
export type { BackendPreference, SetupBackendOptions } from './setup.js';
export { installGankitKernels, describeKernelPatches, KERNEL_PATCHES, GRADIENT_PATCHES } from './kernels/index.js';
export type { KernelPatch, GradientPatch } from './kernels/index.js';
