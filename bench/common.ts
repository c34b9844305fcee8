/**
 * Shared helpers for gankit's benchmark case scripts. A case script runs in its own process for
 * one peer (`--peer gankit-wasm | gankit-wasm-2t | gankit-cpu | stock-wasm | stock-cpu`; `-2t` = two wasm
 * threads through gankit's Node worker shim) and prints one JSON line per
 * measurement to stdout; `bench/run.ts` collects them.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { setupBackend } from '../src/backend/setup.js';
import { countHostReads } from '../src/util/host_reads.js';

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
  /** With `--profile`: one run's kernel time by kernel name (largest first) and its host reads. */
  profile?: KernelProfile;
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
    const profile = process.env.GANKIT_BENCH_PROFILE === '1' ? await profileOnce(fn) : undefined;
    return {
      case: name,
      peer,
      median_ms: round(ms),
      min_ms: round(Math.min(...times)),
      reps: opts.reps,
      gflop: opts.gflop,
      gflops: opts.gflop ? round(opts.gflop / (ms / 1000)) : undefined,
      tensors_delta: tf.memory().numTensors - before,
      ...(profile ? { profile } : {}),
    };
  } catch (err) {
    return { case: name, peer, median_ms: null, reps: 0, gflop: opts.gflop, error: (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200) };
  }
}

export interface KernelProfile {
  /** Wall ms of the profiled run (slower than the timed ones: the profiler syncs after every kernel). */
  totalMs: number;
  /** Sum of the kernels' own times; the rest is JS between kernels (tape, allocation, tidy). */
  kernelMs: number;
  kernelCalls: number;
  /** Host reads (`dataSync`, `data`, …) the run made. */
  hostReads: number;
  /** Time per kernel name, largest first: ms, share of kernelMs, calls. */
  kernels: { name: string; ms: number; share: number; calls: number }[];
}

/** Run `fn` once under `tf.profile`, grouping kernel times by kernel name. */
async function profileOnce(fn: () => void | Promise<void>): Promise<KernelProfile> {
  let hostReads = 0;
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    hostReads = countHostReads(() => {
      void fn();
    });
  });
  const totalMs = performance.now() - t0;
  const byName = new Map<string, { ms: number; calls: number }>();
  let kernelMs = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    kernelMs += ms;
    const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += ms;
    e.calls += 1;
    byName.set(k.name, e);
  }
  const kernels = [...byName.entries()].map(([name, e]) => ({ name, ms: round(e.ms), share: round(kernelMs > 0 ? e.ms / kernelMs : 0), calls: e.calls })).sort((a, b) => b.ms - a.ms);
  return { totalMs: round(totalMs), kernelMs: round(kernelMs), kernelCalls: info.kernels.length, hostReads, kernels };
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function emit(m: Measurement): void {
  process.stdout.write(`${JSON.stringify(m)}\n`);
}
