/**
 * Memory check (issue #18): no tensor growth and bounded RSS over many training steps of a small
 * model and over many calls of each latent tool. Prints one JSON line:
 * `{ bench: 'memory', backend, training: { steps, tensorGrowth, rssGrowthMb, … }, latent: [{ tool, calls, tensorGrowth, rssGrowthMb }, …] }`.
 *
 *   node --expose-gc --import tsx bench/memory.ts [--steps 1000] [--calls 1000]
 *
 * Tensor growth is `tf.memory().numTensors` after the loop minus before it (after one warm-up
 * round, with every returned tensor disposed): it must be 0. RSS growth is measured after a
 * `global.gc()` when `--expose-gc` is on (without it the figure includes garbage not yet
 * collected, so it is an upper bound); `rssSecondHalfMb` is the growth over the loop's second half,
 * after allocator pools and JIT warm-up have settled — a leak shows there. test/reliability/memory.test.ts runs a shorter version.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { pathToFileURL } from 'node:url';
import { setupBackend } from '../src/backend/setup.js';
import {
  IncrementalPca,
  applyAttribute,
  applyLinearWalk,
  attributeVector,
  brightnessEdit,
  colorEdit,
  gramSchmidt,
  lerp,
  linearInterpolate,
  linearRegression,
  linearSvm,
  pca,
  projectBoundary,
  sampleLatents,
  shiftEdit,
  slerp,
  zoomEdit,
} from '../src/latent/index.js';
import { Adam, ExponentialMovingAverage, Trainer } from '../src/train/index.js';
import { Random } from '../src/util/random.js';

export interface MemoryFigure {
  tensorGrowth: number;
  /** RSS after the loop minus RSS before it, MB (after a GC when available). */
  rssGrowthMb: number;
  /** Highest RSS seen during the loop minus RSS before it, MB. */
  rssPeakMb: number;
  /** V8 heap in use after the loop minus before it, MB (after a GC when available): JS objects kept alive. */
  heapGrowthMb: number;
  /** RSS after the loop minus RSS at its half-way point, MB: what keeps growing once allocators and JIT have settled. */
  rssSecondHalfMb: number;
  ms: number;
}

const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;

/** Dispose every tensor reachable in a returned value (results are objects and arrays of tensors). */
function disposeDeep(x: unknown, seen = new Set<unknown>()): void {
  if (x == null || typeof x !== 'object' || seen.has(x)) return;
  seen.add(x);
  if (x instanceof tf.Tensor) {
    if (!(x instanceof tf.Variable)) x.dispose();
    return;
  }
  for (const v of Array.isArray(x) ? x : Object.values(x)) disposeDeep(v, seen);
}

