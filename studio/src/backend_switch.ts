/**
 * The page's tfjs backend: webgpu → webgl → wasm (the first that initialises), or the one named by
 * `?backend=`. Switching reloads the page with the new `?backend=`: a model's weights live on the
 * backend they were loaded on, and a fresh load is simpler and safer than moving them.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installGankitKernels } from '../../src/backend/index.js';
import { registerGankitLayers } from '../../src/layers/index.js';

export const BACKENDS = ['webgpu', 'webgl', 'wasm'] as const;
export type StudioBackend = (typeof BACKENDS)[number];

/** Where `npm run studio:build` puts tfjs-backend-wasm's .wasm files, relative to the page. */
const WASM_DIR = 'wasm/';

/** Threads for wasm: all cores when the page is cross-origin isolated (COOP/COEP), else one (no SharedArrayBuffer). */
export function wasmThreads(): number {
  return globalThis.crossOriginIsolated ? Math.max(1, navigator.hardwareConcurrency || 1) : 1;
}

async function tryBackend(name: StudioBackend): Promise<boolean> {
  if (name === 'webgpu' && !('gpu' in navigator)) return false;
  if (name === 'wasm') {
    setWasmPaths(new URL(WASM_DIR, document.baseURI).href);
    setThreadsCount(wasmThreads());
  }
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/**
 * Activate `wanted` (or the first available when absent) and install gankit's kernels and layers.
 * Throws, naming the backends tried, when none initialises.
 */
export async function activateBackend(wanted?: string | null): Promise<StudioBackend> {
  if (wanted != null && !(BACKENDS as readonly string[]).includes(wanted)) {
    throw new Error(`studio: ?backend= must be one of ${BACKENDS.join(', ')}; got '${wanted}'`);
  }
  const order: StudioBackend[] = wanted ? [wanted as StudioBackend] : [...BACKENDS];
  for (const name of order) {
    if (await tryBackend(name)) {
      await tf.ready();
      installGankitKernels(name);
      registerGankitLayers();
      return name;
    }
  }
  throw new Error(`studio: no tfjs backend initialised (tried ${order.join(', ')})${wanted ? `; drop ?backend=${wanted} to fall back` : ''}`);
}

/** Fill the backend picker and reload the page on a change. */
export function mountBackendSwitch(select: HTMLSelectElement, active: StudioBackend): void {
  select.replaceChildren(
    ...BACKENDS.map((name) => {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = name === 'wasm' ? `wasm (${wasmThreads()} thread${wasmThreads() === 1 ? '' : 's'})` : name;
      option.selected = name === active;
      return option;
    }),
  );
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('backend', select.value);
    location.href = url.href;
  });
}
