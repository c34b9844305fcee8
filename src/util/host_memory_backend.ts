import * as tf from '@tensorflow/tfjs-core';

/**
 * Backends whose tensors live in host memory (cpu, wasm, tfjs-node's `tensorflow`): reading a
 * value there is a copy, not a device→host sync, so gankit's JavaScript kernels (the trilinear
 * sampler, HoloGAN's sample coordinates) and per-step reads are cheap. On every other backend
 * (webgpu, webgl, …) gankit composes tensor ops instead and keeps values on the device.
 */
export function isHostMemoryBackend(backend: string = tf.getBackend()): boolean {
  return backend === 'cpu' || backend === 'wasm' || backend === 'tensorflow';
}

/**
 * Whether `dataSync` can work on the active backend. tfjs-backend-webgpu reads synchronously
 * through an OffscreenCanvas, which Node does not have: there, every read must be `await data()`.
 */
export function canReadSynchronously(backend: string = tf.getBackend()): boolean {
  return backend !== 'webgpu' || typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas !== 'undefined';
}
