import * as tf from '@tensorflow/tfjs-core';
import { installGankitKernels } from './kernels/index.js';
import { registerGankitLayers } from '../layers/register.js';

/** Which backend `setupBackend` should use. `'tensorflow'` is tfjs-node (CPU), `'node-gpu'` is tfjs-node-gpu. */
export type BackendPreference = 'auto' | 'node-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface SetupBackendOptions {
  /** Where tfjs-backend-wasm's `.wasm` files are served from (browsers). In Node they load from the installed package. */
  wasmPaths?: string;
  /** Receives the one-line report of the backend chosen and why others were skipped. Default: `console.info`, once. */
  log?: (message: string) => void;
  /**
   * Node only, opt-in: run tfjs-backend-wasm with this many threads (see `wasm_threads.ts`); also
   * `GANKIT_WASM_THREADS`. Must be given before wasm is first initialised. Default 1.
   */
  wasmThreads?: number;
}

const PREFERENCES: readonly BackendPreference[] = ['auto', 'node-gpu', 'tensorflow', 'wasm', 'cpu'];
const AUTO_ORDER: readonly Exclude<BackendPreference, 'auto'>[] = ['node-gpu', 'tensorflow', 'wasm', 'cpu'];

let lastReport: string | undefined;

/**
 * Select and initialise a tfjs backend that can train gankit models, then install gankit's
 * kernel/gradient patches for it and register gankit's layers.
 *
 * `'auto'` tries tfjs-node-gpu, then tfjs-node, then wasm, then cpu. tfjs-node packages are
 * optional peers, only loaded by dynamic `import()`. The environment variable `GANKIT_BACKEND`
 * (one of the preference names) overrides the argument. Calling it again is cheap and harmless.
 *
 * @returns the name of the active tfjs backend (`'tensorflow'`, `'wasm'` or `'cpu'`).
 */
export async function setupBackend(preference: BackendPreference = 'auto', options: SetupBackendOptions = {}): Promise<string> {
  const fromEnv = typeof process !== 'undefined' ? process.env?.GANKIT_BACKEND : undefined;
  const wanted = (fromEnv && fromEnv.length > 0 ? fromEnv : preference) as BackendPreference;
  if (!PREFERENCES.includes(wanted)) {
    throw new Error(`setupBackend: preference must be one of ${PREFERENCES.join(', ')}; got '${wanted}'${fromEnv ? ' (from GANKIT_BACKEND)' : ''}`);
  }
  const candidates = wanted === 'auto' ? AUTO_ORDER : [wanted];
  const skipped: string[] = [];
  let chosen: string | undefined;
  for (const candidate of candidates) {
    try {
      chosen = await activate(candidate, options);
      break;
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
      if (wanted !== 'auto') throw new Error(`setupBackend: backend '${candidate}' is unavailable: ${reason}`);
      skipped.push(`${candidate}: ${reason}`);
    }
  }
  if (chosen === undefined) throw new Error(`setupBackend: no backend could be initialised (${skipped.join('; ')})`);
  installGankitKernels(chosen);
  registerGankitLayers();
  const report = `[gankit] backend: ${chosen}${fromEnv ? ' (GANKIT_BACKEND)' : ''}${skipped.length ? `; skipped ${skipped.join('; ')}` : ''}`;
  if (report !== lastReport) {
    (options.log ?? console.info)(report);
    lastReport = report;
  }
  return chosen;
}

async function activate(candidate: Exclude<BackendPreference, 'auto'>, options: SetupBackendOptions): Promise<string> {
  switch (candidate) {
    case 'node-gpu':
      await importOptional('@tensorflow/tfjs-node-gpu');
      return use('tensorflow');
    case 'tensorflow':
      await importOptional('@tensorflow/tfjs-node');
      return use('tensorflow');
    case 'wasm': {
      const wasm = await importOptional('@tensorflow/tfjs-backend-wasm');
      const paths = options.wasmPaths ?? (await nodeWasmDirectory());
      if (paths) wasm.setWasmPaths(paths);
      const threads = options.wasmThreads ?? Number(typeof process !== 'undefined' ? (process.env?.GANKIT_WASM_THREADS ?? 1) : 1);
      if (threads > 1 && tf.engine().registry['wasm'] == null) {
        const { prepareWasmThreads, finishWasmThreads } = await import('./wasm_threads.js');
        await prepareWasmThreads(threads);
        try {
          return await use('wasm');
        } finally {
          finishWasmThreads();
        }
      }
      return use('wasm');
    }
    case 'cpu':
      await importOptional('@tensorflow/tfjs-backend-cpu');
      return use('cpu');
  }
}

async function use(name: string): Promise<string> {
  if (tf.getBackend() === name) return name;
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
  return tf.getBackend();
}

/** Dynamic import that turns "module not found" into a short reason. */
async function importOptional(specifier: string): Promise<any> {
  try {
    return await import(/* @vite-ignore */ specifier);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const message = err instanceof Error ? err.message : String(err);
    const notFound =
      code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      (message.includes(specifier) && /cannot find|could not resolve|failed to (load|resolve)|does the file exist/i.test(message));
    if (notFound) throw new Error(`${specifier} is not installed`);
    throw err;
  }
}

/** In Node, the directory of the installed tfjs-backend-wasm's `.wasm` files (never a CDN). */
async function nodeWasmDirectory(): Promise<string | undefined> {
  if (typeof process === 'undefined' || !process.versions?.node) return undefined;
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  const require = createRequire(import.meta.url);
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  return path.join(path.dirname(main), path.sep);
}
