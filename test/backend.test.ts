import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { describeBackend, setupBackend } from '../src/backend/setup.js';
import { isEmulatedAdapter } from '../src/backend/webgpu.js';
import { installGankitKernels } from '../src/backend/kernels/index.js';

const quiet = { log: () => {} };

describe('setupBackend', () => {
  afterAll(async () => {
    delete process.env.GANKIT_BACKEND;
    await setupBackend('cpu', quiet);
  });

  it("'auto' skips the tfjs-node packages that are not installed and lands on wasm, saying why", async () => {
    const lines: string[] = [];
    const name = await setupBackend('auto', { log: (m) => lines.push(m) });
    expect(name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/backend: wasm/);
    expect(lines[0]).toMatch(/node-gpu: @tensorflow\/tfjs-node-gpu is not installed/);
  });

  it('is harmless to call twice and logs the same report only once', async () => {
    const lines: string[] = [];
    await setupBackend('cpu', { log: (m) => lines.push(m) });
    await setupBackend('cpu', { log: (m) => lines.push(m) });
    expect(tf.getBackend()).toBe('cpu');
    expect(lines.length).toBeLessThanOrEqual(1);
    expect(installGankitKernels('cpu')).toEqual([]);
  });

  it('lets GANKIT_BACKEND override the argument', async () => {
    process.env.GANKIT_BACKEND = 'wasm';
    try {
      expect(await setupBackend('cpu', quiet)).toBe('wasm');
    } finally {
      delete process.env.GANKIT_BACKEND;
    }
  });

  it('rejects an unknown preference naming the choices', async () => {
    await expect(setupBackend('gpu' as never, quiet)).rejects.toThrow(/one of auto, node-gpu, webgpu, webgl, tensorflow, wasm, cpu; got 'gpu'/);
  });

  it("refuses 'webgl' in Node with the reason, and describes the active backend", async () => {
    await expect(setupBackend('webgl', quiet)).rejects.toThrow(/'webgl' is unavailable: webgl needs a browser/);
    await setupBackend('cpu', quiet);
    expect(describeBackend()).toEqual({ backend: 'cpu', threads: 1, hostMemory: true });
  });

  it('recognises CPU-emulated WebGPU adapters (SwiftShader, llvmpipe, lavapipe, WARP, fallback) and not real ones', () => {
    expect(isEmulatedAdapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' })).toBe(true);
    expect(isEmulatedAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(true);
    expect(isEmulatedAdapter({ device: 'lavapipe' })).toBe(true);
    expect(isEmulatedAdapter({ description: 'Microsoft Basic Render Driver' })).toBe(true);
    expect(isEmulatedAdapter({ vendor: 'nvidia', architecture: 'ampere' }, true)).toBe(true);
    expect(isEmulatedAdapter({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA H100' })).toBe(false);
    expect(isEmulatedAdapter({ vendor: 'apple', architecture: 'metal-3' })).toBe(false);
  });

  it('fails clearly when an explicitly requested backend is missing', async () => {
    await expect(setupBackend('node-gpu', quiet)).rejects.toThrow(/'node-gpu' is unavailable: @tensorflow\/tfjs-node-gpu is not installed/);
  });

  it.each(['cpu', 'wasm'] as const)('can train a small dense model on %s', async (backend) => {
    await setupBackend(backend, quiet);
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros' })] });
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const y = tf.tensor2d([[1], [2], [3]]);
    const opt = tf.train.sgd(0.01);
    const loss = () => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar;
    const before = tf.tidy(() => loss().dataSync()[0]);
    for (let i = 0; i < 5; i++)
      tf.dispose(
        opt.minimize(
          loss,
          true,
          model.trainableWeights.map((w) => w.read() as tf.Variable),
        ) ?? undefined,
      );
    const after = tf.tidy(() => loss().dataSync()[0]);
    expect(after).toBeLessThan(before);
    tf.dispose([x, y]);
    model.dispose();
    opt.dispose();
  });
});
