import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readdirSync } from 'node:fs';
import { setupBackend, SWIFTSHADER_ICD } from '../../src/backend/index.js';

/**
 * The parity suite's backends: cpu is the reference; wasm and webgpu are checked against it.
 * `GANKIT_PARITY_BACKENDS` (comma-separated) narrows the list.
 */
export const PARITY_BACKENDS = (process.env.GANKIT_PARITY_BACKENDS ?? 'wasm,webgpu').split(',').filter(Boolean);

const hasGpuDevice = (): boolean => {
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  return list('/dev/dri').some((f) => /^renderD\d+$/.test(f)) || list('/dev').some((f) => /^nvidia\d+$/.test(f));
};

/**
 * Make webgpu available for the suite: on a Linux machine without a GPU device, point the Vulkan
 * loader at SwiftShader (Debian `chromium` ships it) before Dawn starts. A missing adapter fails the
 * suite with what to install; it is never skipped.
 */
export async function initParityBackend(name: string): Promise<void> {
  if (name === 'webgpu' && process.platform === 'linux' && process.env.VK_ICD_FILENAMES == null && !hasGpuDevice()) {
    if (!existsSync(SWIFTSHADER_ICD)) {
      throw new Error(`parity suite: no GPU and no SwiftShader driver at ${SWIFTSHADER_ICD}: apt-get install -y chromium libvulkan1 (or set VK_ICD_FILENAMES to a Vulkan driver)`);
    }
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  await setupBackend(name as 'cpu', { log: () => {} });
  if (tf.getBackend() !== name) throw new Error(`parity suite: asked for ${name}, got ${tf.getBackend()}`);
}
