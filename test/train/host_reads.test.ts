import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countHostReads } from '../../src/util/index.js';
import { Adam, NonFiniteLossError, Trainer, type StepResult, type TrainerConfig } from '../../src/train/index.js';
import { JsonlLogger, readCheckpoint, runTraining } from '../../src/train/node/index.js';
import { toyGan, trainerWithNonFiniteLoss } from './toy.js';
import { tinyDcganTrainer } from '../helpers/tiny_dcgan.js';

/** A small DCGAN trainer (D update + G update, BatchNorm, EMA, finiteness check). */
const dcgan = (config: Partial<TrainerConfig> = {}) => tinyDcganTrainer({ config });

describe('host reads per Trainer step', () => {
  it('a DCGAN step (D update + G update, BatchNorm, EMA, finiteness check) reads the host once per update', () => {
    const { trainer, dispose } = dcgan({ readMetricsEvery: 1 });
    trainer.run(1); // warm-up: optimizer slots and kernels
    const reads = countHostReads(() => trainer.run(3));
    expect(reads / 3).toBeLessThanOrEqual(2);
    dispose();
  });

  it("readMetricsEvery 'auto' is 1 on the host-memory backends (cpu here): every step reads, as before", () => {
    const { trainer, dispose } = dcgan();
    expect(trainer.metricsInterval).toBe(1);
    const r = trainer.runStep();
    expect(r.metricsRead).toBe(true);
    expect(Object.keys(r.metrics).sort()).toEqual(['D', 'D/adv', 'G', 'G/adv', 'lr/D', 'lr/G']);
    expect(r.window).toEqual({ firstStep: 0, lastStep: 0, metrics: r.metrics, steps: [{ step: 0, epoch: 0, metrics: r.metrics }] });
    dispose();
    const v = tf.variable(tf.scalar(1));
    for (const bad of [0, 1.5, -2, 'fast']) {
      expect(() => new Trainer({ readMetricsEvery: bad as never, updates: [{ name: 'a', variables: [v], optimizer: new Adam(), loss: () => tf.square(v) as tf.Scalar }] })).toThrow(
        /Trainer: 'readMetricsEvery' must be a positive integer or 'auto'/,
      );
    }
    v.dispose();
  });

  it('readMetricsEvery 10: 10 DCGAN steps read the host exactly once (none in the first 9)', () => {
    const { trainer, dispose } = dcgan({ readMetricsEvery: 10 });
    const results: StepResult[] = [];
    expect(countHostReads(() => Array.from({ length: 9 }, () => results.push(trainer.runStep())))).toBe(0);
    expect(results.every((r) => !r.metricsRead && r.window === null && Object.keys(r.metrics).length === 0)).toBe(true);
    expect(trainer.pendingMetricSteps).toBe(9);
    expect(countHostReads(() => results.push(trainer.runStep()))).toBe(1);
    expect(results[9].metricsRead).toBe(true);
    expect(results[9].window).toMatchObject({ firstStep: 0, lastStep: 9 });
    expect(trainer.pendingMetricSteps).toBe(0);
    // run(10) again: one read, at its last step
    expect(countHostReads(() => trainer.run(10))).toBe(1);
    expect(trainer.lastMetrics).toMatchObject({ firstStep: 10, lastStep: 19 });
    dispose();
  });

  it('the window read equals the mean of the per-step metrics of readMetricsEvery 1 (same seed), and holds those per-step values exactly', () => {
    const ref = dcgan({ readMetricsEvery: 1 });
    const perStep = Array.from({ length: 10 }, () => ref.trainer.runStep().metrics);
    ref.dispose();
    const def = dcgan({ readMetricsEvery: 10 });
    const seen: { read: boolean; keys: number }[] = [];
    def.trainer.run(10, (r) => seen.push({ read: r.metricsRead, keys: Object.keys(r.metrics).length }));
    const window = def.trainer.lastMetrics!;
    expect(seen.map((s) => s.read)).toEqual([...Array(9).fill(false), true]);
    expect(window.steps.map((s) => s.metrics)).toEqual(perStep);
    for (const key of Object.keys(perStep[0])) {
      const mean = perStep.reduce((a, m) => a + m[key], 0) / perStep.length;
      expect(Math.abs(window.metrics[key] - mean)).toBeLessThanOrEqual(1e-6);
    }
    def.dispose();
  });

  it('afterStep gets {} and metricsRead false between reads, the window at the read', () => {
    const calls: { keys: string[]; read: boolean; last: number | null }[] = [];
    const { trainer, dispose } = dcgan({ readMetricsEvery: 3, afterStep: (_ctx, m, info) => void calls.push({ keys: Object.keys(m), read: info.metricsRead, last: info.window?.lastStep ?? null }) });
    trainer.run(4);
    expect(calls.map((c) => c.read)).toEqual([false, false, true, true]);
    expect(calls.map((c) => c.last)).toEqual([null, null, 2, 3]);
    expect(calls[0].keys).toEqual([]);
    expect(calls[2].keys.sort()).toEqual(['D', 'D/adv', 'G', 'G/adv', 'lr/D', 'lr/G']);
    dispose();
  });

  it('a NaN at step 7 of a window of 10 throws at the read, naming the update, the term, step 7 and the window 0..9', () => {
    const gan = toyGan(5);
    const trainer = trainerWithNonFiniteLoss(gan, 7, 'logTerm', () => tf.log(tf.scalar(-1)) as tf.Scalar, { readMetricsEvery: 10 });
    for (let i = 0; i < 9; i++) trainer.runStep();
    let err: unknown;
    try {
      trainer.runStep();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonFiniteLossError);
    const e = err as NonFiniteLossError;
    expect(e).toMatchObject({ update: 'D', term: 'loss', step: 7, window: { firstStep: 0, lastStep: 9 } });
    expect(e.message).toMatch(/non-finite loss \(NaN\) in update 'D' at step 7 \(read with the metrics of steps 0\.\.9\).*restore the last checkpoint/);
    // the window's updates were applied: the step counter moved on, nothing is left pending
    expect(trainer.step).toBe(10);
    expect(trainer.pendingMetricSteps).toBe(0);
    trainer.dispose();
    gan.dispose();
  });

  it('leaks no tensors over repeated windows (full, partial + flushMetrics, one with a NaN, one discarded by dispose)', () => {
    const gan = toyGan(6);
    const trainer = trainerWithNonFiniteLoss(gan, 1000, 'never', () => tf.scalar(0), { readMetricsEvery: 4 });
    trainer.run(4); // warm-up: optimizer slots
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      trainer.run(4);
      for (let j = 0; j < 2; j++) trainer.runStep();
      expect(tf.memory().numTensors).toBeGreaterThan(before); // pending scalars on the device
      expect(trainer.flushMetrics()).toMatchObject({ lastStep: trainer.step - 1 });
      expect(trainer.flushMetrics()).toBeNull();
    }
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    gan.dispose();
    const gan2 = toyGan(7);
    const bad = trainerWithNonFiniteLoss(gan2, 5, 'inf', () => tf.div(tf.scalar(1), tf.scalar(0)) as tf.Scalar, { readMetricsEvery: 4 });
    bad.run(4);
    const before2 = tf.memory().numTensors;
    expect(() => bad.run(4)).toThrow(NonFiniteLossError);
    expect(tf.memory().numTensors).toBe(before2);
    bad.runStep();
    expect(tf.memory().numTensors).toBeGreaterThan(before2);
    bad.dispose(); // frees the pending window without reading it
    expect(tf.memory().numTensors).toBe(before2);
    gan2.dispose();
  });
});

