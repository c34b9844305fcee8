/**
 * Paths between latent codes: linear and spherical interpolation.
 *
 * slerp follows White (2016), "Sampling generative networks" (used by GAN steerability's and
 * Glow's interpolation demos): `Ω = ∠(a, b)`, `slerp = sin((1−t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b`.
 * Ω is computed as `2·atan2(‖â − b̂‖, ‖â + b̂‖)` (accurate for nearly parallel vectors, where
 * `acos` of the dot product loses half the digits), and the ratios `sin(xΩ)/sin Ω` are evaluated as
 * `x·sinc(xΩ)/sinc(Ω)`, so the formula degrades smoothly into lerp as Ω → 0. Antiparallel inputs
 * (no unique great circle) throw.
 */
import * as tf from '@tensorflow/tfjs-core';

type Vecs = tf.Tensor | number[] | number[][];

interface Rows {
  data: Float64Array;
  rows: number;
  dim: number;
  shape: number[];
}

function readRows(where: string, name: string, x: Vecs): Rows {
  let data: Float64Array;
  let shape: number[];
  if (x instanceof tf.Tensor) {
    if (x.rank !== 1 && x.rank !== 2) throw new Error(`${where}: '${name}' must have shape [D] or [B, D]; got [${x.shape.join(', ')}]`);
    shape = x.shape.slice();
    data = Float64Array.from(x.dataSync());
  } else if (Array.isArray(x) && x.length > 0 && Array.isArray(x[0])) {
    const a = x as number[][];
    shape = [a.length, a[0].length];
    data = Float64Array.from(a.flat());
    if (data.length !== shape[0] * shape[1]) throw new Error(`${where}: '${name}' must be rectangular`);
  } else if (Array.isArray(x)) {
    shape = [x.length];
    data = Float64Array.from(x as number[]);
  } else {
    throw new Error(`${where}: '${name}' must be a Tensor, number[] or number[][]`);
  }
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) throw new Error(`${where}: '${name}' must be finite; element ${i} is ${data[i]}`);
  const dim = shape[shape.length - 1];
  return { data, rows: data.length / dim, dim, shape };
}

function write(out: Float64Array, shape: number[], like: Vecs): tf.Tensor | number[] | number[][] | number[][][] {
  if (like instanceof tf.Tensor) return tf.tensor(Float32Array.from(out), shape);
  const dim = shape[shape.length - 1];
  if (shape.length === 1) return Array.from(out);
  if (shape.length === 2) return Array.from({ length: shape[0] }, (_, r) => Array.from(out.subarray(r * dim, (r + 1) * dim)));
  const inner = shape[1];
  return Array.from({ length: shape[0] }, (_, s) => Array.from({ length: inner }, (_, r) => Array.from(out.subarray((s * inner + r) * dim, (s * inner + r + 1) * dim))));
}

function pair(where: string, a: Vecs, b: Vecs): [Rows, Rows] {
  const ra = readRows(where, 'a', a);
  const rb = readRows(where, 'b', b);
  if (ra.shape.join() !== rb.shape.join()) throw new Error(`${where}: 'a' and 'b' must have the same shape; got [${ra.shape.join(', ')}] and [${rb.shape.join(', ')}]`);
  return [ra, rb];
}

function checkT(where: string, t: number | number[]): number[] {
  const ts = typeof t === 'number' ? [t] : t;
  if (!Array.isArray(ts) || ts.length === 0) throw new Error(`${where}: 't' must be a number or a non-empty number[]`);
  for (const v of ts) if (!Number.isFinite(v)) throw new Error(`${where}: 't' must be finite; got ${v}`);
  return ts;
}

/**
 * `(1 − t)·a + t·b` for a ([D] or [B, D]); with `t` a number[] the results are stacked on a new
 * leading axis ([T, D] or [T, B, D]). Same kind as `a`.
 */
export function lerp(a: tf.Tensor, b: Vecs, t: number | number[]): tf.Tensor;
export function lerp(a: number[], b: Vecs, t: number): number[];
export function lerp(a: number[], b: Vecs, t: number[]): number[][];
export function lerp(a: number[][], b: Vecs, t: number): number[][];
export function lerp(a: number[][], b: Vecs, t: number[]): number[][][];
export function lerp(a: Vecs, b: Vecs, t: number | number[]): tf.Tensor | number[] | number[][] | number[][][] {
  const where = 'lerp';
  const [ra, rb] = pair(where, a, b);
  const ts = checkT(where, t);
  const n = ra.data.length;
  const out = new Float64Array(ts.length * n);
  ts.forEach((tv, k) => {
    for (let i = 0; i < n; i++) out[k * n + i] = (1 - tv) * ra.data[i] + tv * rb.data[i];
  });
  return write(out, typeof t === 'number' ? ra.shape : [ts.length, ...ra.shape], a) as tf.Tensor | number[] | number[][] | number[][][];
}

function sinc(x: number): number {
  if (Math.abs(x) < 1e-4) return 1 - (x * x) / 6;
  return Math.sin(x) / x;
}

/**
 * Spherical interpolation row by row (a, b: [D] or [B, D]); `t` a number or number[] (stacked on
 * a new leading axis). When ‖a‖ = ‖b‖ every output has that norm. Same kind as `a`.
 */
export function slerp(a: tf.Tensor, b: Vecs, t: number | number[]): tf.Tensor;
export function slerp(a: number[], b: Vecs, t: number): number[];
export function slerp(a: number[], b: Vecs, t: number[]): number[][];
export function slerp(a: number[][], b: Vecs, t: number): number[][];
export function slerp(a: number[][], b: Vecs, t: number[]): number[][][];
export function slerp(a: Vecs, b: Vecs, t: number | number[]): tf.Tensor | number[] | number[][] | number[][][] {
  const where = 'slerp';
  const [ra, rb] = pair(where, a, b);
  const ts = checkT(where, t);
  const { rows, dim } = ra;
  const n = ra.data.length;
  const out = new Float64Array(ts.length * n);
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < dim; i++) {
      na += ra.data[o + i] ** 2;
      nb += rb.data[o + i] ** 2;
    }
    na = Math.sqrt(na);
    nb = Math.sqrt(nb);
    if (na === 0 || nb === 0) throw new Error(`${where}: row ${r} of '${na === 0 ? 'a' : 'b'}' is zero; the angle is undefined`);
    let dm = 0;
    let dp = 0;
    for (let i = 0; i < dim; i++) {
      const ua = ra.data[o + i] / na;
      const ub = rb.data[o + i] / nb;
      dm += (ua - ub) ** 2;
      dp += (ua + ub) ** 2;
    }
    const omega = 2 * Math.atan2(Math.sqrt(dm), Math.sqrt(dp));
    if (Math.PI - omega < 1e-7) throw new Error(`${where}: row ${r} of 'a' and 'b' are antiparallel; the great circle is not unique`);
    const so = sinc(omega);
    ts.forEach((tv, k) => {
      const ca = ((1 - tv) * sinc((1 - tv) * omega)) / so;
      const cb = (tv * sinc(tv * omega)) / so;
      for (let i = 0; i < dim; i++) out[k * n + o + i] = ca * ra.data[o + i] + cb * rb.data[o + i];
    });
  }
  return write(out, typeof t === 'number' ? ra.shape : [ts.length, ...ra.shape], a) as tf.Tensor | number[] | number[][] | number[][][];
}
