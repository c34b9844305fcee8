import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../util/random.js';
import { assertPositiveInteger } from '../util/validate.js';

/**
 * Ranges for {@link sampleViews}, in the reference's units: integer degrees for azimuth and for the
 * "elevation" config values (converted as `90° − value`), voxels for shifts.
 */
export interface ViewRanges {
  /** Azimuth: `randint(low, high)` degrees (high exclusive). */
  azimuthLow: number;
  azimuthHigh: number;
  /** Elevation config: `90 − randint(low, high)` degrees (so 70..110 gives the integers −19° … +20°). */
  elevationLow: number;
  elevationHigh: number;
  /** Scale: one `uniform(low, high)` for the whole batch when `withScale`, else 1. */
  scaleLow: number;
  scaleHigh: number;
  withScale: boolean;
  /** Shifts: `uniform(low, high)` per sample and axis when `withTranslation`, else 0. */
  xLow: number;
  xHigh: number;
  yLow: number;
  yHigh: number;
  zLow: number;
  zHigh: number;
  withTranslation: boolean;
}

/**
 * HoloGAN's CelebA settings (`config_HoloGAN.json`: ele 70..110, azi 220..320, scale 1..1, no
 * translation; shift ranges ±3 are the function's defaults and unused here).
 */
export const HOLOGAN_CELEBA_VIEW_RANGES: Readonly<ViewRanges> = Object.freeze({
  azimuthLow: 220,
  azimuthHigh: 320,
  elevationLow: 70,
  elevationHigh: 110,
  scaleLow: 1,
  scaleHigh: 1,
  withScale: false,
  xLow: -3,
  xHigh: 3,
  yLow: -3,
  yHigh: 3,
  zLow: -3,
  zHigh: 3,
  withTranslation: false,
});

/**
 * Random view parameters [B, 6] = (azimuth, elevation, scale, tx, ty, tz), radians for angles, as
 * HoloGAN samples them (`tools/rotation_utils.py`, `generate_random_rotation_translation`):
 * `azimuth = randint(aziLow, aziHigh)·π/180`, `elevation = (90 − randint(eleLow, eleHigh))·π/180`
 * (integer degrees, high exclusive), scale 1 unless `withScale` (then one uniform draw for the whole
 * batch), shifts uniform only with `withTranslation`. Defaults: {@link HOLOGAN_CELEBA_VIEW_RANGES}.
 * The reference's call site passes `with_scale = with_translation` (a copy-paste slip); here the
 * two flags are independent. Draw order follows the reference: azimuths, elevations, shifts, scale.
 */
export function sampleViews(batch: number, ranges: Partial<ViewRanges> = {}, seed: number | Random = 0): tf.Tensor2D {
  const where = 'sampleViews';
  assertPositiveInteger(where, 'batch', batch);
  const r: ViewRanges = { ...HOLOGAN_CELEBA_VIEW_RANGES, ...ranges };
  for (const [lo, hi] of [
    ['azimuthLow', 'azimuthHigh'],
    ['elevationLow', 'elevationHigh'],
  ] as const) {
    if (!Number.isInteger(r[lo]) || !Number.isInteger(r[hi]) || !(r[hi] > r[lo])) {
      throw new Error(`${where}: '${lo}'/'${hi}' must be integers (degrees) with ${hi} > ${lo}; got ${r[lo]}, ${r[hi]}`);
    }
  }
  for (const [lo, hi] of [
    ['scaleLow', 'scaleHigh'],
    ['xLow', 'xHigh'],
    ['yLow', 'yHigh'],
    ['zLow', 'zHigh'],
  ] as const) {
    if (!Number.isFinite(r[lo]) || !Number.isFinite(r[hi]) || r[hi] < r[lo]) {
      throw new Error(`${where}: '${lo}'/'${hi}' must be finite with ${hi} >= ${lo}; got ${r[lo]}, ${r[hi]}`);
    }
  }
  if (r.withScale && !(r.scaleLow > 0)) throw new Error(`${where}: 'scaleLow' must be > 0; got ${r.scaleLow}`);
  const rng = typeof seed === 'number' ? new Random(seed) : seed;
  const out = new Float32Array(batch * 6);
  const deg = Math.PI / 180;
  for (let b = 0; b < batch; b++) out[6 * b] = rng.int(r.azimuthLow, r.azimuthHigh) * deg;
  for (let b = 0; b < batch; b++) out[6 * b + 1] = (90 - rng.int(r.elevationLow, r.elevationHigh)) * deg;
  if (r.withTranslation) {
    const axes: [number, number][] = [
      [r.xLow, r.xHigh],
      [r.yLow, r.yHigh],
      [r.zLow, r.zHigh],
    ];
    axes.forEach(([lo, hi], a) => {
      for (let b = 0; b < batch; b++) out[6 * b + 3 + a] = rng.uniform(lo, hi);
    });
  }
  const scale = r.withScale ? rng.uniform(r.scaleLow, r.scaleHigh) : 1;
  for (let b = 0; b < batch; b++) out[6 * b + 2] = scale;
  return tf.tensor2d(out, [batch, 6]);
}
