import { AU_NAMES, auIndex, auVector, type AuName } from './aus.js';
import type { FaceParams } from './params.js';
import { faceImageShape, renderFace, type RenderFaceOptions } from './render.js';

export interface AuRegionOptions extends Pick<RenderFaceOptions, 'size' | 'mode'> {
  /** A pixel belongs to the region when some channel changes by more than this (values in [−1, 1]). Default 0.04. */
  threshold?: number;
  /** The two intensities compared. Default [0, 1]. */
  intensities?: [number, number];
}

/**
 * The image region an action unit moves for one face: render the face with that AU at
 * `intensities[0]` and at `intensities[1]` (every other AU, the identity and the pose kept) and mark
 * the pixels whose value changes by more than `threshold`. Exact ground truth by construction — use
 * it to measure where an attention mask (GANimation) falls. Returns size·size values in {0, 1}.
 */
export function auRegionMask(params: FaceParams, au: AuName | number, options: AuRegionOptions = {}): Float32Array {
  const k = typeof au === 'number' ? au : auIndex(au);
  if (!Number.isInteger(k) || k < 0 || k >= AU_NAMES.length) throw new Error(`auRegionMask: 'au' must be an AU name or an index in [0, ${AU_NAMES.length - 1}]; got ${au}`);
  const { threshold = 0.04, intensities = [0, 1] } = options;
  if (!(threshold > 0)) throw new Error(`auRegionMask: 'threshold' must be > 0; got ${threshold}`);
  const base = auVector(params.aus, 'auRegionMask');
  const lo = Float32Array.from(base),
    hi = Float32Array.from(base);
  lo[k] = intensities[0];
  hi[k] = intensities[1];
  const [h, w, c] = faceImageShape(options);
  const a = renderFace({ ...params, aus: lo }, { size: h, mode: options.mode });
  const b = renderFace({ ...params, aus: hi }, { size: h, mode: options.mode });
  const mask = new Float32Array(h * w);
  for (let p = 0; p < h * w; p++) {
    let d = 0;
    for (let ch = 0; ch < c; ch++) d = Math.max(d, Math.abs(a[p * c + ch] - b[p * c + ch]));
    mask[p] = d > threshold ? 1 : 0;
  }
  return mask;
}

/** {@link auRegionMask} for every AU in {@link AU_NAMES} order: one size·size mask each. */
export function auRegionMasks(params: FaceParams, options: AuRegionOptions = {}): Float32Array[] {
  return AU_NAMES.map((_, k) => auRegionMask(params, k, options));
}
