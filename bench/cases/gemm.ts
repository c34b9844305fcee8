/**
 * GEMM microbenchmark: `tf.matMul` on float32 [M, K]·[K, N] at square sizes and at the shapes of
 * DCGAN-64's convolutions after im2col (batch 16), against `torch.matmul` (OpenBLAS) in the same
 * run. bench/run.ts takes the fastest of these GEMMs of each peer as its measured peak and adds
 * `fraction_of_peak` (GFLOP/s over that peak) to every line of that peer, the DCGAN and HoloGAN
 * cases' included: what share of the GEMM alone a whole step reaches (bench/README.md).
 * Same shapes as bench/peers/gemm.py.
 *
 * Usage: tsx bench/cases/gemm.ts --peer gankit-wasm|gankit-wasm-2t|gankit-cpu|stock-wasm [--reps N]
 */
import * as tf from '@tensorflow/tfjs-core';
import { emit, measure, parseArgs, usePeer, type Measurement } from '../common.js';

/** [name, M, K, N]: square GEMMs, then DCGAN-64 D's conv2–conv4 (k4 s2, batch 16) as im2col GEMMs. */
export const GEMM_SHAPES: [string, number, number, number][] = [
  ['gemm_square_256', 256, 256, 256],
  ['gemm_square_512', 512, 512, 512],
  ['gemm_square_1024', 1024, 1024, 1024],
  ['gemm_dcgan_d_conv2', 16 * 16 * 16, 4 * 4 * 64, 128],
  ['gemm_dcgan_d_conv3', 16 * 8 * 8, 4 * 4 * 128, 256],
  ['gemm_dcgan_d_conv4', 16 * 4 * 4, 4 * 4 * 256, 512],
];

async function main(): Promise<void> {
  const { peer, reps, only } = parseArgs();
  await usePeer(peer);
  const lines: Measurement[] = [];
  for (const [name, m, k, n] of GEMM_SHAPES) {
    if (only && only !== name) continue;
    if (peer === 'gankit-cpu' && m * k * n > 512 ** 3) continue; // pure JS: minutes for nothing new
    const a = tf.randomNormal([m, k], 0, 1, 'float32', 1);
    const b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
    lines.push(
      await measure(
        name,
        peer,
        () => {
          const c = tf.matMul(a, b);
          c.dataSync(); // finishes the work on any backend
          c.dispose();
        },
        { reps, gflop: (2 * m * k * n) / 1e9 },
      ),
    );
    tf.dispose([a, b]);
  }
  lines.forEach(emit);
}

void main();
