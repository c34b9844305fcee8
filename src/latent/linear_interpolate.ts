/**
 * InterFaceGAN editing along a boundary normal.
 *
 * Reference: genforce/interfacegan `utils/manipulator.py` `linear_interpolate(latent_code,
 * boundary, start_distance=−3.0, end_distance=3.0, steps=10)`:
 * - code `[1, D]` (Z or W): `d_i = linspace(start, end, steps)_i − code·nᵀ`, output `code + d_i·n`, so
 *   the code is first projected onto the (origin) hyperplane and output i lies at signed distance
 *   exactly `linspace_i`;
 * - code `[1, L, D]` (W+ per-layer codes): `code + linspace_i·n` on every layer — a relative move,
 *   **no projection** (as the reference).
 */
import * as tf from '@tensorflow/tfjs-core';
import { dot, readVector } from '../linalg/index.js';

export interface LinearInterpolateOptions {
  /** Signed distance of the first output (default −3). */
  start?: number;
  /** Signed distance of the last output (default 3). */
  end?: number;
  /** Number of outputs (default 10). */
  steps?: number;
}

/** numpy `linspace(start, end, steps)`. */
export function linspace(start: number, end: number, steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`linspace: 'steps' must be a positive integer; got ${steps}`);
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new Error(`linspace: 'start' and 'end' must be finite; got ${start}, ${end}`);
  if (steps === 1) return [start];
  const out = new Array<number>(steps);
  const step = (end - start) / (steps - 1);
  for (let i = 0; i < steps; i++) out[i] = start + i * step;
  out[steps - 1] = end;
  return out;
}

/**
 * Move `code` ([1, D] or [1, L, D], Tensor or array) along the unit `boundary` ([1, D] or [D]).
 * Returns [steps, D] or [steps, L, D] of the same kind.
 */
export function linearInterpolate<T extends tf.Tensor | number[][] | number[][][]>(code: T, boundary: tf.Tensor | number[] | number[][], options: LinearInterpolateOptions = {}): T {
  const where = 'linearInterpolate';
  const { start = -3, end = 3, steps = 10 } = options;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`${where}: 'steps' must be a positive integer; got ${steps}`);
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new Error(`${where}: 'start' and 'end' must be finite; got ${start}, ${end}`);
  const n = readVector(where, 'boundary', boundary);
  const nn = Math.sqrt(dot(n, n));
  if (Math.abs(nn - 1) > 1e-3) throw new Error(`${where}: 'boundary' must be unit-norm; got norm ${nn.toPrecision(6)}`);
  let shape: number[];
  let flat: Float64Array;
  if (code instanceof tf.Tensor) {
    shape = code.shape.slice();
    flat = Float64Array.from(code.dataSync());
  } else {
    const a = code as unknown[];
    if (!Array.isArray(a) || !Array.isArray(a[0])) throw new Error(`${where}: 'code' must be [1, D] or [1, L, D]`);
    if (Array.isArray((a[0] as unknown[])[0])) {
      const a3 = a as number[][][];
      shape = [a3.length, a3[0].length, a3[0][0].length];
      flat = Float64Array.from(a3.flat(2));
    } else {
      const a2 = a as number[][];
      shape = [a2.length, a2[0].length];
      flat = Float64Array.from(a2.flat());
    }
    if (flat.length !== shape.reduce((x, y) => x * y, 1)) throw new Error(`${where}: 'code' must be rectangular`);
  }
  if (!((shape.length === 2 || shape.length === 3) && shape[0] === 1)) {
    throw new Error(`${where}: 'code' must have shape [1, D] (Z/W) or [1, L, D] (W+); got [${shape.join(', ')}]`);
  }
  const D = shape[shape.length - 1];
  if (D !== n.length) throw new Error(`${where}: 'boundary' must have dimension D = ${D} like 'code'; got ${n.length}`);
  for (let i = 0; i < flat.length; i++) if (!Number.isFinite(flat[i])) throw new Error(`${where}: 'code' must be finite; element ${i} is ${flat[i]}`);
  const dists = linspace(start, end, steps);
  const L = shape.length === 3 ? shape[1] : 1;
  const out = new Float64Array(steps * L * D);
  const offset = shape.length === 2 ? dot(flat, n) : 0;
  for (let s = 0; s < steps; s++) {
    const delta = dists[s] - offset;
    for (let l = 0; l < L; l++) {
      const o = (s * L + l) * D;
      for (let i = 0; i < D; i++) out[o + i] = flat[l * D + i] + delta * n[i];
    }
  }
  if (code instanceof tf.Tensor) return tf.tensor(Float32Array.from(out), shape.length === 2 ? [steps, D] : [steps, L, D]) as T;
  if (shape.length === 2) return Array.from({ length: steps }, (_, s) => Array.from(out.subarray(s * D, (s + 1) * D))) as T;
  return Array.from({ length: steps }, (_, s) => Array.from({ length: L }, (_, l) => Array.from(out.subarray((s * L + l) * D, (s * L + l + 1) * D)))) as T;
}
