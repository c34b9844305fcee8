import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam, ExponentialMovingAverage, NonFiniteLossError, Trainer, ganUpdates, modelVariables, type StepResult } from '../../src/train/index.js';
import { JsonlLogger, ProgressBar, formatDuration, loadCheckpoint, readCheckpoint, runTraining, saveCheckpoint } from '../../src/train/node/index.js';
import { loadModel } from '../../src/io/model_io.js';
import { arraySource, batches } from '../../src/data/index.js';
import { Random } from '../../src/util/random.js';
import { DATA_MEAN, gaussianData, toyGan, trainerWithNonFiniteLoss } from './toy.js';

let root = '';
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gankit-train-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** WGAN-GP with n_critic 2, G every 2nd step, EMA: exercises every piece of state a resume must restore. */
function build(initSeed: number, trainerSeed = 21) {
  const gan = toyGan(initSeed);
  const ema = new ExponentialMovingAverage(gan.gVars, { beta: 0.9 });
  const trainer = new Trainer({
    seed: trainerSeed,
    data: gaussianData(8),
    ema,
    sample: (z) => tf.reshape(gan.G(z), [-1, 2, 2, 1]),
    sampleNoiseShape: [6, 3],
    updates: ganUpdates({
      generator: gan.G,
      discriminator: gan.D,
      generatorVariables: gan.gVars,
      discriminatorVariables: gan.dVars,
      generatorOptimizer: new Adam({ learningRate: 2e-3, beta1: 0.5 }),
      discriminatorOptimizer: new Adam({ learningRate: 2e-3, beta1: 0.5 }),
      latentDim: 3,
      loss: 'wasserstein',
      gradientPenalty: { type: 'wgan-gp' },
      nCritic: 2,
      generatorEvery: 2,
    }),
  });
  return { gan, ema, trainer, dispose: () => (trainer.dispose(), ema.dispose(), gan.dispose()) };
}

const quiet = { progress: false as const, handleSigint: false };

