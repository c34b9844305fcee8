/**
 * Benchmark of gankit's training path against PyTorch in the same run.
 *
 *   npx tsx bench/losses_train.ts [--reps 5] [--backends wasm,cpu]
 *
 * Cases (one JSON line each: median ms, ratio to the PyTorch peer where one exists):
 *  - `wgan_gp_critic_step_b16_32px`: one critic step of WGAN-GP through `Trainer` + `ganUpdates`'s
 *    loss pieces (WGAN loss + λ·GP with second-order gradients, gankit Adam) on a 3-conv critic,
 *    batch 16 of 32×32×3; peer: bench/peers/losses_train.py (PyTorch, 2 threads).
 *  - `trainer_overhead_dense_gan`: a tiny dense GAN step (D + G) through `Trainer` vs the same
 *    losses applied with bare `optimizer.minimize` calls; `ratio` = trainer / bare (bookkeeping,
 *    finite checks and metric reads).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setupBackend } from '../src/backend/setup.js';
import { gradientPenalty, wassersteinDiscriminatorLoss, bceDiscriminatorLoss, nonSaturatingGeneratorLoss } from '../src/losses/index.js';
import { Adam, Trainer, ganUpdates } from '../src/train/index.js';
import { Random } from '../src/util/random.js';

const argv = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const REPS = Number(arg('reps', '5'));
const BACKENDS = arg('backends', 'wasm,cpu').split(',') as ('wasm' | 'cpu')[];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(fn: () => void, reps: number, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

let peerMs: number | null = null;
let blas = 'n/a';
if (existsSync('/usr/bin/python3')) {
  try {
    const out = execFileSync('/usr/bin/python3', ['bench/peers/losses_train.py', '--reps', String(REPS)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2' } });
    const line = JSON.parse(
      out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .at(-1)!,
    );
    peerMs = line.median_ms;
    blas = line.blas;
    console.log(JSON.stringify(line));
  } catch (err) {
    console.log(JSON.stringify({ case: 'wgan_gp_critic_step_b16_32px', peer: 'pytorch-cpu', median_ms: null, error: String((err as Error).message).slice(0, 200) }));
  }
}

for (const backend of BACKENDS) {
  await setupBackend(backend, { log: () => {} });
  const rng = new Random(0);
  const conv = (cin: number, cout: number) => [tf.variable(tf.tensor(rng.normalArray(16 * cin * cout, 0, 0.05), [4, 4, cin, cout])), tf.variable(tf.zeros([cout]))];
  const layers = [conv(3, 32), conv(32, 64), conv(64, 128)];
  const dense = [tf.variable(tf.tensor(rng.normalArray(128 * 16, 0, 0.02), [128 * 16, 1])), tf.variable(tf.zeros([1]))];
  const critic = (x: tf.Tensor) => {
    let h = x as tf.Tensor4D;
    for (const [k, b] of layers) h = tf.leakyRelu(tf.add(tf.conv2d(h, k as tf.Tensor4D, 2, 'same'), b), 0.2) as tf.Tensor4D;
    return tf.add(tf.matMul(tf.reshape(h, [x.shape[0], -1]), dense[0]), dense[1]);
  };
  const real = tf.tensor(rng.normalArray(16 * 32 * 32 * 3), [16, 32, 32, 3]);
  const fake = tf.tensor(rng.normalArray(16 * 32 * 32 * 3), [16, 32, 32, 3]);
  const trainer = new Trainer({
    seed: 1,
    updates: [
      {
        name: 'D',
        variables: [...layers.flat(), ...dense],
        optimizer: new Adam({ learningRate: 1e-4, beta1: 0, beta2: 0.99 }),
        loss: (ctx) => {
          const adv = wassersteinDiscriminatorLoss(critic(real), critic(fake));
          const gp = gradientPenalty(critic, real, fake, { seed: ctx.rng });
          return { total: tf.add(adv, gp) as tf.Scalar, terms: { adv, gp } };
        },
      },
    ],
  });
  const reps = backend === 'cpu' ? Math.min(REPS, 2) : REPS;
  const ms = time(() => void trainer.runStep(), reps, 1);
  console.log(
    JSON.stringify({
      case: 'wgan_gp_critic_step_b16_32px',
      peer: `gankit-${backend}`,
      median_ms: +ms.toFixed(3),
      reps,
      ratio_to_pytorch: peerMs ? +(ms / peerMs).toFixed(3) : null,
      pytorch_blas: blas,
    }),
  );
  trainer.dispose();
  tf.dispose([real, fake, ...layers.flat(), ...dense]);

  // trainer overhead on a tiny dense GAN
  const w = (i: number, o: number) => tf.variable(tf.tensor(rng.normalArray(i * o, 0, 0.3), [i, o]));
  const gv = [w(8, 64), w(64, 16)];
  const dv = [w(16, 64), w(64, 1)];
  const G = (z: tf.Tensor) => tf.matMul(tf.relu(tf.matMul(z, gv[0])), gv[1]);
  const D = (x: tf.Tensor) => tf.matMul(tf.leakyRelu(tf.matMul(x, dv[0]), 0.2), dv[1]);
  const x = tf.tensor(rng.normalArray(64 * 16), [64, 16]);
  const zData = rng.normalArray(64 * 8);
  const gOpt = new Adam({ learningRate: 1e-4 });
  const dOpt = new Adam({ learningRate: 1e-4 });
  const bare = () => {
    const z = tf.tensor(zData, [64, 8]);
    dOpt.minimize(() => bceDiscriminatorLoss(D(x), D(G(z))), false, dv);
    const l = gOpt.minimize(() => nonSaturatingGeneratorLoss(D(G(z))), true, gv)!;
    l.dataSync();
    tf.dispose([z, l]);
  };
  const t2 = new Trainer({
    data: () => tf.clone(x),
    updates: ganUpdates({ generator: G, discriminator: D, generatorVariables: gv, discriminatorVariables: dv, generatorOptimizer: gOpt, discriminatorOptimizer: dOpt, latentDim: 8 }),
  });
  const bareMs = time(bare, REPS * 10, 5);
  const trainerMs = time(() => void t2.runStep(), REPS * 10, 5);
  console.log(
    JSON.stringify({
      case: 'trainer_overhead_dense_gan',
      peer: `gankit-${backend}`,
      median_ms: +trainerMs.toFixed(3),
      bare_ms: +bareMs.toFixed(3),
      ratio: +(trainerMs / bareMs).toFixed(3),
      reps: REPS * 10,
    }),
  );
  t2.dispose();
  tf.dispose([...gv, ...dv, x]);
}
