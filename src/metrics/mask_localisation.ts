import { readTensorLike, type TensorLike } from '../linalg/index.js';

/**
 * What the attention mask's values mean.
 * - 'keep': the mask is 1 where the input is kept (GANimation's code: `out = A·I + (1 − A)·C`,
 *   albertpumarola/GANimation models/ganimation.py), so the edit weight is 1 − A.
 * - 'edit': the mask is 1 where the output is edited (GANimation paper v1's `A·C + (1 − A)·I`).
 */
export type MaskConvention = 'keep' | 'edit';

export interface MaskLocalisationOptions {
  /** Default 'keep' (GANimation's code). The convention used is echoed in the result. */
  convention?: MaskConvention;
  /** Edit weights ≥ threshold count as "edited" for the IoU; default 0.5. In (0, 1]. */
  threshold?: number;
}

export interface MaskLocalisation {
  convention: MaskConvention;
  threshold: number;
  /**
   * Mean over images of the fraction of edit mass inside the region, Σ w·r / Σ w (w = edit weight,
   * r = region weight). Images whose edit mass is 0 are left out (see `imagesWithoutMass`); NaN if all are.
   */
  massInside: number;
  /** Per image; NaN where the image has no edit mass. */
  perImageMassInside: number[];
  /** Mean fraction of the image area the region covers — what `massInside` would be for an edit spread uniformly. */
  regionFraction: number;
  /** massInside / regionFraction: > 1 means the edit concentrates on the region. */
  lift: number;
  /** Mean over images of IoU(edit weight ≥ threshold, region ≥ 0.5). */
  iou: number;
  perImageIou: number[];
  /** Mean edit weight over all pixels and images (GANimation's mask-activation statistic, in edit terms). */
  meanEditWeight: number;
  imagesWithoutMass: number;
}

function asImages(where: string, name: string, shape: number[]): { b: number | null; h: number; w: number } {
  if (shape.length === 2) return { b: null, h: shape[0], w: shape[1] };
  if (shape.length === 3) return { b: shape[0], h: shape[1], w: shape[2] };
  if (shape.length === 4 && shape[3] === 1) return { b: shape[0], h: shape[1], w: shape[2] };
  throw new Error(`${where}: '${name}' must be [H, W], [B, H, W] or [B, H, W, 1]; got shape [${shape.join(', ')}]`);
}

function checkUnit(where: string, name: string, data: Float64Array, shape: readonly number[]): void {
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0 || data[i] > 1) {
      const idx: number[] = [];
      for (let k = shape.length - 1, rest = i; k >= 0; k--) {
        idx.unshift(rest % shape[k]);
        rest = Math.floor(rest / shape[k]);
      }
      throw new Error(`${where}: '${name}' values must be in [0, 1]; element [${idx.join(', ')}] is ${data[i]}`);
    }
  }
}

/**
 * Mask-localisation score: how much of an attention mask's edit falls on the region that should
 * change (e.g. the pixels an action unit moves, which the synthetic-face renderer knows) —
 * GANimation's claim that the attention mask focuses on the AU's region. `mask` is `[H, W]`,
 * `[B, H, W]` or `[B, H, W, 1]` in [0, 1]; `region` is the same shape or a single `[H, W]`
 * applied to every image, in [0, 1] (soft regions weight the mass; the IoU binarises at 0.5).
 * Every image's region must be non-empty.
 */
export function maskLocalisation(mask: TensorLike, region: TensorLike, options: MaskLocalisationOptions = {}): MaskLocalisation {
  const where = 'maskLocalisation';
  const { convention = 'keep', threshold = 0.5 } = options;
  if (convention !== 'keep' && convention !== 'edit') throw new Error(`${where}: 'convention' must be 'keep' or 'edit'; got ${String(convention)}`);
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`${where}: 'threshold' must be in (0, 1]; got ${threshold}`);
  const m = readTensorLike(where, 'mask', mask);
  const r = readTensorLike(where, 'region', region);
  const ms = asImages(where, 'mask', m.shape);
  const rs = asImages(where, 'region', r.shape);
  if (ms.h !== rs.h || ms.w !== rs.w || (rs.b !== null && rs.b !== (ms.b ?? 1))) {
    throw new Error(`${where}: 'region' must be [${ms.h}, ${ms.w}] or match 'mask' [${m.shape.join(', ')}]; got [${r.shape.join(', ')}]`);
  }
  if (ms.h * ms.w === 0) throw new Error(`${where}: 'mask' must not be empty; got shape [${m.shape.join(', ')}]`);
  checkUnit(where, 'mask', m.data, m.shape);
  checkUnit(where, 'region', r.data, r.shape);

  const b = ms.b ?? 1;
  const hw = ms.h * ms.w;
  const perImageMassInside: number[] = [];
  const perImageIou: number[] = [];
  let regionFractionSum = 0;
  let editSum = 0;
  for (let k = 0; k < b; k++) {
    const ro = rs.b === null ? 0 : k * hw;
    let mass = 0;
    let inside = 0;
    let regionMass = 0;
    let inter = 0;
    let union = 0;
    for (let p = 0; p < hw; p++) {
      const a = m.data[k * hw + p];
      const w = convention === 'keep' ? 1 - a : a;
      const rw = r.data[ro + p];
      mass += w;
      inside += w * rw;
      regionMass += rw;
      const e = w >= threshold;
      const g = rw >= 0.5;
      if (e && g) inter++;
      if (e || g) union++;
    }
    if (regionMass === 0) throw new Error(`${where}: 'region' of image ${k} is empty (all zeros); localisation is undefined`);
    editSum += mass;
    regionFractionSum += regionMass / hw;
    perImageMassInside.push(mass > 0 ? inside / mass : NaN);
    perImageIou.push(union > 0 ? inter / union : 0);
  }
  const withMass = perImageMassInside.filter((v) => !Number.isNaN(v));
  const massInside = withMass.length > 0 ? withMass.reduce((s, v) => s + v, 0) / withMass.length : NaN;
  const regionFraction = regionFractionSum / b;
  return {
    convention,
    threshold,
    massInside,
    perImageMassInside,
    regionFraction,
    lift: massInside / regionFraction,
    iou: perImageIou.reduce((s, v) => s + v, 0) / b,
    perImageIou,
    meanEditWeight: editSum / (b * hw),
    imagesWithoutMass: b - withMass.length,
  };
}
