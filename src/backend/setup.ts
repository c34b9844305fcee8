import * as tf from '@tensorflow/tfjs-core';
import { installGankitKernels } from './kernels/index.js';
import { registerGankitLayers } from '../layers/register.js';
import { isHostMemoryBackend } from '../util/host_memory_backend.js';
import { describeGpuAdapter, noAdapterHint, type GpuAdapterDescription } from './webgpu.js';

/**
 * Which backend `setupBackend` should use. `'tensorflow'` is tfjs-node (CPU), `'node-gpu'` is
 * tfjs-node-gpu, `'webgpu'` is tfjs-backend-webgpu (in Node through the optional peer `webgpu`),
 * `'webgl'` is tfjs-backend-webgl (browsers only).
 */
export type BackendPreference = 'auto' | 'node-gpu' | 'webgpu' | 'webgl' | 'tensorflow' | 'wasm' | 'cpu';

export interface SetupBackendOptions {
  /** Where tfjs-backend-wasm's `.wasm` files are served from (browsers). In Node they load from the installed package. */
  wasmPaths?: string;
  /** Receives the one-line report of the backend chosen and why others were skipped. Default: `console.info`, once. */
  log?: (message: string) => void;
  /**
   * How many threads tfjs-backend-wasm uses; also the env var `GANKIT_WASM_THREADS` (the option wins).
   * Default `'auto'`: in Node, `os.availableParallelism()` (through the shim in `wasm_threads.ts`);
   * in browsers, `navigator.hardwareConcurrency` when the page is `crossOriginIsolated` (wasm
   * threads need SharedArrayBuffer), else one thread with a console note. Takes effect only before
   * wasm is first initialised.
   */
  wasmThreads?: number | 'auto';
}

const PREFERENCES: readonly BackendPreference[] = ['auto', 'node-gpu', 'webgpu', 'webgl', 'tensorflow', 'wasm', 'cpu'];
/** `'auto'`: a real GPU first, then native CPU, then wasm; webgl is tried in browsers only. */
const autoOrder = (): readonly Exclude<BackendPreference, 'auto'>[] => (isNode() ? ['node-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu']);

let lastReport: string | undefined;

/**
 * Select and initialise a tfjs backend that can train gankit models, then install gankit's
 * kernel/gradient patches for it and register gankit's layers.
 *
 * `'auto'` tries tfjs-node-gpu, then WebGPU on an adapter that is **not** a CPU emulator
 * (SwiftShader, llvmpipe and fallback adapters are skipped: they are taken only when `'webgpu'`
 * is asked for by name), then tfjs-node, then wasm, then cpu; in browsers webgpu, webgl, wasm,
 * cpu. tfjs-node, tfjs-backend-webgpu, tfjs-backend-webgl and `webgpu` (Dawn, for Node) are
 * optional peers, only loaded by dynamic `import()`. The environment variable `GANKIT_BACKEND`
 * (one of the preference names) overrides the argument. Calling it again is cheap and harmless.
 * {@link describeBackend} says what was chosen (the GPU adapter too).
 *
 * @returns the name of the active tfjs backend (`'tensorflow'`, `'webgpu'`, `'webgl'`, `'wasm'` or `'cpu'`).
 */
