/**
 * Benchmark of gankit/latent's heavy numeric paths against numpy / sklearn in the same run.
 *
 *   npx tsx bench/latent.ts [--n 100000] [--d 512] [--k 80] [--reps 3] [--cases pca_full,ipca,regression,svm]
 *                           [--engines js,wasm] [--large] [--large-ross]
 *   --large adds the 1M×512 streamed PCA (exact covariance); --large-ross also sklearn's IPCA algorithm
 *
 * Data (float32, seeded) is generated here and written to a temp folder that the Python peer
 * (bench/peers/latent.py, Debian /usr/bin/python3) memory-maps, so both sides see the same numbers.
 * The peer runs first, alone, then gankit. One JSON line per case: median ms, GFLOP/s of the
 * dominant product where meaningful, and `ratio` = gankit / peer wall time (lower is better; target ≤ 1.5).
 * `cpu_ms` / `cpu_ratio` compare process CPU time (the peer's summed over its BLAS threads): on a
 * shared, oversubscribed machine wall times swing ±2×, CPU times much less.
 * Engines: 'js' = float64 JavaScript kernels on the cpu backend; 'wasm' = the cross-products on
 * tfjs-backend-wasm's matMul (float32 chunks accumulated in float64).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setupBackend } from '../src/backend/setup.js';
import { IncrementalPca, linearRegression, pca, trainBoundary } from '../src/latent/index.js';
import { Random } from '../src/util/random.js';

const argv = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const N = Number(arg('n', '100000'));
const D = Number(arg('d', '512'));
const K = Number(arg('k', '80'));
const REPS = Number(arg('reps', '3'));
const SVM_N = Number(arg('svm-n', '10000'));
const CASES = arg('cases', 'pca_full,ipca,regression,svm').split(',');
const ENGINES = arg('engines', 'js,wasm').split(',') as ('js' | 'wasm')[];
const LARGE = argv.includes('--large');
/** Also stream 1M rows through sklearn IncrementalPCA's algorithm (~390 eigendecompositions: minutes). */
const LARGE_ROSS = argv.includes('--large-ross');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median CPU ms of the last {@link time} call (this process; gankit runs on one thread). */
let lastCpuMs = NaN;

function time(fn: () => void, reps: number, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const ts: number[] = [];
  const cs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cs.push((c.user + c.system) / 1000);
  }
  lastCpuMs = median(cs);
  return median(ts);
}

// ---------------------------------------------------------------- data
const rng = new Random(2024);
const scales = Float32Array.from({ length: D }, (_, j) => 3 * Math.exp(-j / 64) + 0.2);
const X = new Float32Array(N * D);
for (let r = 0; r < N; r++) for (let c = 0; c < D; c++) X[r * D + c] = scales[c] * rng.normal() + 0.1;
const T = 7;
const Bt = rng.normalArray(D * T);
const Y = new Float32Array(N * T);
for (let r = 0; r < N; r++) {
  for (let t = 0; t < T; t++) {
    let s = 0.5 * rng.normal();
    for (let c = 0; c < D; c++) s += X[r * D + c] * Bt[c * T + t];
    Y[r * T + t] = s;
  }
}
const u = rng.normalArray(D);
const S = new Float32Array(SVM_N * D);
const scores = new Float32Array(SVM_N);
for (let r = 0; r < SVM_N; r++) {
  let s = 0.3 * rng.normal();
  for (let c = 0; c < D; c++) {
    const v = rng.normal();
    S[r * D + c] = v;
    s += (v * u[c]) / Math.sqrt(D);
  }
  scores[r] = s;
}
const dir = mkdtempSync(path.join(tmpdir(), 'gankit-latent-bench-'));
const buf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
writeFileSync(path.join(dir, 'X.f32'), buf(X));
writeFileSync(path.join(dir, 'Y.f32'), buf(Y));
writeFileSync(path.join(dir, 'S.f32'), buf(S));
writeFileSync(path.join(dir, 'scores.f32'), buf(scores));

// ---------------------------------------------------------------- peer first, alone
const peer = new Map<string, { median_ms: number; cpu_ms: number; peer: string; blas: string }>();
const PEER_CASES = CASES.filter((c) => ['pca_full', 'ipca', 'regression', 'svm'].includes(c));
try {
  if (PEER_CASES.length === 0) throw new Error('no peer cases selected');
  const out = execFileSync(
    '/usr/bin/python3',
    [path.join('bench', 'peers', 'latent.py'), '--dir', dir, '--n', String(N), '--d', String(D), '--k', String(K), '--svm-n', String(SVM_N), '--reps', String(REPS), '--cases', PEER_CASES.join(',')],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const j = JSON.parse(line);
    peer.set(j.case, j);
  }
} catch (e) {
  console.error(`bench/latent: python peer failed (${(e as Error).message}); printing gankit timings only`);
}

