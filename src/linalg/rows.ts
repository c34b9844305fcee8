/**
 * Row-major float64 matrices and vectors read from Tensors or `number[][]` (the latent tools'
 * input/output convention: a Tensor input gives a Tensor back, an array input an array).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeValue as describe } from '../util/validate.js';

export type Floats = Float32Array | Float64Array;

/** A row-major matrix view: element (r, c) is `data[r * cols + c]`. */
export interface Mat {
  data: Floats;
  rows: number;
  cols: number;
}

/** A batch of row vectors given as a rank-2 Tensor or a rectangular `number[][]`. */
export type MatrixLike = tf.Tensor | number[][];
export type Kind = 'tensor' | 'array';
/** A Tensor input gives a Tensor2D back, a number[][] input a number[][]. */
export type SameKind<T> = T extends tf.Tensor ? tf.Tensor2D : number[][];

export function kindOf(x: unknown): Kind {
  return x instanceof tf.Tensor ? 'tensor' : 'array';
}

/** Read a rank-2 Tensor or number[][] into a row-major matrix (tensors are read without a copy to float64). */
export function readMatrix(where: string, name: string, x: MatrixLike, options: { finite?: boolean } = {}): Mat {
  let m: Mat;
  if (x instanceof tf.Tensor) {
    if (x.rank !== 2) throw new Error(`${where}: '${name}' must be a rank-2 tensor [rows, dim]; got shape [${x.shape.join(', ')}]`);
    const d = x.dataSync();
    m = { data: d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>), rows: x.shape[0] as number, cols: x.shape[1] as number };
  } else {
    if (!Array.isArray(x) || x.length === 0 || !Array.isArray(x[0])) {
      throw new Error(`${where}: '${name}' must be a non-empty number[][] or a rank-2 tensor; got ${describe(x)}`);
    }
    const rows = x.length;
    const cols = x[0].length;
    const data = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = x[r];
      if (!Array.isArray(row) || row.length !== cols) {
        throw new Error(`${where}: '${name}' must be rectangular; row 0 has ${cols} entries but row ${r} has ${Array.isArray(row) ? row.length : typeof row}`);
      }
      for (let c = 0; c < cols; c++) data[r * cols + c] = row[c];
    }
    m = { data, rows, cols };
  }
  if (m.rows === 0 || m.cols === 0) throw new Error(`${where}: '${name}' must be non-empty; got shape [${m.rows}, ${m.cols}]`);
  if (options.finite !== false) assertFiniteRows(where, name, m);
  return m;
}

/** Throws naming the first row that holds a NaN or ±Inf. */
export function assertFiniteRows(where: string, name: string, m: Mat): void {
  const { data, cols } = m;
  // fast path: x·0 is NaN exactly when x is NaN or ±Inf, and NaN survives the sum
  let probe = 0;
  for (let i = 0; i < data.length; i++) probe += data[i] * 0;
  if (probe === 0) return;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const r = Math.floor(i / cols);
      throw new Error(`${where}: '${name}' must be finite; row ${r} column ${i - r * cols} is ${data[i]}`);
    }
  }
}

/** Write a row-major matrix back as the requested kind. */
export function writeMatrix(m: Mat, kind: Kind): tf.Tensor2D | number[][] {
  if (kind === 'tensor') return tf.tensor2d(m.data instanceof Float32Array ? m.data : Float32Array.from(m.data), [m.rows, m.cols]);
  const out: number[][] = new Array(m.rows);
  for (let r = 0; r < m.rows; r++) out[r] = Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols));
  return out;
}

/** Read a single vector given as [D], [1, D] (tensor) or number[] / [[...]] (array). */
export function readVector(where: string, name: string, v: tf.Tensor | number[] | number[][]): Float64Array {
  let out: Float64Array;
  if (v instanceof tf.Tensor) {
    if (!(v.rank === 1 || (v.rank === 2 && v.shape[0] === 1))) {
      throw new Error(`${where}: '${name}' must have shape [D] or [1, D]; got [${v.shape.join(', ')}]`);
    }
    out = Float64Array.from(v.dataSync());
  } else if (Array.isArray(v) && v.length > 0 && Array.isArray(v[0])) {
    if (v.length !== 1) throw new Error(`${where}: '${name}' must have shape [D] or [1, D]; got [${v.length}, ${(v[0] as number[]).length}]`);
    out = Float64Array.from(v[0] as number[]);
  } else if (Array.isArray(v)) {
    out = Float64Array.from(v as number[]);
  } else {
    throw new Error(`${where}: '${name}' must be a Tensor, number[] or number[][]; got ${describe(v)}`);
  }
  if (out.length === 0) throw new Error(`${where}: '${name}' must be non-empty`);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new Error(`${where}: '${name}' must be finite; element ${i} is ${out[i]}`);
  }
  return out;
}

/** Write a vector back in the layout of `like` ([D] or [1, D], tensor or array). */
export function writeVectorLike(v: Float64Array, like: tf.Tensor | number[] | number[][]): tf.Tensor | number[] | number[][] {
  if (like instanceof tf.Tensor) return tf.tensor(Float32Array.from(v), like.rank === 1 ? [v.length] : [1, v.length]);
  if (Array.isArray(like[0])) return [Array.from(v)];
  return Array.from(v);
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length, aOff = 0, bOff = 0): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[aOff + i] * b[bOff + i];
    s1 += a[aOff + i + 1] * b[bOff + i + 1];
  }
  if (i < n) s0 += a[aOff + i] * b[bOff + i];
  return s0 + s1;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** Column means of rows [r0, r1). */
export function columnMeans(m: Mat, r0 = 0, r1 = m.rows): Float64Array {
  const { data, cols } = m;
  const mean = new Float64Array(cols);
  for (let r = r0; r < r1; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) mean[c] += data[o + c];
  }
  const n = r1 - r0;
  for (let c = 0; c < cols; c++) mean[c] /= n;
  return mean;
}
