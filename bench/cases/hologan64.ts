/**
 * HoloGAN-64 generator training step (issue 3, bench (b)): gankit's `buildHoloGanGenerator`
 * (learned 4³×512 constant, AdaIN from z, two conv3dTranspose k3 s2 to a 16³×64 volume, 3D rigid
 * transform by the view, projection unit to 16×16×1024, conv2dTranspose up to 64×64×3, tanh) and
 * `buildHoloGanDiscriminator` (conv5 s2, 3 × spectral-norm conv5 s2 + InstanceNorm + leakyReLU,
 * dense logit and latent head). One G step: non-saturating loss softplus(−D(G(z, view))), Adam on
 * G's variables, batch 8. Same architecture as bench/peers/hologan64.py.
 *
 * Usage: tsx bench/cases/hologan64.ts --peer gankit-wasm|gankit-wasm-2t|gankit-cpu|stock-wasm [--reps N]
 */
import * as tf from '@tensorflow/tfjs-core';
import { emit, measure, parseArgs, usePeer } from '../common.js';
import { buildHoloGanDiscriminator, buildHoloGanGenerator } from '../../src/models/hologan.js';

const BATCH = 8;

async function main(): Promise<void> {
  const { peer, reps } = parseArgs();
  await usePeer(peer);
  const slow = peer.endsWith('-cpu');
  const G = buildHoloGanGenerator({ imageSize: 64 });
  const D = buildHoloGanDiscriminator({ imageSize: 64 });
  const gVars = G.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = tf.train.adam(1e-4, 0.5, 0.999);
  let seed = 1;
  const step = () => {
    const z = tf.randomUniform([BATCH, 128], -1, 1, 'float32', seed++);
    // view = [azimuth, elevation, scale x3, unused]: scale 1.
    const s = seed++;
    const view = tf.tidy(() => tf.concat([tf.randomUniform([BATCH, 2], -1, 1, 'float32', s), tf.ones([BATCH, 3]), tf.zeros([BATCH, 1])], 1));
    const loss = opt.minimize(
      () => {
        const out = D.apply(G.apply([z, view], { training: true }) as tf.Tensor, { training: true });
        const logit = (Array.isArray(out) ? out[0] : out) as tf.Tensor;
        return tf.mean(tf.softplus(tf.neg(logit))) as tf.Scalar;
      },
      true,
      gVars,
    );
    loss!.dataSync();
    tf.dispose([z, view, loss!]);
  };
  const m = await measure('hologan64_g_step_b8', peer, step, { reps: slow ? 1 : reps, warmup: slow ? 0 : 1 });
  if (slow) m.note = 'one step, no warm-up (tensors_delta includes the Adam state created by the first step)';
  emit(m);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
