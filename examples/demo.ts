/**
 * `npm run demo [-- --quick] [--out dir] [--seed n] [--backend name]`
 *
 * Runs gankit's reproductions in quick mode and writes figures and reports under `out/`.
 * Until the per-document reproductions land, it trains a small fully-connected GAN on an
 * embedded procedural dataset (12×12 Gaussian blobs) and writes a PNG sample grid.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { setupBackend, type BackendPreference } from '../src/backend/index.js';
import { saveImageGrid } from '../src/node/index.js';
import { Random } from '../src/util/random.js';

function parseArgs(argv: string[]): { quick: boolean; out: string; seed: number; backend: BackendPreference } {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    quick: argv.includes('--quick'),
    out: get('--out') ?? 'out/demo',
    seed: Number(get('--seed') ?? 0),
    backend: (get('--backend') ?? 'auto') as BackendPreference,
  };
}

const SIZE = 12;

/** A batch of blobs: one Gaussian bump at a random position, mapped to [−1, 1]. */
function blobBatch(rng: Random, n: number): tf.Tensor2D {
  const out = new Float32Array(n * SIZE * SIZE);
  for (let k = 0; k < n; k++) {
    const cx = rng.uniform(3, SIZE - 3), cy = rng.uniform(3, SIZE - 3);
    for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) {
      out[k * SIZE * SIZE + y * SIZE + x] = 2 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 4) - 1;
    }
  }
  return tf.tensor2d(out, [n, SIZE * SIZE]);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const backend = await setupBackend(args.backend);
  console.log(`demo: seed ${args.seed}, backend ${backend}, ${args.quick ? 'quick' : 'full'} mode, out ${args.out}`);
  mkdirSync(args.out, { recursive: true });
  const rng = new Random(args.seed);
  const latentDim = 8;
  const generator = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 64, inputShape: [latentDim], activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.seed() }) }),
      tfl.layers.dense({ units: SIZE * SIZE, activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.seed() }) }),
    ],
  });
  const discriminator = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 64, inputShape: [SIZE * SIZE], kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.seed() }) }),
      tfl.layers.leakyReLU({ alpha: 0.2 }),
      tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.seed() }) }),
    ],
  });
  const gVars = generator.trainableWeights.map((w) => w.read() as tf.Variable);
  const dVars = discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
  const gOpt = tf.train.adam(2e-3, 0.5);
  const dOpt = tf.train.adam(2e-3, 0.5);
  const steps = args.quick ? 300 : 3000;
  const batch = 32;
  const bce = (logits: tf.Tensor, label: number) => tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, label), logits);
  const start = Date.now();
  let dLoss = 0, gLoss = 0;
  for (let step = 1; step <= steps; step++) {
    const real = blobBatch(rng, batch);
    const z = tf.tensor2d(rng.normalArray(batch * latentDim), [batch, latentDim]);
    const d = dOpt.minimize(() => {
      const fake = generator.apply(z) as tf.Tensor;
      return tf.add(bce(discriminator.apply(real) as tf.Tensor, 1), bce(discriminator.apply(fake) as tf.Tensor, 0)) as tf.Scalar;
    }, true, dVars)!;
    const g = gOpt.minimize(() => bce(discriminator.apply(generator.apply(z) as tf.Tensor) as tf.Tensor, 1) as tf.Scalar, true, gVars)!;
    if (step % 50 === 0 || step === steps) {
      dLoss = d.dataSync()[0];
      gLoss = g.dataSync()[0];
      console.log(`step ${step}/${steps}  D ${dLoss.toFixed(3)}  G ${gLoss.toFixed(3)}`);
    }
    tf.dispose([real, z, d, g]);
  }
  const zFixed = tf.tensor2d(new Random(args.seed + 1).normalArray(36 * latentDim), [36, latentDim]);
  const samples = tf.tidy(() => tf.reshape(generator.predict(zFixed) as tf.Tensor, [36, SIZE, SIZE, 1]));
  const file = path.join(args.out, 'samples.png');
  await saveImageGrid(samples, file, { cols: 6 });
  const report = { seed: args.seed, backend, steps, dLoss, gLoss, seconds: (Date.now() - start) / 1000, samples: 'samples.png' };
  writeFileSync(path.join(args.out, 'report.json'), JSON.stringify(report, null, 2));
  console.log(`wrote ${file} and report.json (${report.seconds.toFixed(1)} s)`);
  tf.dispose([zFixed, samples]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
