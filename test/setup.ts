import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients
import { beforeAll } from 'vitest';
import { setupBackend } from '../src/backend/setup.js';

// IS_TEST is left off: its per-kernel leak check misfires on stock wasm fusedMatMul inside gradients.
tf.env().set('PROD', false);

beforeAll(async () => {
  await setupBackend((process.env.GANKIT_TEST_BACKEND as 'cpu' | 'wasm' | undefined) ?? 'cpu', { log: () => {} });
});
