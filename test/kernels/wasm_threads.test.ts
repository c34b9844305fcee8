import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Threads must be requested before wasm is first initialised, so this runs in a fresh process.
describe('two wasm threads in Node (setupBackend wasmThreads)', () => {
  it('starts a 2-thread pool whose conv2d, matMul and conv weight gradient equal the cpu backend', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'test/kernels/wasm_threads_child.ts', '2'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    const line = (res.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
    expect(line, `child failed: ${res.stderr}`).toBeDefined();
    const out = JSON.parse(line!) as { backend: string; threads: number; maxRelDiff: number[]; error?: string };
    expect(out.error).toBeUndefined();
    expect(out.backend).toBe('wasm');
    expect(out.threads).toBe(2);
    for (const d of out.maxRelDiff) expect(d).toBeLessThan(1e-4);
  });
  it('rejects a bad thread count', async () => {
    const { prepareWasmThreads } = await import('../../src/backend/wasm_threads.js');
    await expect(prepareWasmThreads(0)).rejects.toThrow(/threads must be a positive integer; got 0/);
  });
});
