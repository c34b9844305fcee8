/**
 * A speed check for generator sizes no checkpoint has: the bundled generators are 32 px, but the
 * studio's budget (≤ 100 ms per slider update on webgl) is stated for 64 px. This builds an
 * untrained DCGAN generator of the requested size with `buildDcganGenerator` (seeded; its images
 * are noise and are never shown) and times slider-like updates through the page's own draw path:
 * generator forward, the current model's readout heads on the image resized to their input, one
 * read-back, drawing on an off-screen canvas.
 */
import * as tf from '@tensorflow/tfjs-core';
import { buildDcganGenerator } from '../../src/models/index.js';
import { sampleLatents } from '../../src/latent/index.js';
import { drawFrame } from './draw_frame.js';
import type { StudioSession } from './studio_session.js';

/** Milliseconds of each of `moves` updates (after one warm-up update that compiles the shaders). */
export async function timeUntrainedGenerator(session: StudioSession, size: number, moves: number): Promise<number[]> {
  if (!Number.isInteger(moves) || moves < 1) throw new Error(`studio: 'moves' must be a positive integer; got ${moves}`);
  const latentDim = 64;
  const generator = buildDcganGenerator({ imageSize: size, latentDim, filters: 32, seed: 0, name: `speed_probe_${size}` });
  const z0 = sampleLatents(1, latentDim, { seed: 0, output: 'array' })[0];
  const direction = sampleLatents(1, latentDim, { seed: 1, output: 'array' })[0];
  const canvas = document.createElement('canvas');
  const times: number[] = [];
  try {
    for (let k = -1; k < moves; k++) {
      const start = performance.now();
      const alpha = -3 + (6 * Math.max(0, k)) / Math.max(1, moves - 1);
      const { image, readouts } = tf.tidy(() => {
        const img = generator.apply(tf.tensor2d([z0.map((v, i) => v + alpha * direction[i])]), { training: false }) as tf.Tensor4D;
        const heads = session.readoutsOf(img);
        return { image: tf.clipByValue(tf.div(tf.add(tf.squeeze(img, [0]), 1), 2), 0, 1) as tf.Tensor3D, readouts: heads };
      });
      try {
        await drawFrame(canvas, image, readouts);
      } finally {
        tf.dispose([image, ...readouts]);
      }
      if (k >= 0) times.push(performance.now() - start);
    }
  } finally {
    generator.dispose();
  }
  return times;
}
