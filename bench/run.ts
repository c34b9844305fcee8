/**
 * `npm run bench`: run every benchmark case, one process per peer, and print one JSON line per
 * measurement with the ratio to the PyTorch peer measured in the same run.
 *
 * Peers: gankit-wasm, gankit-wasm-2t (two wasm threads via gankit's Node worker shim), gankit-cpu (pure JS; slow cases run once), stock-wasm (stock tfjs without
 * gankit's kernels — reports an error line where it cannot run), and pytorch-cpu (Debian's
 * /usr/bin/python3 with python3-torch, 2 threads; the BLAS it loaded is printed).
 * Peers alternate over `--rounds` rounds (default 2) so that load from other processes on the
 * machine hits all of them alike; each peer's median over rounds is reported.
 *
 * Each line carries `load1_at_start` (the 1-minute load average when its process started): on a
 * shared machine, compare peers only within one run.
 *
 * Other engineers' self-contained scripts directly in bench/ (`bench/<name>.ts`, which run their
 * own Python peer and print JSON lines) are run once each and their lines passed through.
 *
 * Ratios: `ratio_to_pytorch` (medians) and `min_ratio_to_pytorch` (fastest repetitions). The
 * PyTorch peer `pytorch-cpu` runs OpenBLAS on 2 threads (torch's own loops on 1: nesting torch's
 * threads over OpenBLAS's oversubscribes the cores); `pytorch-cpu-1t` is fully single-threaded.
 *
 * Options: --reps N (timed repetitions per case, default 5), --rounds N, --peers a,b,c,
 * --cases dcgan64,..., --table (also print a markdown table to stderr), --profile (each gankit
 * measurement also runs once under tf.profile: kernel time per kernel name and host reads per run,
 * in the JSON line's `profile`), --cases gemm (the GEMM microbench: each peer's fastest GEMM is
 * its measured peak, and every line of that peer gets `fraction_of_peak`), --batches 8,16,32,64 (cases that support it, e.g. dcgan64, also time
 * their training step at these batch sizes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

interface Case {
  name: string;
  ts: string;
  py?: string;
}
const CASES: Case[] = [
  { name: 'dcgan64', ts: 'bench/cases/dcgan64.ts', py: 'bench/peers/dcgan64.py' },
  { name: 'hologan64', ts: 'bench/cases/hologan64.ts', py: 'bench/peers/hologan64.py' },
  { name: 'gemm', ts: 'bench/cases/gemm.ts', py: 'bench/peers/gemm.py' },
];
const TS_PEERS = ['gankit-wasm', 'gankit-wasm-2t', 'gankit-cpu', 'stock-wasm'];

interface Line {
  case: string;
  peer: string;
  median_ms: number | null;
  gflops?: number | null;
  ratio_to_pytorch?: number | null;
  [k: string]: unknown;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const reps = arg('reps') ?? '5';
const rounds = Number(arg('rounds') ?? 2);
const peers = (arg('peers') ?? [...TS_PEERS, 'pytorch-cpu'].join(',')).split(',');
const onlyCases = arg('cases')?.split(',');

function runPeer(c: Case, peer: string, peerReps: string): Line[] {
  const isPy = peer.startsWith('pytorch-cpu');
  if (isPy && !c.py) return [];
  const cmd = isPy ? '/usr/bin/python3' : process.execPath;
  if (isPy && !existsSync(cmd)) return [{ case: c.name, peer, median_ms: null, error: '/usr/bin/python3 not found' }];
  // PyTorch: torch's own loops on 1 thread, OpenBLAS on 2 (pytorch-cpu) or N (pytorch-cpu-Nt) — see
  // bench/peers/dcgan64.py for why torch.set_num_threads(2) on top of OpenBLAS threads is not fair.
  const blasThreads = peer === 'pytorch-cpu' ? '2' : (peer.match(/-(\d+)t$/)?.[1] ?? '2');
  const batches = arg('batches') ? ['--batches', arg('batches')!] : [];
  const args = [...(isPy ? [c.py!, '--reps', peerReps, '--threads', '1'] : ['--import', 'tsx', c.ts, '--peer', peer, '--reps', peerReps]), ...batches];
  const load = os.loadavg()[0];
  const profile = process.argv.includes('--profile') && !isPy ? { GANKIT_BENCH_PROFILE: '1' } : {};
  const res = spawnSync(cmd, args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, OMP_NUM_THREADS: '1', ...profile, ...(isPy ? { OPENBLAS_NUM_THREADS: blasThreads } : {}) },
  });
  const lines = (res.stdout ?? '')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => ({ ...(JSON.parse(l) as Line), load1_at_start: Math.round(load * 100) / 100 }));
  if (res.status !== 0 && lines.length === 0) {
    return [{ case: c.name, peer, median_ms: null, error: (res.stderr ?? '').trim().split('\n').slice(-1)[0]?.slice(0, 200) ?? `exit ${res.status}` }];
  }
  return lines;
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const all: Line[] = [];
for (const c of CASES) {
  if (onlyCases && !onlyCases.includes(c.name)) continue;
  const byKey = new Map<string, Line[]>();
  for (let r = 0; r < rounds; r++) {
    for (const peer of peers) {
      // The pure-JS cpu peer is slow (tens of seconds per step): one round, one repetition.
      if (peer === 'gankit-cpu' && r > 0) continue;
      const lines = runPeer(c, peer, peer === 'gankit-cpu' ? '1' : reps);
      for (const l of lines) {
        const key = `${l.case}|${l.peer}`;
        byKey.set(key, [...(byKey.get(key) ?? []), l]);
      }
    }
  }
  const merged: Line[] = [...byKey.values()].map((ls) => {
    const ok = ls.filter((l) => l.median_ms != null);
    if (ok.length === 0) return ls[0];
    const ms = medianOf(ok.map((l) => l.median_ms as number));
    const min = Math.min(...ok.map((l) => (l.min_ms as number | undefined) ?? (l.median_ms as number)));
    const gflop = ok[0].gflop as number | undefined;
    return {
      ...ok[0],
      median_ms: Math.round(ms * 1000) / 1000,
      min_ms: Math.round(min * 1000) / 1000,
      gflops: gflop ? Math.round((gflop / (ms / 1000)) * 1000) / 1000 : ok[0].gflops,
      rounds: ok.length,
    };
  });
  for (const l of merged) {
    const torch = merged.find((m) => m.case === l.case && m.peer === 'pytorch-cpu');
    l.ratio_to_pytorch = torch?.median_ms && l.median_ms != null ? Math.round((l.median_ms / torch.median_ms) * 1000) / 1000 : null;
    l.min_ratio_to_pytorch = torch?.min_ms && l.min_ms != null ? Math.round(((l.min_ms as number) / (torch.min_ms as number)) * 1000) / 1000 : null;
    all.push(l);
  }
}

// The measured GEMM peak of each peer (its fastest GEMM of bench/cases/gemm.ts): every line of
// that peer gets the fraction of it that its effective GFLOP/s reaches.
const gemmPeak = new Map<string, number>();
for (const l of all) if (l.case.startsWith('gemm_') && typeof l.gflops === 'number') gemmPeak.set(l.peer, Math.max(gemmPeak.get(l.peer) ?? 0, l.gflops));
for (const l of all) {
  const peak = gemmPeak.get(l.peer);
  if (peak && typeof l.gflops === 'number') {
    l.gemm_peak_gflops = peak;
    l.fraction_of_peak = Math.round((l.gflops / peak) * 1000) / 1000;
  }
  process.stdout.write(`${JSON.stringify(l)}\n`);
}

// Self-contained benchmark scripts in bench/ (not this runner or its helpers).
const standalone = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'common.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => !onlyCases || onlyCases.includes(name))
  .sort();
for (const name of standalone) {
  const load = os.loadavg()[0];
  const res = spawnSync(process.execPath, ['--import', 'tsx', path.join('bench', `${name}.ts`)], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const lines = (res.stdout ?? '').split('\n').filter((l) => l.startsWith('{'));
  if (lines.length === 0) {
    const l: Line = { case: name, peer: 'script', median_ms: null, error: (res.stderr ?? '').trim().split('\n').slice(-1)[0]?.slice(0, 200) ?? `exit ${res.status}` };
    process.stdout.write(`${JSON.stringify(l)}\n`);
    all.push(l);
  }
  for (const raw of lines) {
    const l = { ...(JSON.parse(raw) as Line), script: `bench/${name}.ts`, load1_at_start: Math.round(load * 100) / 100 };
    process.stdout.write(`${JSON.stringify(l)}\n`);
    all.push(l);
  }
}

if (process.argv.includes('--table')) {
  const rows = all.map(
    (l) =>
      `| ${l.case} | ${l.peer} | ${l.median_ms ?? '—'} | ${l.min_ms ?? '—'} | ${l.gflops ?? '—'} | ${l.fraction_of_peak ?? '—'} | ${l.ratio_to_pytorch ?? l.ratio ?? '—'} | ${l.min_ratio_to_pytorch ?? '—'} | ${l.load1_at_start ?? ''} | ${l.error ?? ''} |`,
  );
  process.stderr.write(
    ['| case | peer | median ms | min ms | GFLOP/s | of GEMM peak | × PyTorch (median) | × PyTorch (min) | load | note |', '|---|---|---|---|---|---|---|---|---|---|', ...rows].join('\n') + '\n',
  );
}
