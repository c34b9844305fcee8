import * as tf from '@tensorflow/tfjs-core';
import { assertPositiveInteger } from '../../util/validate.js';
import { downscale2d, upscale2d } from './layers.js';

/**
 * Progressive GAN growth schedule (tkarras/progressive_growing_of_gans train.py `TrainingSchedule`)
 * and the matching processing of real images (`process_reals`).
 */
export interface ProgressiveScheduleOptions {
  /** Final resolution (power of two ≥ initial). */
  finalResolution: number;
  /** Starting resolution (reference `lod_initial_resolution` 4). */
  initialResolution?: number;
  /** Thousands of images shown per stable phase (reference `lod_training_kimg` 600). */
  trainingKimg?: number;
  /** Thousands of images shown per fade-in (reference `lod_transition_kimg` 600). */
  transitionKimg?: number;
  /** Minibatch per resolution (reference `minibatch_dict`); falls back to `minibatchBase`. */
  minibatch?: Record<number, number>;
  /** Reference `minibatch_base` 16. */
  minibatchBase?: number;
  /** Total thousands of images of the run (reference `total_kimg`). */
  totalKimg?: number;
}

export interface ProgressiveStage {
  kimg: number;
  /** Level of detail: log2(final) − log2(current network) + fade fraction; 0 at the final resolution. */
  lod: number;
  /** Resolution of the networks to run (2^(log2 final − ⌊lod⌋)). */
  resolution: number;
  /** Fade-in weight of the newest block, 1 − frac(lod) (1 = fully grown). */
  alpha: number;
  minibatch: number;
}

/** The reference 1-GPU preset (config.py `preset-v2-1gpu`: 600 + 600 kimg per phase, 12,000 kimg). */
export const PGGAN_REFERENCE_SCHEDULE: Readonly<Omit<ProgressiveScheduleOptions, 'finalResolution'>> = Object.freeze({
  initialResolution: 4,
  trainingKimg: 600,
  transitionKimg: 600,
  minibatch: { 4: 128, 8: 128, 16: 128, 32: 64, 64: 32, 128: 16, 256: 8, 512: 4 },
  minibatchBase: 16,
  totalKimg: 12000,
});

/**
 * A schedule that fits a CPU run to 32×32: 3 kimg stable + 3 kimg fade per phase, small batches,
 * 4 → 8 → 16 → 32 by 18 kimg, then 12 kimg at 32×32 (30 kimg in all). Pair with small feature
 * maps (e.g. `fmapBase` 1024, `fmapMax` 128, `latentDim` 128).
 */
export const PGGAN_CPU_SCHEDULE: Readonly<Omit<ProgressiveScheduleOptions, 'finalResolution'>> = Object.freeze({
  initialResolution: 4,
  trainingKimg: 3,
  transitionKimg: 3,
  minibatch: { 4: 32, 8: 32, 16: 16, 32: 16 },
  minibatchBase: 16,
  totalKimg: 30,
});

function log2Int(where: string, name: string, v: number): number {
  assertPositiveInteger(where, name, v);
  const l = Math.log2(v);
  if (!Number.isInteger(l)) throw new Error(`${where}: '${name}' must be a power of two; got ${v}`);
  return l;
}

/** Stage at `kimg` thousand images shown (reference `TrainingSchedule`). */
export function progressiveStage(kimg: number, options: ProgressiveScheduleOptions): ProgressiveStage {
  const where = 'progressiveStage';
  if (!(kimg >= 0) || !Number.isFinite(kimg)) throw new Error(`${where}: 'kimg' must be a finite number ≥ 0; got ${kimg}`);
  const finalLog2 = log2Int(where, 'finalResolution', options.finalResolution);
  const initLog2 = log2Int(where, 'initialResolution', options.initialResolution ?? 4);
  if (initLog2 > finalLog2) throw new Error(`${where}: 'initialResolution' (${options.initialResolution}) must not exceed 'finalResolution' (${options.finalResolution})`);
  const train = options.trainingKimg ?? 600;
  const trans = options.transitionKimg ?? 600;
  if (!(train >= 0) || !(trans >= 0)) throw new Error(`${where}: 'trainingKimg' and 'transitionKimg' must be ≥ 0; got ${train}, ${trans}`);
  const phaseDur = train + trans;
  const phaseIdx = phaseDur > 0 ? Math.floor(kimg / phaseDur) : 0;
  const phaseKimg = kimg - phaseIdx * phaseDur;
  let lod = finalLog2 - initLog2 - phaseIdx;
  if (trans > 0) lod -= Math.max(phaseKimg - train, 0) / trans;
  lod = Math.max(lod, 0);
  const resolution = 2 ** (finalLog2 - Math.floor(lod));
  const alpha = 1 - (lod - Math.floor(lod));
  const minibatch = options.minibatch?.[resolution] ?? options.minibatchBase ?? 16;
  return { kimg, lod, resolution, alpha, minibatch };
}

/**
 * Real images for the current stage (reference `process_reals`, at the network's resolution):
 * box-downscale `x` to `resolution`, then fade with the next-coarser level,
 * x + (upscale(downscale(x)) − x)·(1 − α).
 */
export function prepareReals(x: tf.Tensor, resolution: number, alpha: number): tf.Tensor4D {
  const where = 'prepareReals';
  if (x.rank !== 4 || x.shape[1] !== x.shape[2]) throw new Error(`${where}: 'x' must be square images [B, S, S, C]; got [${x.shape.join(', ')}]`);
  const s = x.shape[1]!;
  const factor = s / resolution;
  if (!Number.isInteger(Math.log2(factor)) || factor < 1) throw new Error(`${where}: 'resolution' must be the image size ${s} divided by a power of two; got ${resolution}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`${where}: 'alpha' must be in [0, 1]; got ${alpha}`);
  return tf.tidy(() => {
    let y = x as tf.Tensor4D;
    for (let f = factor; f > 1; f /= 2) y = downscale2d(y);
    if (alpha >= 1 || resolution < 2) return tf.clone(y);
    const coarse = upscale2d(downscale2d(y));
    return tf.add(y, tf.mul(tf.sub(coarse, y), 1 - alpha)) as tf.Tensor4D;
  });
}