describe('runTraining with readMetricsEvery > 1', () => {
  it('logs every step, reads the window before each checkpoint, and after a NaN the last checkpoint is good', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gankit-hostreads-'));
    try {
      const gan = toyGan(2);
      const trainer = trainerWithNonFiniteLoss(gan, 7, 'blowUp', () => tf.div(tf.scalar(1), tf.scalar(0)) as tf.Scalar, { readMetricsEvery: 5 });
      const out = path.join(root, 'nan');
      const run = runTraining(trainer, { progress: false, handleSigint: false, steps: 20, outDir: out, checkpointEvery: 2 });
      await expect(run).rejects.toBeInstanceOf(NonFiniteLossError);
      // the checkpoint at 8 reads steps 6..7 first: the NaN is found there and nothing is saved
      await expect(run).rejects.toThrow(/non-finite loss \(Infinity\) in update 'D' at step 7 \(read with the metrics of steps 6\.\.7\).*last good checkpoint is .*\(step 6\)/);
      const saved = await readCheckpoint(path.join(out, 'checkpoint'));
      expect(saved.step).toBe(6);
      expect(saved.variables.every((v) => v.data.every(Number.isFinite))).toBe(true);
      const log = await new JsonlLogger(path.join(out, 'metrics.jsonl')).read();
      expect(log.filter((r) => r.event == null).map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(log.at(-1)).toMatchObject({ event: 'non-finite', step: 7, update: 'D', term: 'loss', window: [6, 7] });
      trainer.dispose();
      gan.dispose();
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});

describe('countHostReads', () => {
  it('counts every kind of synchronous read and restores the tensor methods', () => {
    const t = tf.tensor1d([1, 2, 3]);
    const dataSync = tf.Tensor.prototype.dataSync;
    expect(
      countHostReads(() => {
        t.dataSync();
        t.arraySync();
        t.bufferSync();
      }),
    ).toBe(3);
    expect(countHostReads(() => tf.tidy(() => tf.add(t, 1)))).toBe(0);
    expect(() =>
      countHostReads(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tf.Tensor.prototype.dataSync).toBe(dataSync);
    t.dispose();
  });
});
