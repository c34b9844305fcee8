/**
 * Training on webgpu (SwiftShader where there is no GPU): 200 DCGAN steps through the Trainer with
 * its default read cadence (one asynchronous read every 25 steps on GPU backends), no tensor
 * growth, the same first-window losses as cpu, and everything released on dispose.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDcganGenerator } from '../../src/models/index.js';
import { tinyDcganTrainer } from '../helpers/tiny_dcgan.js';
import { invertByOptimization, invertByOptimizationAsync, trainLinearWalk, trainLinearWalkAsync, trainNonlinearWalkAsync } from '../../src/latent/index.js';
import { initParityBackend } from './backends.js';

async function train(backend: string, steps: number, onStep?: (step: number) => void) {
  await initParityBackend(backend);
  const baseline = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  const { trainer, dispose } = tinyDcganTrainer({ faces: 16, batchSize: 8, learningRate: 2e-4, beta1: 0.5, ema: false });
  const windows: Record<string, number>[] = [];
  const tensorsAt: number[] = [];
  const perStep: Record<string, number>[] = [];
  for (let i = 0; i < steps; i++) {
    const result = await trainer.runStepAsync();
    if (result.metricsRead) {
      windows.push(result.metrics);
      tensorsAt.push(tf.memory().numTensors);
    }
    if (result.window) perStep.push(...result.window.steps.map((s) => s.metrics));
    onStep?.(i);
  }
  const final = await trainer.flushMetricsAsync();
  const interval = trainer.metricsInterval;
  dispose();
  const after = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  return {
    windows,
    final,
    perStep,
    tensorsAt,
    interval,
    leftTensors: after.numTensors - baseline.numTensors,
    leftGpuBytes: (after.numBytesInGPU ?? 0) - (baseline.numBytesInGPU ?? 0),
  };
}

describe('training on webgpu', () => {
  afterAll(async () => initParityBackend('cpu'));

  it('200 DCGAN steps: one read per 25 steps, no tensor growth, everything released on dispose, first window as on cpu', async () => {
    const gpu = await train('webgpu', 200);
    expect(gpu.interval).toBe(25);
    expect(gpu.windows.length).toBe(8);
    for (const w of gpu.windows) for (const v of Object.values(w)) expect(Number.isFinite(v)).toBe(true);
    // Between reads the window's loss tensors wait on the device; right after each read the live
    // tensor count is flat from the second window on (the first one creates the optimizer slots).
    const settled = gpu.tensorsAt.slice(1);
    expect(Math.max(...settled) - Math.min(...settled)).toBeLessThanOrEqual(0);
    expect(gpu.leftTensors).toBe(0);
    expect(gpu.leftGpuBytes).toBeLessThanOrEqual(0);
    // cpu reads every step; compare the mean over the same first 25 steps.
    const cpu = await train('cpu', 25);
    expect(cpu.interval).toBe(1);
    for (const [k, v] of Object.entries(gpu.windows[0])) {
      const cpuMean = cpu.perStep.reduce((a, m) => a + m[k], 0) / cpu.perStep.length;
      expect(Math.abs(v - cpuMean), `${k}: webgpu ${v}, cpu ${cpuMean}`).toBeLessThan(1e-3 * Math.max(1, Math.abs(cpuMean)));
    }
    console.info(`[parity] webgpu DCGAN-16: 200 steps, windows of ${gpu.interval}; first window ${JSON.stringify(gpu.windows[0])}`);
  }, 300_000);

  it('trains a steerability walk on webgpu with trainLinearWalkAsync (the synchronous one stops at its first read with the async hint)', async () => {
    await initParityBackend('webgpu');
    const before = tf.memory().numTensors;
    const G = buildDcganGenerator({ imageSize: 16, filters: 4, latentDim: 8, seed: 4 });
    const generator = (z: tf.Tensor) => G.apply(z, { training: false }) as tf.Tensor;
    const options = { generator, latentDim: 8, edit: 'color' as const, steps: 30, batchSize: 4, lr: 0.01, seed: 5 };
    const { w, losses } = await trainLinearWalkAsync(options);
    expect(losses.length).toBe(30);
    losses.forEach((l) => expect(Number.isFinite(l)).toBe(true));
    expect(w.shape).toEqual([8, 3]);
    w.dispose();
    expect(() => trainLinearWalk(options)).toThrow(/cannot read a tensor synchronously.*await tensor.data\(\)/);
    G.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('trains an NNz walk and inverts images on webgpu with the async drivers; the synchronous inversion stops with the async hint', async () => {
    await initParityBackend('webgpu');
    const before = tf.memory().numTensors;
    const G = buildDcganGenerator({ imageSize: 16, filters: 4, latentDim: 8, seed: 6 });
    const generator = (z: tf.Tensor) => G.apply(z, { training: false }) as tf.Tensor;
    const nnz = await trainNonlinearWalkAsync({ generator, latentDim: 8, edit: 'brightness', steps: 20, nSteps: 2, seed: 7 });
    expect(nnz.losses.length).toBe(20);
    nnz.losses.forEach((l) => expect(Number.isFinite(l)).toBe(true));
    nnz.walk.dispose();
    const target = tf.tidy(() => generator(tf.randomNormal([2, 8], 0, 1, 'float32', 8)));
    const inverted = await invertByOptimizationAsync(generator, target, { latentDim: 8, steps: 40, lr: 0.05, seed: 9 });
    expect(inverted.losses.length).toBe(40);
    expect(inverted.losses[39]).toBeLessThan(inverted.losses[0]);
    inverted.z.dispose();
    expect(() => invertByOptimization(generator, target, { latentDim: 8, steps: 30 })).toThrow(/cannot read a tensor synchronously.*await tensor.data\(\)/);
    target.dispose();
    G.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
