/**
 * Latent sampling with a seed.
 *
 * - 'normal': z ~ N(0, I) (DCGAN, PGGAN/TL-GAN, InterFaceGAN Z, GANSpace).
 * - 'truncated': `truncnorm(−bound, bound) · truncation` — BigGAN's latents in GAN steerability
 *   (ali-design/gan_steerability `graphs/biggan/graph_util.py`, `truncated_z_sample`; bound 2).
 * - 'uniform': U(low, high), default U(−1, 1) (DCGAN-style priors).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../util/random.js';

export interface SampleLatentsOptions {
  distribution?: 'normal' | 'uniform' | 'truncated';
  /** Scale of truncated samples (BigGAN truncation; default 1). */
  truncation?: number;
  /** Truncation bound in standard deviations (default 2). */
  bound?: number;
  /** Uniform range (default −1, 1). */
  low?: number;
  high?: number;
  seed?: number;
  /** Return a Tensor2D (default) or number[][]. */
  output?: 'tensor' | 'array';
}

/** `n` latent codes of dimension `dim` → [n, dim]. */
export function sampleLatents(n: number, dim: number, options: SampleLatentsOptions & { output: 'array' }): number[][];
export function sampleLatents(n: number, dim: number, options?: SampleLatentsOptions): tf.Tensor2D;
export function sampleLatents(n: number, dim: number, options: SampleLatentsOptions = {}): tf.Tensor2D | number[][] {
  const where = 'sampleLatents';
  if (!Number.isInteger(n) || n < 1) throw new Error(`${where}: 'n' must be a positive integer; got ${n}`);
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`${where}: 'dim' must be a positive integer; got ${dim}`);
  const { distribution = 'normal', truncation = 1, bound = 2, low = -1, high = 1, seed = 0 } = options;
  const rng = new Random(seed);
  const data = new Float32Array(n * dim);
  if (distribution === 'normal') {
    for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  } else if (distribution === 'truncated') {
    if (!(truncation > 0)) throw new Error(`${where}: 'truncation' must be > 0; got ${truncation}`);
    if (!(bound > 0)) throw new Error(`${where}: 'bound' must be > 0; got ${bound}`);
    for (let i = 0; i < data.length; i++) data[i] = truncation * rng.truncatedNormal(bound);
  } else if (distribution === 'uniform') {
    if (!(high > low)) throw new Error(`${where}: need 'high' > 'low'; got [${low}, ${high})`);
    for (let i = 0; i < data.length; i++) data[i] = rng.uniform(low, high);
  } else {
    throw new Error(`${where}: 'distribution' must be 'normal', 'uniform' or 'truncated'; got ${String(distribution)}`);
  }
  if (options.output === 'array') return Array.from({ length: n }, (_, r) => Array.from(data.subarray(r * dim, (r + 1) * dim)));
  return tf.tensor2d(data, [n, dim]);
}
