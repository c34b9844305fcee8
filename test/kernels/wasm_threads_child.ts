/**
 * Child process for wasm_threads.test.ts: wasm threads can only be requested before wasm is first
 * initialised, which the test process may already have done (GANKIT_TEST_BACKEND=wasm). Computes a
 * conv2d, a matMul and a conv weight gradient on cpu, then on wasm with the thread count in argv[2]
 * (`auto` = setupBackend's default), and prints one JSON line with the wasm results. On success it
 * does not call `process.exit`: the process must end by itself, proving the pool keeps Node alive
 * no longer than the work.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { setupBackend } from '../../src/backend/setup.js';
import { Random } from '../../src/util/random.js';

const randomNormal = (shape: number[], seed: number) => tf.tensor(new Random(seed).normalArray(shape.reduce((p, q) => p * q, 1)), shape);

async function main(): Promise<void> {
  await setupBackend('cpu', { log: () => {} });
  const x = randomNormal([4, 17, 17, 16], 1);
  const w = randomNormal([3, 3, 16, 32], 2);
  const a = randomNormal([96, 130], 3);
  const b = randomNormal([130, 70], 4);
  const compute = () => [
    tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'),
    tf.matMul(a, b),
    tf.grad((k: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 2, 'same'))))(w),
  ];
  const want = compute().map((t) => Float32Array.from(t.dataSync()));
  const arg = process.argv[2] ?? 'auto';
  const logs: string[] = [];
  await setupBackend('wasm', { log: (m) => logs.push(m), ...(arg === 'auto' ? {} : { wasmThreads: Number(arg) }) });
  const got = compute().map((t) => Float32Array.from(t.dataSync()));
  const maxRelDiff = want.map((wv, i) => wv.reduce((m, v, j) => Math.max(m, Math.abs(v - got[i][j]) / (1 + Math.abs(v))), 0));
  const values = got.map((g) => Array.from(g));
  process.stdout.write(`${JSON.stringify({ backend: tf.getBackend(), threads: getThreadsCount(), log: logs.join('\n'), maxRelDiff, values })}\n`);
}

main().catch((err) => {
  process.stdout.write(`${JSON.stringify({ error: String(err) })}\n`);
  process.exit(1);
});