describe('runTraining: checkpoints and exact resume', () => {
  it('same seed ⇒ the same losses after a resume as without one (bit-for-bit), and the same final weights', async () => {
    const a = build(1);
    const lossesA: StepResult[] = [];
    await runTraining(a.trainer, { ...quiet, steps: 12, outDir: path.join(root, 'a'), onStep: (r) => void lossesA.push(r) });

    const b1 = build(1);
    const first = await runTraining(b1.trainer, { ...quiet, steps: 6, outDir: path.join(root, 'b') });
    expect(first).toMatchObject({ status: 'completed', step: 6, resumedFrom: null });
    b1.dispose();
    // a fresh process would rebuild the models with new random weights: use a different init seed,
    // and a different trainer seed, so RNG state and sample noise must come from the checkpoint too
    const b2 = build(777, 555);
    const lossesB: StepResult[] = [];
    const second = await runTraining(b2.trainer, { ...quiet, steps: 12, outDir: path.join(root, 'b'), onStep: (r) => void lossesB.push(r) });
    expect(second).toMatchObject({ status: 'completed', step: 12, resumedFrom: 6 });
    expect(lossesB.map((r) => r.step)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(lossesB.map((r) => r.metrics)).toEqual(lossesA.slice(6).map((r) => r.metrics));
    for (let i = 0; i < a.gan.gVars.length; i++) expect(Array.from(b2.gan.gVars[i].dataSync())).toEqual(Array.from(a.gan.gVars[i].dataSync()));
    for (let i = 0; i < a.ema.averages.length; i++) expect(Array.from(b2.ema.averages[i].dataSync())).toEqual(Array.from(a.ema.averages[i].dataSync()));
    // the fixed sample noise is restored as well: sample grids after a resume match the straight run
    const [sampleA, sampleB] = [a.trainer.sample(), b2.trainer.sample()];
    expect(Array.from(sampleB.dataSync())).toEqual(Array.from(sampleA.dataSync()));
    tf.dispose([sampleA, sampleB]);

    const log = await new JsonlLogger(path.join(root, 'b', 'metrics.jsonl')).read();
    expect(log.filter((r) => r.event == null).map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(log.some((r) => r.event === 'resume' && r.step === 6)).toBe(true);
    a.dispose();
    b2.dispose();
  });

  it('refuses a checkpoint from a differently shaped trainer, naming the variable', async () => {
    const a = build(1);
    await runTraining(a.trainer, { ...quiet, steps: 1, outDir: path.join(root, 'shape') });
    const other = toyGan(1, 8);
    const t = new Trainer({
      updates: ganUpdates({
        generator: other.G,
        discriminator: other.D,
        generatorVariables: other.gVars,
        discriminatorVariables: other.dVars,
        generatorOptimizer: new Adam(),
        discriminatorOptimizer: new Adam(),
        latentDim: 3,
      }),
    });
    await expect(loadCheckpoint(t, path.join(root, 'shape', 'checkpoint'))).rejects.toThrow(
      /Trainer.setState: EMA present in the state but not the trainer|variable #0 .* has shape \[4, 8\]; the state .* has \[4, 16\]/,
    );
    a.dispose();
    other.dispose();
  });
});

describe('runTraining: NaN guard and Ctrl-C', () => {
  it('stops on a non-finite loss, names loss and step, and keeps the last good checkpoint', async () => {
    const gan = toyGan(2);
    const trainer = trainerWithNonFiniteLoss(gan, 5, 'blowUp', () => tf.div(tf.scalar(1), tf.scalar(0)) as tf.Scalar);
    const out = path.join(root, 'nan');
    const run = runTraining(trainer, { ...quiet, steps: 10, outDir: out, checkpointEvery: 2 });
    await expect(run).rejects.toBeInstanceOf(NonFiniteLossError);
    await expect(run).rejects.toThrow(
      new RegExp(`non-finite loss \\(Infinity\\) in update 'D' at step 5; .*last good checkpoint is ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.checkpoint \\(step 4\\)`),
    );
    const saved = await readCheckpoint(path.join(out, 'checkpoint'));
    expect(saved.step).toBe(4);
    expect(saved.variables.every((v) => v.data.every(Number.isFinite))).toBe(true);
    const log = await new JsonlLogger(path.join(out, 'metrics.jsonl')).read();
    expect(log.at(-1)).toMatchObject({ event: 'non-finite', step: 5, update: 'D', term: 'loss' });
    trainer.dispose();
    gan.dispose();
  });

  it('Ctrl-C (SIGINT) saves a checkpoint at the current step and stops', async () => {
    const { trainer, dispose } = build(3);
    const out = path.join(root, 'sigint');
    const result = await runTraining(trainer, {
      steps: 50,
      outDir: out,
      progress: false,
      exitOnSigint: false,
      onStep: (r) => {
        if (r.step === 2) process.emit('SIGINT');
      },
    });
    expect(result).toMatchObject({ status: 'interrupted', step: 3 });
    expect((await readCheckpoint(path.join(out, 'checkpoint'))).step).toBe(3);
    expect(process.listenerCount('SIGINT')).toBe(0);
    dispose();
  });
});

describe('runTraining: samples, logs, models and progress', () => {
  it('trains a tiny conv DCGAN built from tfjs-layers models, writing PNG grids, JSONL and loadable G / G_ema', async () => {
    const G = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [4], units: 2 * 2 * 8, kernelInitializer: tfl.initializers.randomNormal({ stddev: 0.2, seed: 1 }) }),
        tfl.layers.reshape({ targetShape: [2, 2, 8] }),
        tfl.layers.conv2dTranspose({ filters: 4, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: tfl.initializers.randomNormal({ stddev: 0.2, seed: 2 }) }),
        tfl.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: tfl.initializers.randomNormal({ stddev: 0.2, seed: 3 }) }),
      ],
    });
    const D = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: tfl.initializers.randomNormal({ stddev: 0.2, seed: 4 }) }),
        tfl.layers.leakyReLU({ alpha: 0.2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.randomNormal({ stddev: 0.2, seed: 5 }) }),
      ],
    });
    // data: a bright centred 4×4 square on a dark background, with noise
    const data = ({ rng }: { rng: { normalArray(n: number, m?: number, s?: number): Float32Array } }) => {
      const v = rng.normalArray(8 * 64, 0, 0.05);
      for (let b = 0; b < 8; b++) for (let i = 0; i < 64; i++) v[b * 64 + i] += i >> 3 >= 2 && i >> 3 < 6 && (i & 7) >= 2 && (i & 7) < 6 ? 0.8 : -0.8;
      return tf.tensor(v, [8, 8, 8, 1]);
    };
    const gVars = modelVariables(G);
    const ema = new ExponentialMovingAverage(gVars, { halfLife: 5 });
    const trainer = new Trainer({
      seed: 9,
      data,
      ema,
      sample: (z) => G.apply(z) as tf.Tensor,
      sampleNoiseShape: [4, 4],
      updates: ganUpdates({
        generator: (z) => G.apply(z) as tf.Tensor,
        discriminator: (x) => D.apply(x) as tf.Tensor,
        generatorVariables: gVars,
        discriminatorVariables: modelVariables(D),
        generatorOptimizer: new Adam({ learningRate: 5e-3, beta1: 0.5 }),
        discriminatorOptimizer: new Adam({ learningRate: 5e-3, beta1: 0.5 }),
        latentDim: 4,
      }),
    });
    const centre = () =>
      tf.tidy(() => {
        const x = G.apply(
          tf.tensor(
            new Float32Array(64 * 4).map((_, i) => Math.sin(i * 1.7)),
            [64, 4],
          ),
        ) as tf.Tensor;
        const inner = tf.mean(tf.slice(x, [0, 2, 2, 0], [-1, 4, 4, 1])).dataSync()[0];
        const all = tf.mean(x).dataSync()[0];
        return inner - (all * 64 - inner * 16) / 48; // centre minus border brightness
      });
    const before = centre();
    const out = path.join(root, 'dcgan');
    const lines: string[] = [];
    const losses: Record<string, number>[] = [];
    const result = await runTraining(trainer, {
      steps: 40,
      outDir: out,
      sampleEvery: 20,
      checkpointEvery: 20,
      handleSigint: false,
      progress: { write: (s: string) => void lines.push(s), isTTY: false },
      models: { G, D },
      emaModels: { G_ema: G },
      onStep: (r) => void losses.push(r.metrics),
    });
    expect(result.status).toBe('completed');
    expect(losses.every((m) => Number.isFinite(m.D) && Number.isFinite(m.G))).toBe(true);
    expect(Math.max(...losses.map((m) => m.D))).toBeLessThan(5);
    // the generated images move toward the data's bright-centre / dark-border structure
    expect(centre()).toBeGreaterThan(before + 0.2);
    for (const f of ['step_000020.png', 'step_000040.png']) expect((await fs.stat(path.join(out, 'samples', f))).size).toBeGreaterThan(50);
    expect((await new JsonlLogger(path.join(out, 'metrics.jsonl')).read()).length).toBe(40);
    expect(lines.length).toBe(20); // plain mode: every total/20 = 2 steps
    expect(lines.at(-1)).toMatch(/^step 40\/40 .*eta 0:00 D=/);
    const g2 = await loadModel(path.join(out, 'checkpoint', 'models', 'G'));
    const gEma = await loadModel(path.join(out, 'checkpoint', 'models', 'G_ema'));
    const z = tf.ones([1, 4]);
    const live = G.predict(z) as tf.Tensor;
    expect(Array.from((g2.predict(z) as tf.Tensor).dataSync())).toEqual(Array.from(live.dataSync()));
    const avg = ema.withAverages(() => Array.from((G.predict(z) as tf.Tensor).dataSync()));
    expect(Array.from((gEma.predict(z) as tf.Tensor).dataSync())).toEqual(avg);
    await saveCheckpoint(trainer, path.join(root, 'dcgan-copy'));
    expect((await readCheckpoint(path.join(root, 'dcgan-copy'))).step).toBe(40);
    trainer.dispose();
    ema.dispose();
  });

  it("takes an asynchronous data source (gankit/data's batches stream) through runStepAsync", async () => {
    const rng = new Random(3);
    const x = Float32Array.from({ length: 64 * 4 }, (_, i) => DATA_MEAN[i % 4] + 0.3 * rng.normal());
    const stream = batches(arraySource(x, [4]), { batchSize: 8, shuffle: true, seed: 1, repeat: Infinity });
    const gan = toyGan(11);
    const gOpt = new Adam({ learningRate: 1e-3 });
    const dOpt = new Adam({ learningRate: 1e-3 });
    const trainer = new Trainer({
      data: async () => (await stream.next()).value!,
      updates: ganUpdates({
        generator: gan.G,
        discriminator: gan.D,
        generatorVariables: gan.gVars,
        discriminatorVariables: gan.dVars,
        generatorOptimizer: gOpt,
        discriminatorOptimizer: dOpt,
        latentDim: 3,
      }),
    });
    expect(() => trainer.runStep()).toThrow(/Trainer: 'data' returned a Promise at step 0; use runStepAsync\(\)/);
    const before = tf.memory().numTensors;
    const result = await runTraining(trainer, { ...quiet, steps: 12, outDir: path.join(root, 'async'), log: false });
    expect(result).toMatchObject({ status: 'completed', step: 12 });
    await stream.return(undefined);
    gOpt.dispose();
    dOpt.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    gan.dispose();
  });

  it('ProgressBar: a bar with rate and ETA on a terminal, plain lines otherwise', () => {
    let t = 0;
    const tty: string[] = [];
    const bar = new ProgressBar({ total: 10, stream: { write: (s: string) => void tty.push(s), isTTY: true, columns: 200 }, now: () => t });
    for (let i = 1; i <= 10; i++) {
      t += 500;
      bar.update(i, { D: 1.2345678, G: 0.5, 'lr/D': 1e-4 });
    }
    expect(tty[4]).toMatch(/^\r\[############............\] 5\/10 2\.00 it\/s eta 0:03 D=1\.235 G=0\.5000/);
    expect(tty.at(-1)).toBe('\n');
    const plain: string[] = [];
    const p = new ProgressBar({ total: 100, stream: { write: (s: string) => void plain.push(s) }, now: () => (t += 2000), plainEvery: 50 });
    for (let i = 1; i <= 100; i++) p.update(i, { loss: 2 });
    expect(plain).toEqual([expect.stringMatching(/^step 50\/100 2\.00 s\/it eta 1:40 loss=2\.000\n$/), expect.stringMatching(/^step 100\/100 .*eta 0:00 loss=2\.000\n$/)]);
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
