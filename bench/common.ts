/**
 * Shared helpers for gankit's benchmark case scripts. A case script runs in its own process for
 * one peer (`--peer gankit-wasm | gankit-wasm-2t | gankit-cpu | stock-wasm | stock-cpu`; `-2t` = two wasm
 * threads through gankit's Node worker shim) and prints one JSON line per
 * measurement to stdout; `bench/run.ts` collects them.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { setupBackend } from '../src/backend/setup.js';

export type Peer = 'gankit-wasm' | 'gankit-wasm-2t' | 'gankit-cpu' | 'stock-wasm' | 'stock-cpu';

export interface Measurement {
  case: string;
  peer: string;
  median_ms: number | null;
  /** Fastest repetition: on a shared machine the least disturbed by other processes. */
  min_ms?: number;
  reps: number;
  gflop?: number;
  gflops?: number | null;
  tensors_delta?: number;
  error?: string;
  note?: string;
}

export function parseArgs(argv = process.argv.slice(2)): { peer: Peer; reps: number; only?: string } {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const peer = (get('peer') ?? 'gankit-wasm') as Peer;
  if (!['gankit-wasm', 'gankit-wasm-2t', 'gankit-cpu', 'stock-wasm', 'stock-cpu'].includes(peer)) throw new Error(`bench: unknown --peer ${peer}`);
  return { peer, reps: Number(get('reps') ?? 5), only: get('only') };
}

/** Select the backend for a peer: gankit peers install gankit's kernels, stock peers do not. */
export async function usePeer(peer: Peer): Promise<void> {
  if (peer.startsWith('gankit-')) {
    await setupBackend(peer === 'gankit-cpu' ? 'cpu' : 'wasm', { log: () => {}, wasmThreads: peer === 'gankit-wasm-2t' ? 2 : 1 });
    return;
  }
  if (peer === 'stock-wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { createRequire } = await import('node:module');
    const path = await import('node:path');
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
    await tf.setBackend('wasm');
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
  }
  await tf.ready();
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Time `fn` (which must finish its work, e.g. by reading a value) `reps` times after `warmup`
 * runs; report the median, GFLOP/s for `gflop`, and the growth in live tensors across the timed runs.
 */
export async function measure(name: string, peer: string, fn: () => void | Promise<void>, opts: { reps: number; warmup?: number; gflop?: number }): Promise<Measurement> {
  try {
    for (let i = 0; i < (opts.warmup ?? 1); i++) await fn();
    const before = tf.memory().numTensors;
    const times: number[] = [];
    for (let i = 0; i < opts.reps; i++) {
      const t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }
    const ms = median(times);
    return {
      case: name,
      peer,
      median_ms: round(ms),
      min_ms: round(Math.min(...times)),
      reps: opts.reps,
      gflop: opts.gflop,
      gflops: opts.gflop ? round(opts.gflop / (ms / 1000)) : undefined,
      tensors_delta: tf.memory().numTensors - before,
    };
  } catch (err) {
    return { case: name, peer, median_ms: null, reps: 0, gflop: opts.gflop, error: (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200) };
  }
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function emit(m: Measurement): void {
  process.stdout.write(`${JSON.stringify(m)}\n`);
}
