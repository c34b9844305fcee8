/** Run an example as a script: parse flags, set up the backend, run, write report.json/report.md. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { setupBackend } from '../../src/backend/index.js';
import { parseExampleArgs, type ExampleArgs } from './cli.js';
import { round, writeReport, type ExampleReport } from './report.js';

/** What an example's `run` receives: the parsed flags and the backend that was set up. */
export type ExampleRunArgs = ExampleArgs & { backendName: string };

/** What every example module exports. */
export interface ExampleModule {
  /** Directory name under out/ and the npm script suffix, e.g. '002-cheermeup'. */
  name: string;
  /** Runs the reproduction; writes figures into `args.out` and returns the report (written by the caller). */
  run(args: ExampleRunArgs): Promise<ExampleReport>;
}

/** Run `example` with flags from the command line when `moduleUrl` is the entry script. */
export function runIfMain(moduleUrl: string, example: ExampleModule): void {
  const entry = process.argv[1] ? path.resolve(process.argv[1]) : '';
  if (entry !== fileURLToPath(moduleUrl)) return;
  runExample(example, process.argv.slice(2)).catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}

export async function runExample(example: ExampleModule, argv: string[] | ExampleArgs): Promise<ExampleReport> {
  const args = Array.isArray(argv) ? parseExampleArgs(argv, path.join('out', example.name)) : argv;
  const backendName = await setupBackend(args.backend);
  console.log(`${example.name}: seed ${args.seed}, backend ${backendName}, ${args.mode} mode, data ${args.data ?? 'embedded'}, out ${args.out}`);
  // read before the run: the run writes tracked outputs (checkpoints, docs/results figures) that would mark the tree dirty
  const commit = gitCommit();
  const start = Date.now();
  const report = await example.run({ ...args, backendName });
  report.seconds = (Date.now() - start) / 1000;
  report.commit = commit;
  if (args.checkpoints) report.fromCheckpoints = true;
  report.machine = await machineFacts(backendName);
  writeReport(args.out, report);
  console.log(`${example.name}: wrote ${path.join(args.out, 'report.md')} (${report.seconds.toFixed(1)} s)`);
  return report;
}

/** `git rev-parse HEAD` of the working tree (`+dirty` with uncommitted changes to tracked files), or 'unknown' outside a checkout. Read it before an example writes its outputs. */
export function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().length > 0;
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

async function machineFacts(backend: string): Promise<NonNullable<ExampleReport['machine']>> {
  const cpus = os.cpus();
  let wasmThreads: number | undefined;
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasmThreads = wasm.getThreadsCount();
  }
  const script = path.relative(process.cwd(), process.argv[1] ?? '');
  return {
    command: ['npx tsx', script, ...process.argv.slice(2)].join(' ').trim(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    node: process.version,
    backend,
    ...(wasmThreads ? { wasmThreads } : {}),
  };
}

/** Progress logging for an example run: `log` prefixes the example's name, `elapsed` is wall time since the call, `cpuSeconds` process CPU time (user + system, 0.1 s). */
export function runClock(name: string): { log(m: string): void; elapsed(): string; cpuSeconds(): number } {
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  return {
    log: (m: string): void => console.log(`${name}: ${m}`),
    elapsed: (): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`,
    cpuSeconds: (): number => {
      const cpu = process.cpuUsage(cpu0);
      return round((cpu.user + cpu.system) / 1e6, 1);
    },
  };
}
