/**
 * Child processes for the reliability tests: run a fixture script under `test/reliability/fixtures`
 * as its own Node process, read its stdout line by line, and SIGKILL it.
 *
 * Start-up time decides how many kill rounds fit in a test, so the fixture is bundled once per test
 * file with esbuild (a dependency of tsx and vitest) into a plain `.mjs` — about 0.4 s per start
 * instead of 1.8 s through `node --import tsx` — falling back to tsx when esbuild is absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A command that runs `fixtures/<name>.ts`: `[executable, ...args]`. Bundles into `outDir` when it can. */
export async function fixtureCommand(name: string, outDir: string): Promise<string[]> {
  const source = path.join(FIXTURES, `${name}.ts`);
  try {
    const esbuild = await import('esbuild');
    const outfile = path.join(outDir, `${name}.mjs`);
    await esbuild.build({
      entryPoints: [source],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'error',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    return [process.execPath, outfile];
  } catch {
    return [process.execPath, '--import', 'tsx', source];
  }
}

export interface Child {
  process: ChildProcess;
  /** stdout lines so far. */
  lines: string[];
  /** Resolves on the first stdout line matching `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<string>;
  /** Resolves with the exit code (null) and signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

const running = new Set<ChildProcess>();

/** SIGKILL every child this test file started that still runs (for afterAll, after a failure). */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

export function startChild(command: string[], args: string[]): Child {
  const child = spawn(command[0], [...command.slice(1), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (err: Error) => void }[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let at: number;
    while ((at = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.pattern.test(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    // 'close' comes after stdout and stderr have ended, so every line has been seen
    child.on('close', (code, signal) => {
      running.delete(child);
      for (const w of waiters.splice(0)) w.reject(new Error(`child exited (code ${code}, signal ${signal}) before printing ${w.pattern}; stderr: ${stderr}`));
      resolve({ code, signal, stderr });
    });
  });
  return {
    process: child,
    lines,
    exited,
    waitFor: (pattern) => {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
  };
}
