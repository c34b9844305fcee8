/**
 * Latent arithmetic with attribute vectors.
 *
 * Reference: openai/glow `demo/get_manipulators.py` (`dz = mean(z | attr = +1) − mean(z | attr = −1)`,
 * scaled by 1.6 for the demo) and `demo/model.py` (`z + α·dz`; projection `z · (dz/‖dz‖²)ᵀ`);
 * DFC-VAE's "with minus without" attribute vectors (AntixK/PyTorch-VAE).
 */
import * as tf from '@tensorflow/tfjs-core';
import { kindOf, type MatrixLike, readMatrix, readVector, writeMatrix } from '../linalg/index.js';

export interface AttributeVectorOptions {
  /** Multiply the difference of means (Glow's demo uses 1.6). Default 1. */
  scale?: number;
}

/**
 * `mean(latents[label]) − mean(latents[!label])` → [dim] (Tensor1D or number[] like `latents`).
 * A label is positive when it is `true` or > 0 (Glow's ±1, or 1/0); all others are negative.
 */
export function attributeVector<T extends MatrixLike>(latents: T, labels: ArrayLike<number | boolean> | tf.Tensor, options: AttributeVectorOptions = {}): T extends tf.Tensor ? tf.Tensor1D : number[] {
  const where = 'attributeVector';
  const m = readMatrix(where, 'latents', latents);
  const raw = labels instanceof tf.Tensor ? labels.dataSync() : labels;
  if (raw.length !== m.rows) throw new Error(`${where}: 'labels' must have one entry per latent (${m.rows}); got ${raw.length}`);
  const d = m.cols;
  const pos = new Float64Array(d);
  const neg = new Float64Array(d);
  let np = 0;
  let nn = 0;
  for (let r = 0; r < m.rows; r++) {
    const v = raw[r];
    if (typeof v === 'number' && Number.isNaN(v)) throw new Error(`${where}: 'labels' entry ${r} is NaN`);
    const isPos = v === true || (typeof v === 'number' && v > 0);
    const acc = isPos ? pos : neg;
    for (let c = 0; c < d; c++) acc[c] += m.data[r * d + c];
    if (isPos) np++;
    else nn++;
  }
  if (np === 0 || nn === 0) throw new Error(`${where}: need latents with and without the attribute; got ${np} with and ${nn} without`);
  const scale = options.scale ?? 1;
  const out = new Float64Array(d);
  for (let c = 0; c < d; c++) out[c] = scale * (pos[c] / np - neg[c] / nn);
  return (latents instanceof tf.Tensor ? tf.tensor1d(Float32Array.from(out)) : Array.from(out)) as never;
}

/**
 * `z + f·v` for rows z [B, D] and an attribute vector v [D]; `f` is one number or one per row.
 * Same kind as `z`. (Glow `demo/model.py`: `z + α·dz`.)
 */
export function applyAttribute<T extends MatrixLike>(z: T, v: tf.Tensor | number[], f: number | number[]): T extends tf.Tensor ? tf.Tensor2D : number[][] {
  const where = 'applyAttribute';
  const m = readMatrix(where, 'z', z);
  const vec = readVector(where, 'v', v);
  if (vec.length !== m.cols) throw new Error(`${where}: 'v' must have dimension D = ${m.cols} like 'z'; got ${vec.length}`);
  const fs = typeof f === 'number' ? new Array<number>(m.rows).fill(f) : f;
  if (!Array.isArray(fs) || fs.length !== m.rows) throw new Error(`${where}: 'f' must be a number or one number per row (${m.rows}); got ${Array.isArray(f) ? f.length : typeof f}`);
  const out = new Float64Array(m.data.length);
  for (let r = 0; r < m.rows; r++) {
    if (!Number.isFinite(fs[r])) throw new Error(`${where}: 'f' must be finite; entry ${r} is ${fs[r]}`);
    for (let c = 0; c < m.cols; c++) out[r * m.cols + c] = m.data[r * m.cols + c] + fs[r] * vec[c];
  }
  return writeMatrix({ data: out, rows: m.rows, cols: m.cols }, kindOf(z)) as never;
}

/** Coordinates of rows z [B, D] along v: `z · v / ‖v‖²` → number[] (Glow `demo/model.py`). */
export function projectOnAttribute(z: MatrixLike, v: tf.Tensor | number[]): number[] {
  const where = 'projectOnAttribute';
  const m = readMatrix(where, 'z', z);
  const vec = readVector(where, 'v', v);
  if (vec.length !== m.cols) throw new Error(`${where}: 'v' must have dimension D = ${m.cols} like 'z'; got ${vec.length}`);
  let vv = 0;
  for (const x of vec) vv += x * x;
  if (!(vv > 0)) throw new Error(`${where}: 'v' must be non-zero`);
  return Array.from({ length: m.rows }, (_, r) => {
    let s = 0;
    for (let c = 0; c < m.cols; c++) s += m.data[r * m.cols + c] * vec[c];
    return s / vv;
  });
}

/**
 * Glow's manipulation strip: `z + α·v` for α = linspace(−1, 1, points) — `manipulate_range(z − dz,
 * 2·dz, points)` in openai/glow `demo/model.py` (dz already scaled, e.g. ×1.6). `z` is one code
 * ([D] or [1, D]); returns [points, D] (Tensor2D or number[][] like `z`).
 */
export function attributeRange(z: tf.Tensor | number[] | number[][], v: tf.Tensor | number[], points = 5): tf.Tensor2D | number[][] {
  const where = 'attributeRange';
  const zv = readVector(where, 'z', z);
  const vv = readVector(where, 'v', v);
  if (vv.length !== zv.length) throw new Error(`${where}: 'v' must have dimension D = ${zv.length} like 'z'; got ${vv.length}`);
  if (!Number.isInteger(points) || points < 2) throw new Error(`${where}: 'points' must be an integer ≥ 2; got ${points}`);
  const D = zv.length;
  const out = new Float64Array(points * D);
  for (let p = 0; p < points; p++) {
    const a = -1 + (2 * p) / (points - 1);
    for (let c = 0; c < D; c++) out[p * D + c] = zv[c] + a * vv[c];
  }
  return writeMatrix({ data: out, rows: points, cols: D }, z instanceof tf.Tensor ? 'tensor' : 'array');
}
