import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { setupBackend } from '../src/backend/setup.js';
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
    await expect(setupBackend('gpu' as never, quiet)).rejects.toThrow(/one of auto, node-gpu, tensorflow, wasm, cpu; got 'gpu'/);
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
