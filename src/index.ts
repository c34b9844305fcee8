/**
 * gankit: GAN building blocks and latent-editing algorithms on TensorFlow.js.
 * The root entry re-exports every backend-agnostic subpath; Node-only I/O is in `gankit/node`.
 */
export * from './backend/index.js';
export * from './layers/index.js';
export * from './losses/index.js';
export * from './latent/index.js';
export * from './models/index.js';
export * from './data/index.js';
export * from './train/index.js';
export * from './metrics/index.js';
export * from './viz/index.js';
export * from './util/index.js';