function report(name: string, engine: string, ms: number, gflop?: number, note?: string): void {
  const p = peer.get(name);
  const line: Record<string, unknown> = {
    case: name,
    peer: `gankit-${engine}`,
    median_ms: Math.round(ms * 10) / 10,
    cpu_ms: Math.round(lastCpuMs * 10) / 10,
    reps: REPS,
    shape: name.startsWith('svm') ? [SVM_N, D] : [N, D],
  };
  if (gflop !== undefined) {
    line.gflop = Math.round(gflop * 100) / 100;
    line.gflops = Math.round((gflop / (ms / 1000)) * 100) / 100;
  }
  if (p) {
    line.python_ms = Math.round(p.median_ms * 10) / 10;
    line.python = p.peer;
    line.blas = p.blas;
    line.python_cpu_ms = Math.round(p.cpu_ms * 10) / 10;
    line.ratio = Math.round((ms / p.median_ms) * 100) / 100;
    line.cpu_ratio = Math.round((lastCpuMs / p.cpu_ms) * 100) / 100;
  }
  if (note) line.note = note;
  console.log(JSON.stringify(line));
}

// ---------------------------------------------------------------- gankit
async function main(): Promise<void> {
  const Xm = tf.tensor2d(X, [N, D]);
  const Ym = tf.tensor2d(Y, [N, T]);
  const Sm = tf.tensor2d(S, [SVM_N, D]);
  const gram = (N * D * D) / 1e9; // symmetric rank-N update, useful flops
  for (const engine of ENGINES) {
    await setupBackend(engine === 'wasm' ? 'wasm' : 'cpu', { log: () => {} });
    // tensors were created on the previous backend; reading them moves their data
    const eng = engine === 'wasm' ? 'tf' : 'js';
    if (CASES.includes('pca_full')) {
      const ms = time(() => tf.dispose(pca(Xm, K, { engine: eng }).components as tf.Tensor), REPS);
      report('pca_full', engine, ms, gram, `k=${K}; covariance XᵀX + float64 eigh`);
    }
    if (CASES.includes('ipca')) {
      const ms = time(() => pca(Xm, K, { method: 'incremental', batchSize: 5 * D, engine: eng }).components.dispose(), Math.max(1, REPS - 2), 0);
      report('ipca', engine, ms, gram, `k=${K}, batch ${5 * D}: sklearn IncrementalPCA's algorithm`);
      const ms2 = time(
        () => {
          const ip = new IncrementalPca(K, { algorithm: 'covariance', engine: eng });
          for (let r = 0; r < N; r += 5 * D) {
            const batch = tf.slice(Xm, [r, 0], [Math.min(5 * D, N - r), D]);
            ip.partialFit(batch);
            batch.dispose();
          }
          tf.dispose(ip.result().components as tf.Tensor);
        },
        Math.max(1, REPS - 2),
        0,
      );
      report('ipca', `${engine}-covariance`, ms2, gram, 'streamed exact covariance (equals full PCA), same batches');
    }
    if (CASES.includes('regression')) {
      const ms = time(() => linearRegression(Xm, Ym, { engine: eng }).coef.dispose(), REPS);
      report('regression', engine, ms, gram, `${T} outputs, normal equations in float64`);
    }
    if (CASES.includes('svm') && engine === ENGINES[0]) {
      for (const ratio of [0.02, 0.1]) {
        const ms = time(() => trainBoundary(Sm, Array.from(scores), { chosenNumOrRatio: ratio, seed: 0 }).boundary.dispose(), REPS + 2);
        report(`svm_boundary_r${ratio}`, 'js', ms, undefined, `InterFaceGAN train_boundary, ${2 * Math.floor(Math.floor(SVM_N * ratio) * 0.7)} training rows`);
      }
    }
  }
  if (LARGE) {
    // 1M × 512 streamed: batches are generated on the fly and dropped, never the whole matrix
    const rows = 1_000_000;
    const bs = 5 * D;
    const g = new Random(7);
    for (const algorithm of LARGE_ROSS ? (['covariance', 'ross'] as const) : (['covariance'] as const)) {
      await setupBackend(ENGINES.includes('wasm') ? 'wasm' : 'cpu', { log: () => {} });
      const ip = new IncrementalPca(K, { algorithm });
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      let genMs = 0;
      let genCpu = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const batch = new Float32Array(bs * D);
      for (let r = 0; r < rows; r += bs) {
        const b = Math.min(bs, rows - r);
        const tg = performance.now();
        const cg = process.cpuUsage();
        for (let i = 0; i < b * D; i++) batch[i] = scales[i % D] * g.normal();
        const cgd = process.cpuUsage(cg);
        genCpu += (cgd.user + cgd.system) / 1000;
        genMs += performance.now() - tg;
        const t = tf.tensor2d(batch.subarray(0, b * D), [b, D]);
        ip.partialFit(t);
        t.dispose();
        if ((r / bs) % 20 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }
      const res = ip.result();
      tf.dispose(res.components as tf.Tensor);
      const total = performance.now() - t0;
      const cu = process.cpuUsage(c0);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      console.log(
        JSON.stringify({
          case: 'ipca_1m_streamed',
          peer: `gankit-${tf.getBackend()}-${algorithm}`,
          median_ms: Math.round(total - genMs),
          cpu_ms: Math.round((cu.user + cu.system) / 1000 - genCpu),
          reps: 1,
          shape: [rows, D],
          data_generation_ms: Math.round(genMs),
          rss_growth_mb: Math.round((rssPeak - rssBefore) / 2 ** 20),
          note: `k=${K}, batches of ${bs} rows generated on the fly; the 1M×512 matrix (2 GB) is never held`,
        }),
      );
    }
  }
  tf.dispose([Xm, Ym, Sm]);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