/** Run `fn` `n` times after one warm-up call; tensor and RSS growth across the loop. */
export function measure(n: number, fn: (i: number) => unknown): MemoryFigure {
  disposeDeep(fn(-1));
  gc?.();
  const tensors0 = tf.memory().numTensors;
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  let peak = rss0;
  let rssMid = rss0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    if (i === Math.floor(n / 2)) {
      gc?.();
      rssMid = process.memoryUsage().rss;
    }
    disposeDeep(fn(i));
    if (i % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const ms = performance.now() - t0;
  gc?.();
  const rss1 = process.memoryUsage().rss;
  const heap1 = process.memoryUsage().heapUsed;
  peak = Math.max(peak, rss1);
  const round = (b: number) => Math.round((b / MB) * 10) / 10;
  return {
    tensorGrowth: tf.memory().numTensors - tensors0,
    rssGrowthMb: round(rss1 - rss0),
    rssPeakMb: round(peak - rss0),
    rssSecondHalfMb: round(rss1 - rssMid),
    heapGrowthMb: round(heap1 - heap0),
    ms: Math.round(ms),
  };
}

/** A small GAN-shaped trainer (two dense updates, Adam, EMA, sample noise) over seeded data. */
export function smallTrainer(): { trainer: Trainer; dispose: () => void } {
  const rng = new Random(5);
  const variable = (r: number, c: number) => tf.variable(tf.tensor(rng.normalArray(r * c, 0, 0.3), [r, c]));
  const g = [variable(8, 32), variable(32, 16)];
  const d = [variable(16, 32), variable(32, 1)];
  const G = (z: tf.Tensor) => tf.matMul(tf.relu(tf.matMul(z, g[0])), g[1]);
  const D = (x: tf.Tensor) => tf.matMul(tf.relu(tf.matMul(x, d[0])), d[1]);
  const ema = new ExponentialMovingAverage(g, { beta: 0.99 });
  const trainer = new Trainer({
    seed: 3,
    data: ({ rng: r }) => tf.tensor(r.normalArray(16 * 16), [16, 16]),
    ema,
    sample: G,
    sampleNoiseShape: [4, 8],
    updates: [
      {
        name: 'D',
        variables: d,
        optimizer: new Adam({ learningRate: 1e-3 }),
        loss: (ctx) => tf.sub(tf.mean(tf.softplus(tf.neg(D(ctx.batch as tf.Tensor)))), tf.mean(tf.softplus(D(G(tf.randomNormal([16, 8], 0, 1, 'float32', ctx.step)))))) as tf.Scalar,
      },
      { name: 'G', variables: g, optimizer: new Adam({ learningRate: 1e-3 }), loss: (ctx) => tf.mean(tf.softplus(tf.neg(D(G(tf.randomNormal([16, 8], 0, 1, 'float32', ctx.step + 1)))))) as tf.Scalar },
    ],
  });
  return { trainer, dispose: () => (trainer.dispose(), ema.dispose(), tf.dispose([...g, ...d])) };
}

/** Each latent tool with small seeded inputs; every call's result is disposed by {@link measure}. */
export function latentTools(): { name: string; call: (i: number) => unknown }[] {
  const rng = new Random(11);
  const X = tf.tensor2d(rng.normalArray(64 * 16), [64, 16]);
  const rows = X.arraySync() as number[][];
  const labels = rows.map((r) => (r[0] + 0.3 * r[1] > 0 ? 1 : 0));
  const y = rows.map((r) => [r[0] - r[2]]);
  const a = tf.tensor2d(rng.normalArray(4 * 16), [4, 16]);
  const b = tf.tensor2d(rng.normalArray(4 * 16), [4, 16]);
  const unit = Array.from({ length: 16 }, (_, j) => (j === 0 ? 1 : 0));
  const other = Array.from({ length: 16 }, (_, j) => (j === 1 ? 1 : 0));
  const images = tf.tensor4d(rng.uniformArray(2 * 16 * 16 * 3, -1, 1), [2, 16, 16, 3]);
  const walk = tf.tensor2d(rng.normalArray(16), [16, 1]);
  const columns = tf.transpose(a); // gramSchmidt orthogonalises the columns of [dim, n]
  const code = tf.slice(X, [0, 0], [1, 16]);
  const ipca = new IncrementalPca(4);
  return [
    { name: 'sampleLatents', call: (i) => sampleLatents(8, 16, { seed: i }) },
    { name: 'lerp', call: () => lerp(a, b, [0, 0.5, 1]) },
    { name: 'slerp', call: () => slerp(a, b, [0, 0.5, 1]) },
    { name: 'pca', call: () => pca(X, 4) },
    { name: 'IncrementalPca.partialFit', call: () => void ipca.partialFit(X) },
    { name: 'gramSchmidt', call: () => gramSchmidt(columns) },
    { name: 'linearRegression', call: () => linearRegression(X, y) },
    { name: 'linearSvm', call: () => linearSvm(rows, labels, { maxIter: 2000 }) },
    { name: 'attributeVector', call: () => attributeVector(X, labels) },
    { name: 'applyAttribute', call: () => applyAttribute(X, unit, 0.5) },
    { name: 'projectBoundary', call: () => projectBoundary(unit, other) },
    { name: 'linearInterpolate', call: () => linearInterpolate(code, unit, { steps: 5 }) },
    { name: 'applyLinearWalk', call: () => applyLinearWalk(a, walk, 0.5) },
    { name: 'zoomEdit', call: () => zoomEdit(images as tf.Tensor4D, 1.5) },
    { name: 'shiftEdit', call: () => shiftEdit(images as tf.Tensor4D, 3) },
    { name: 'colorEdit', call: () => colorEdit(images as tf.Tensor4D, [0.1, -0.1, 0.2]) },
    { name: 'brightnessEdit', call: () => brightnessEdit(images as tf.Tensor4D, 0.2) },
  ];
}

export interface MemoryReport {
  bench: 'memory';
  backend: string;
  gc: boolean;
  training: MemoryFigure & { steps: number };
  latent: (MemoryFigure & { tool: string; calls: number })[];
}

/** The whole check: `steps` training steps, then `calls` calls of each latent tool. */
export async function memoryReport(options: { steps: number; calls: number }): Promise<MemoryReport> {
  const backend = await setupBackend('cpu', { log: () => {} });
  const { trainer, dispose } = smallTrainer();
  const training = { steps: options.steps, ...measure(options.steps, () => trainer.runStep()) };
  disposeDeep(trainer.sample());
  dispose();
  const latent = latentTools().map(({ name, call }) => ({ tool: name, calls: options.calls, ...measure(options.calls, call) }));
  return { bench: 'memory', backend, gc: gc != null, training, latent };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const arg = (name: string, def: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : def);
  tf.env().set('PROD', true);
  console.log(JSON.stringify(await memoryReport({ steps: arg('steps', 1000), calls: arg('calls', 1000) })));
}