export async function setupBackend(preference: BackendPreference = 'auto', options: SetupBackendOptions = {}): Promise<string> {
  const fromEnv = typeof process !== 'undefined' ? process.env?.GANKIT_BACKEND : undefined;
  const wanted = (fromEnv && fromEnv.length > 0 ? fromEnv : preference) as BackendPreference;
  if (!PREFERENCES.includes(wanted)) {
    throw new Error(`setupBackend: preference must be one of ${PREFERENCES.join(', ')}; got '${wanted}'${fromEnv ? ' (from GANKIT_BACKEND)' : ''}`);
  }
  const candidates = wanted === 'auto' ? autoOrder() : [wanted];
  const skipped: string[] = [];
  let chosen: string | undefined;
  for (const candidate of candidates) {
    try {
      chosen = await activate(candidate, options, wanted === 'auto');
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
  const threads =
    chosen === 'wasm'
      ? ` (${wasmThreadsInUse()} thread${wasmThreadsInUse() === 1 ? '' : 's'})`
      : chosen === 'webgpu' && webgpuAdapter
        ? ` (${[webgpuAdapter.vendor, webgpuAdapter.architecture].filter(Boolean).join(' ') || 'unnamed adapter'}${webgpuAdapter.isEmulator ? ', a CPU emulator: for parity, not speed' : ''})`
        : '';
  const report = `[gankit] backend: ${chosen}${threads}${fromEnv ? ' (GANKIT_BACKEND)' : ''}${skipped.length ? `; skipped ${skipped.join('; ')}` : ''}`;
  if (report !== lastReport) {
    (options.log ?? console.info)(report);
    lastReport = report;
  }
  return chosen;
}

let webgpuAdapter: GpuAdapterDescription | undefined;

async function activate(candidate: Exclude<BackendPreference, 'auto'>, options: SetupBackendOptions, auto: boolean): Promise<string> {
  switch (candidate) {
    case 'webgpu': {
      if (auto && isNode() && !(await mayHaveGpu())) throw new Error('no GPU device (/dev/dri/renderD*, /dev/nvidia*)');
      const adapter = await describeGpuAdapter();
      if (adapter == null) throw new Error(noAdapterHint());
      if (auto && adapter.isEmulator) throw new Error(`the WebGPU adapter is a CPU emulator (${adapter.vendor} ${adapter.architecture}); ask for 'webgpu' by name to use it`);
      await importOptional('@tensorflow/tfjs-backend-webgpu');
      webgpuAdapter = adapter;
      const name = await use('webgpu');
      explainSyncReads();
      return name;
    }
    case 'webgl':
      if (isNode()) throw new Error('webgl needs a browser (Node has no WebGL context; use webgpu)');
      await importOptional('@tensorflow/tfjs-backend-webgl');
      return use('webgl');
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
      wasmModule = wasm;
      const threads = await resolveWasmThreads(options);
      if (tf.engine().registry['wasm'] == null) {
        if (isNode()) {
          if (threads > 1) {
            const { prepareWasmThreads, finishWasmThreads } = await import('./wasm_threads.js');
            await prepareWasmThreads(threads);
            try {
              return await use('wasm');
            } finally {
              finishWasmThreads();
            }
          }
        } else {
          wasm.setThreadsCount(threads);
        }
      }
      return use('wasm');
    }
    case 'cpu':
      await importOptional('@tensorflow/tfjs-backend-cpu');
      return use('cpu');
  }
}

/**
 * On Linux, whether a GPU device node exists; elsewhere (macOS Metal, Windows D3D12) assume so.
 * `'auto'` checks this before loading Dawn, so machines without a GPU don't pay for it (nor
 * see Vulkan's complaints about software drivers).
 */
async function mayHaveGpu(): Promise<boolean> {
  if (process.platform !== 'linux') return true;
  const fs = await import('node:fs');
  const has = (dir: string, pattern: RegExp): boolean => {
    try {
      return fs.readdirSync(dir).some((f) => pattern.test(f));
    } catch {
      return false;
    }
  };
  return has('/dev/dri', /^renderD\d+$/) || has('/dev', /^nvidia\d+$/);
}

const isNode = (): boolean => typeof process !== 'undefined' && process.versions?.node != null;

/**
 * The wasm thread count asked for: the option, else `GANKIT_WASM_THREADS`, else `'auto'` (all
 * cores in Node; `hardwareConcurrency` in a cross-origin-isolated page; otherwise 1, with a note).
 */
export async function resolveWasmThreads(options: Pick<SetupBackendOptions, 'wasmThreads' | 'log'> = {}): Promise<number> {
  const fromEnv = isNode() ? process.env?.GANKIT_WASM_THREADS : undefined;
  const asked = options.wasmThreads ?? (fromEnv && fromEnv.length > 0 ? (fromEnv === 'auto' ? 'auto' : Number(fromEnv)) : 'auto');
  if (asked !== 'auto') {
    if (!Number.isInteger(asked) || asked < 1) {
      throw new Error(
        `setupBackend: wasmThreads must be a positive integer or 'auto'; got ${String(options.wasmThreads ?? fromEnv)}${options.wasmThreads == null ? ' (from GANKIT_WASM_THREADS)' : ''}`,
      );
    }
    return asked;
  }
  if (isNode()) {
    const os = await import('node:os');
    return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  }
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  if (g.crossOriginIsolated === true) return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
  (options.log ?? console.info)(
    '[gankit] wasm runs on 1 thread: the page is not crossOriginIsolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp for multi-threaded wasm)',
  );
  return 1;
}

let wasmModule: { getThreadsCount(): number } | undefined;

/**
 * tfjs-backend-webgpu reads synchronously (`dataSync`, `arraySync`) through an OffscreenCanvas,
 * which Node lacks, and then fails with "OffscreenCanvas is not defined". Replace that with an
 * error that says what to do (values already downloaded are still returned).
 */
function explainSyncReads(): void {
  if (typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas !== 'undefined') return;
  const backend = tf.backend() as unknown as { readSync(dataId: object): unknown; tensorMap: { get(id: object): { values?: unknown } | undefined }; gankitReadSync?: boolean };
  if (backend.gankitReadSync) return;
  const stock = backend.readSync.bind(backend);
  backend.readSync = (dataId: object) => {
    if (backend.tensorMap.get(dataId)?.values != null) return stock(dataId);
    throw new Error(
      'webgpu in Node cannot read a tensor synchronously (dataSync/arraySync need an OffscreenCanvas): use `await tensor.data()` / `await tensor.array()`, or the async gankit APIs (Trainer.runStepAsync, flushMetricsAsync)',
    );
  };
  backend.gankitReadSync = true;
}

/** What {@link describeBackend} reports. */
export interface BackendDescription {
  /** The active tfjs backend. */
  backend: string;
  /** wasm threads (1 on other backends). */
  threads: number;
  /** The WebGPU adapter, when the backend is webgpu. */
  adapter?: GpuAdapterDescription;
  /** True where tensors live in host memory (cpu, wasm, tensorflow): reading them is cheap. */
  hostMemory: boolean;
}

/** The active backend, its wasm threads, and on webgpu the adapter's vendor and architecture. */
export function describeBackend(): BackendDescription {
  const backend = tf.getBackend();
  return {
    backend,
    threads: backend === 'wasm' ? wasmThreadsInUse() : 1,
    ...(backend === 'webgpu' && webgpuAdapter ? { adapter: { ...webgpuAdapter } } : {}),
    hostMemory: isHostMemoryBackend(backend),
  };
}

/** Threads of the initialised wasm backend (1 before it is initialised). */
function wasmThreadsInUse(): number {
  try {
    return wasmModule?.getThreadsCount() ?? 1;
  } catch {
    return 1;
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
      code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || (message.includes(specifier) && /cannot find|could not resolve|failed to (load|resolve)|does the file exist/i.test(message));
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
