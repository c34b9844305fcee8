/**
 * `npm run bench:gpu`: DCGAN-64 (batch 64, one D + one G step) and HoloGAN-64 (batch 8, one G step)
 * on a GPU backend — webgpu (Dawn in Node, `npm i webgpu`) and tfjs-node-gpu when it is installed —
 * against PyTorch CUDA on the same card when torch sees one (bench/gpu/peer_cuda.py). One JSON line
 * per measurement, with `ratio_to_pytorch_cuda` where the peer ran.
 *
 * Every step ends with one asynchronous read (`await loss.data()`), so the timing includes the GPU
 * work and never a synchronous stall. On a CPU-emulated adapter (SwiftShader, llvmpipe) the lines
 * say `"emulated": true`: those numbers prove the path runs (and `tensors_delta` that nothing
 * grows), never speed.
 *
 * Options: --reps N (default 10), --backends webgpu,node-gpu (default: both, where available),
 * --no-torch.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeBackend, setupBackend } from '../../src/backend/index.js';
import { buildHoloGanDiscriminator, buildHoloGanGenerator } from '../../src/models/hologan.js';
import { STEP_GFLOP, buildDiscriminator, buildGenerator, makeStepLosses } from '../cases/dcgan64.js';
import { median, round } from '../common.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const REPS = Number(arg('reps') ?? 10);
const BACKENDS = (arg('backends') ?? 'webgpu,node-gpu').split(',');

interface Line {
  case: string;
  peer: string;
  median_ms: number | null;
  [key: string]: unknown;
}

async function time(step: () => Promise<void>, reps: number): Promise<{ median: number; min: number; tensorsDelta: number }> {
  await step(); // warm-up: shader compilation, optimizer slots
  const before = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  return { median: median(times), min: Math.min(...times), tensorsDelta: tf.memory().numTensors - before };
}

function dcganStep(batch: number): { step: () => Promise<void>; dispose: () => void } {
  const g = buildGenerator();
  const d = buildDiscriminator();
  const losses = makeStepLosses(g, d, batch);
  const step = async () => {
    const both = losses();
    await both.data();
    both.dispose();
  };
  return { step, dispose: () => (g.dispose(), d.dispose()) };
}

function hologanStep(batch: number): { step: () => Promise<void>; dispose: () => void } {
  const G = buildHoloGanGenerator({ imageSize: 64 });
  const D = buildHoloGanDiscriminator({ imageSize: 64 });
  const gVars = G.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = tf.train.adam(1e-4, 0.5, 0.999);
  let seed = 1;
  const step = async () => {
    const z = tf.randomUniform([batch, 128], -1, 1, 'float32', seed++);
    const s = seed++;
    const view = tf.tidy(() => tf.concat([tf.randomUniform([batch, 2], -1, 1, 'float32', s), tf.ones([batch, 3]), tf.zeros([batch, 1])], 1));
    const loss = opt.minimize(
      () => {
        const out = D.apply(G.apply([z, view], { training: true }) as tf.Tensor, { training: true });
        return tf.mean(tf.softplus(tf.neg((Array.isArray(out) ? out[0] : out) as tf.Tensor))) as tf.Scalar;
      },
      true,
      gVars,
    )!;
    await loss.data();
    tf.dispose([z, view, loss]);
  };
  return { step, dispose: () => (G.dispose(), D.dispose(), opt.dispose()) };
}

async function main(): Promise<void> {
  const torchLines: Line[] = [];
  if (!process.argv.includes('--no-torch')) {
    const py = spawnSync('/usr/bin/python3', [path.join(here, 'peer_cuda.py'), '--reps', String(REPS), '--batch', '64'], { encoding: 'utf8' });
    for (const l of (py.stdout ?? '').split('\n').filter(Boolean)) {
      const parsed = JSON.parse(l) as Line;
      torchLines.push(parsed);
      console.log(JSON.stringify(parsed));
    }
    if (py.error) console.log(JSON.stringify({ case: 'all', peer: 'pytorch-cuda', median_ms: null, error: `python3 did not run: ${py.error.message}` }));
  }
  for (const backend of BACKENDS) {
    try {
      await setupBackend(backend as 'webgpu', { log: () => {} });
    } catch (err) {
      console.log(JSON.stringify({ case: 'all', peer: `gankit-${backend}`, median_ms: null, error: (err as Error).message.split('\n')[0] }));
      continue;
    }
    const info = describeBackend();
    const emulated = info.adapter?.isEmulator ?? false;
    const cases: [string, () => { step: () => Promise<void>; dispose: () => void }, number | undefined][] = [
      ['dcgan64_train_step_b64', () => dcganStep(64), (STEP_GFLOP * 64) / 16],
      ['hologan64_g_step_b8', () => hologanStep(8), undefined],
    ];
    for (const [name, make, gflop] of cases) {
      const line: Line = { case: name, peer: `gankit-${backend}`, median_ms: null, adapter: info.adapter, emulated };
      try {
        const c = make();
        const reps = emulated ? Math.min(REPS, 2) : REPS;
        const t = await time(c.step, reps);
        c.dispose();
        Object.assign(line, { median_ms: round(t.median), min_ms: round(t.min), reps, tensors_delta: t.tensorsDelta, gflop, gflops: gflop ? round(gflop / (t.median / 1000)) : undefined });
        const peer = torchLines.find((l) => l.case === name && l.median_ms != null);
        if (peer && !emulated) line.ratio_to_pytorch_cuda = round(t.median / (peer.median_ms as number));
        if (emulated) line.note = 'CPU-emulated adapter: proves the path runs and nothing grows; not a speed figure';
      } catch (err) {
        line.error = (err as Error).message.split('\n')[0].slice(0, 200);
      }
      console.log(JSON.stringify(line));
    }
  }
  process.exit(0); // Dawn keeps handles open
}

await main();
