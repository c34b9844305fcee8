import { spawnSync } from 'node:child_process';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveWasmThreads } from '../../src/backend/setup.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ChildResult {
  backend: string;
  threads: number;
  log: string;
  maxRelDiff: number[];
  values: number[][];
  error?: string;
}

/** Runs the child with `threads` ('auto' = no option, no env var) and returns its JSON line. */
function runChild(threads: string, env: Record<string, string> = {}): ChildResult {
  const childEnv = { ...process.env, ...env };
  if (!('GANKIT_WASM_THREADS' in env)) delete childEnv.GANKIT_WASM_THREADS;
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'test/kernels/wasm_threads_child.ts', threads], { cwd: root, encoding: 'utf8', timeout: 60_000, env: childEnv });
  expect(res.signal, `child did not exit by itself (pool kept Node alive?): ${res.stderr}`).toBeNull();
  const line = (res.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
  expect(line, `child failed: ${res.stderr}`).toBeDefined();
  const out = JSON.parse(line!) as ChildResult;
  expect(out.error).toBeUndefined();
  expect(res.status).toBe(0);
  return out;
}

// Threads must be requested before wasm is first initialised, so each case runs in a fresh process.
describe('wasm threads in Node (setupBackend wasmThreads)', () => {
  it('uses os.availableParallelism() threads by default, says so in its report, and exits by itself', () => {
    const out = runChild('auto');
    expect(out.backend).toBe('wasm');
    expect(out.threads).toBe(os.availableParallelism());
    expect(out.log).toContain(`wasm (${out.threads} thread${out.threads === 1 ? '' : 's'})`);
    for (const d of out.maxRelDiff) expect(d).toBeLessThan(1e-4);
  });
  it('gives the same conv2d, matMul and conv weight gradient on 2 threads as on 1 thread and on cpu', () => {
    const one = runChild('1');
    const two = runChild('2');
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    for (const d of [...one.maxRelDiff, ...two.maxRelDiff]) expect(d).toBeLessThan(1e-4);
    for (let i = 0; i < one.values.length; i++) {
      const maxDiff = one.values[i].reduce((m, v, j) => Math.max(m, Math.abs(v - two.values[i][j]) / (1 + Math.abs(v))), 0);
      expect(maxDiff, `output ${i}`).toBeLessThan(1e-5);
    }
  });
  it('takes GANKIT_WASM_THREADS when no option is given', () => {
    expect(runChild('auto', { GANKIT_WASM_THREADS: '1' }).threads).toBe(1);
  });
});

describe('resolveWasmThreads', () => {
  it('prefers the option, then GANKIT_WASM_THREADS, then all cores', async () => {
    const saved = process.env.GANKIT_WASM_THREADS;
    try {
      process.env.GANKIT_WASM_THREADS = '3';
      expect(await resolveWasmThreads({ wasmThreads: 2 })).toBe(2);
      expect(await resolveWasmThreads()).toBe(3);
      delete process.env.GANKIT_WASM_THREADS;
      expect(await resolveWasmThreads()).toBe(os.availableParallelism());
      expect(await resolveWasmThreads({ wasmThreads: 'auto' })).toBe(os.availableParallelism());
    } finally {
      if (saved === undefined) delete process.env.GANKIT_WASM_THREADS;
      else process.env.GANKIT_WASM_THREADS = saved;
    }
  });
  it('rejects a bad thread count, naming where it came from', async () => {
    await expect(resolveWasmThreads({ wasmThreads: 0 })).rejects.toThrow(/wasmThreads must be a positive integer or 'auto'; got 0/);
    const saved = process.env.GANKIT_WASM_THREADS;
    process.env.GANKIT_WASM_THREADS = 'many';
    try {
      await expect(resolveWasmThreads()).rejects.toThrow(/got many \(from GANKIT_WASM_THREADS\)/);
    } finally {
      if (saved === undefined) delete process.env.GANKIT_WASM_THREADS;
      else process.env.GANKIT_WASM_THREADS = saved;
    }
  });
  it('rejects a bad count in prepareWasmThreads too', async () => {
    const { prepareWasmThreads } = await import('../../src/backend/wasm_threads.js');
    await expect(prepareWasmThreads(0)).rejects.toThrow(/threads must be a positive integer; got 0/);
  });
});
