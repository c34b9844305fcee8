/**
 * DCGAN-64 benchmark (docs/tfjs-facts.md): G = dense(100 → 4·4·512) → BN, ReLU → 3 × [conv2dTranspose
 * k4 s2 'same' → BN, ReLU] (256, 128, 64) → conv2dTranspose(3) → tanh; D = 4 × [conv2d k4 s2
 * 'same' → leakyReLU 0.2] (64, 128, 256, 512) → flatten → dense(1). Adam(2e-4, β1 = 0.5), BCE on
 * logits. One training step = one D step (real + detached fake) + one G step, batch 16.
 * Also G forward (inference) at batch 64. Same architecture as bench/peers/dcgan64.py.
 *
 * Usage: tsx bench/cases/dcgan64.ts --peer gankit-wasm|gankit-cpu|stock-wasm|stock-cpu [--reps N]
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { emit, measure, parseArgs, usePeer } from '../common.js';

/** Multiply-adds ×2 of the convolutions and dense layers, per sample. */
export const G_FORWARD_GFLOP_PER_SAMPLE = (2 * (100 * 8192 + 16 * 16 * 512 * 256 + 64 * 16 * 256 * 128 + 256 * 16 * 128 * 64 + 1024 * 16 * 64 * 3)) / 1e9;
export const D_FORWARD_GFLOP_PER_SAMPLE = (2 * (1024 * 16 * 3 * 64 + 256 * 16 * 64 * 128 + 64 * 16 * 128 * 256 + 16 * 16 * 256 * 512 + 8192)) / 1e9;
/** D step: G fwd (16) + D fwd (32) + D bwd weights+inputs (≈2× fwd, 32); G step: G fwd + D fwd + D bwd(inputs) + G bwd (≈2× fwd). */
export const STEP_GFLOP = 16 * (G_FORWARD_GFLOP_PER_SAMPLE * 4 + D_FORWARD_GFLOP_PER_SAMPLE * (3 * 2 + 2));

export function buildGenerator(): tfl.LayersModel {
  const g = tfl.sequential();
  g.add(tfl.layers.dense({ inputShape: [100], units: 4 * 4 * 512, useBias: false }));
  g.add(tfl.layers.reshape({ targetShape: [4, 4, 512] }));
  g.add(tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
  g.add(tfl.layers.reLU());
  for (const filters of [256, 128, 64]) {
    g.add(tfl.layers.conv2dTranspose({ filters, kernelSize: 4, strides: 2, padding: 'same', useBias: false }));
    g.add(tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
    g.add(tfl.layers.reLU());
  }
  g.add(tfl.layers.conv2dTranspose({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' }));
  return g;
}

export function buildDiscriminator(): tfl.LayersModel {
  const d = tfl.sequential();
  [64, 128, 256, 512].forEach((filters, i) => {
    d.add(tfl.layers.conv2d({ ...(i === 0 ? { inputShape: [64, 64, 3] } : {}), filters, kernelSize: 4, strides: 2, padding: 'same' }));
    d.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  });
  d.add(tfl.layers.flatten());
  d.add(tfl.layers.dense({ units: 1 }));
  return d;
}

/** One D step + one G step; returns the two losses (read back, so the work is finished). */
export function makeStep(g: tfl.LayersModel, d: tfl.LayersModel, batch: number): () => number[] {
  const step = makeStepLosses(g, d, batch);
  return () => {
    const losses = step();
    const values = Array.from(losses.dataSync());
    losses.dispose();
    return values;
  };
}

/**
 * One D step + one G step, returning [D loss, G loss] as a tensor the caller reads and disposes:
 * synchronously here, with `await data()` on GPU backends (bench/gpu/run.ts).
 */
export function makeStepLosses(g: tfl.LayersModel, d: tfl.LayersModel, batch: number): () => tf.Tensor1D {
  const dOpt = tf.train.adam(2e-4, 0.5, 0.999);
  const gOpt = tf.train.adam(2e-4, 0.5, 0.999);
  const gVars = g.trainableWeights.map((w) => w.read() as tf.Variable);
  const dVars = d.trainableWeights.map((w) => w.read() as tf.Variable);
  const ones = tf.ones([batch, 1]);
  const zeros = tf.zeros([batch, 1]);
  let seed = 1;
  return () => {
    const z = tf.randomNormal([batch, 100], 0, 1, 'float32', seed++);
    const real = tf.randomUniform([batch, 64, 64, 3], -1, 1, 'float32', seed++);
    const fake = tf.tidy(() => g.apply(z, { training: true }) as tf.Tensor);
    const dLoss = dOpt.minimize(
      () =>
        tf.add(tf.losses.sigmoidCrossEntropy(ones, d.apply(real, { training: true }) as tf.Tensor), tf.losses.sigmoidCrossEntropy(zeros, d.apply(fake, { training: true }) as tf.Tensor)) as tf.Scalar,
      true,
      dVars,
    );
    const gLoss = gOpt.minimize(() => tf.losses.sigmoidCrossEntropy(ones, d.apply(g.apply(z, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor) as tf.Scalar, true, gVars);
    const losses = tf.stack([dLoss!, gLoss!]) as tf.Tensor1D;
    tf.dispose([z, real, fake, dLoss!, gLoss!]);
    return losses;
  };
}

async function main(): Promise<void> {
  const { peer, reps, only } = parseArgs();
  await usePeer(peer);
  const slow = peer.endsWith('-cpu');
  const g = buildGenerator();
  const d = buildDiscriminator();
  if (!only || only === 'dcgan64_g_forward_b64') {
    const z = tf.randomNormal([64, 100], 0, 1, 'float32', 7);
    emit(
      await measure(
        'dcgan64_g_forward_b64',
        peer,
        () => {
          const y = tf.tidy(() => g.apply(z, { training: false }) as tf.Tensor);
          y.dataSync();
          y.dispose();
        },
        { reps: slow ? 1 : reps, warmup: slow ? 0 : 1, gflop: 64 * G_FORWARD_GFLOP_PER_SAMPLE },
      ),
    );
    z.dispose();
  }
  // --batches 8,16,32,64: the training step at each batch size (dcgan64_train_step_b<N>)
  const bi = process.argv.indexOf('--batches');
  const batches = bi >= 0 ? process.argv[bi + 1].split(',').map(Number) : [16];
  for (const batch of batches) {
    const name = `dcgan64_train_step_b${batch}`;
    if (only && only !== name) continue;
    const step = makeStep(g, d, batch);
    const m = await measure(name, peer, () => void step(), { reps: slow ? 1 : reps, warmup: slow ? 0 : 1, gflop: (STEP_GFLOP * batch) / 16 });
    if (slow) m.note = 'one step, no warm-up (tensors_delta includes the Adam state created by the first step)';
    emit(m);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
