import * as tf from '@tensorflow/tfjs-core';
import { describeValue as describe } from '../util/validate.js';

/**
 * Input readers shared by the metrics. Every metric accepts tfjs tensors or plain JavaScript
 * arrays, reads them once into float64 (`Float64Array`, row-major), and checks rank, shape and
 * finiteness, throwing errors that name the function, the argument and the offending position.
 */

/** A 1-D list of numbers: a rank-1 tensor or any array-like of numbers. */
export type VectorLike = tf.Tensor | ArrayLike<number>;

/** A 2-D table `[rows, cols]`: a rank-2 tensor or an array of equal-length rows. */
export type MatrixLike = tf.Tensor | ReadonlyArray<ArrayLike<number>>;

/** A stack of 2-D tables: a rank-3 tensor or an array of {@link MatrixLike}. */
export type MatrixStackLike = tf.Tensor | ReadonlyArray<MatrixLike>;

/** A float64 row-major matrix. */
export interface Matrix64 {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** Nested arrays or a tensor of any rank (used for masks). */
export type TensorLike = tf.Tensor | number | ArrayLike<unknown>;

function position(index: number, shape: readonly number[]): string {
  const idx: number[] = [];
  let rest = index;
  for (let k = shape.length - 1; k >= 0; k--) {
    idx.unshift(rest % shape[k]);
    rest = Math.floor(rest / shape[k]);
  }
  return `[${idx.join(', ')}]`;
}

function checkFinite(where: string, name: string, data: Float64Array, shape: readonly number[]): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new Error(`${where}: '${name}' must be finite; element ${position(i, shape)} is ${data[i]}`);
    }
  }
}

/** Arrays and typed arrays (objects with a numeric length); strings are not. */
function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return x != null && typeof x === 'object' && typeof (x as ArrayLike<unknown>).length === 'number';
}

/** Read a tensor or nested arrays of any rank into a shape and float64 data (finite). */
export function readTensorLike(where: string, name: string, x: TensorLike): { shape: number[]; data: Float64Array } {
  if (x instanceof tf.Tensor) {
    const data = Float64Array.from(x.dataSync());
    checkFinite(where, name, data, x.shape);
    return { shape: x.shape.slice(), data };
  }
  if (typeof x === 'number') {
    const data = Float64Array.of(x);
    checkFinite(where, name, data, []);
    return { shape: [], data };
  }
  if (!isArrayLike(x)) {
    throw new Error(`${where}: '${name}' must be a tensor or (nested) array of numbers; got ${describe(x)}`);
  }
  const shape: number[] = [];
  let probe: unknown = x;
  while (isArrayLike(probe)) {
    const arr = probe as ArrayLike<unknown>;
    shape.push(arr.length);
    if (arr.length === 0) break;
    probe = arr[0];
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(size);
  let offset = 0;
  const walk = (v: unknown, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') {
        throw new Error(`${where}: '${name}' must be a rectangular array of numbers of shape [${shape.join(', ')}]; element [${path.join(', ')}] is ${describe(v)}`);
      }
      data[offset++] = v;
      return;
    }
    const arr = v as ArrayLike<unknown>;
    if (!isArrayLike(arr) || arr.length !== shape[depth]) {
      const got = isArrayLike(arr) ? `length ${arr.length}` : describe(arr);
      throw new Error(`${where}: '${name}' must be a rectangular array of shape [${shape.join(', ')}]; entry [${path.join(', ')}] has ${got}, expected length ${shape[depth]}`);
    }
    for (let i = 0; i < arr.length; i++) walk(arr[i], depth + 1, [...path, i]);
  };
  walk(x, 0, []);
  checkFinite(where, name, data, shape);
  return { shape, data };
}

/** Read a 1-D list of finite numbers. */
export function readVector(where: string, name: string, x: VectorLike, minLength = 1): Float64Array {
  const { shape, data } = readTensorLike(where, name, x as TensorLike);
  if (shape.length !== 1) {
    throw new Error(`${where}: '${name}' must be 1-D; got shape [${shape.join(', ')}]`);
  }
  if (data.length < minLength) {
    throw new Error(`${where}: '${name}' needs at least ${minLength} value${minLength === 1 ? '' : 's'}; got ${data.length}`);
  }
  return data;
}

/** Read a 2-D table `[rows, cols]` of finite numbers. */
export function readMatrix(where: string, name: string, x: MatrixLike, minRows = 1): Matrix64 {
  const { shape, data } = readTensorLike(where, name, x as TensorLike);
  if (shape.length !== 2) {
    throw new Error(`${where}: '${name}' must be 2-D [samples, features]; got shape [${shape.join(', ')}]`);
  }
  const [rows, cols] = shape;
  if (rows < minRows) {
    throw new Error(`${where}: '${name}' needs at least ${minRows} row${minRows === 1 ? '' : 's'}; got shape [${rows}, ${cols}]`);
  }
  if (cols < 1) throw new Error(`${where}: '${name}' needs at least 1 column; got shape [${rows}, ${cols}]`);
  return { rows, cols, data };
}

/** Read a stack of 2-D tables (a rank-3 tensor or an array of matrices); shapes may differ per entry. */
export function readMatrixStack(where: string, name: string, x: MatrixStackLike): Matrix64[] {
  if (x instanceof tf.Tensor) {
    if (x.rank !== 3) throw new Error(`${where}: '${name}' must be 3-D [groups, samples, features]; got shape [${x.shape.join(', ')}]`);
    const { data } = readTensorLike(where, name, x);
    const [g, r, c] = x.shape;
    return Array.from({ length: g }, (_, k) => ({ rows: r, cols: c, data: data.slice(k * r * c, (k + 1) * r * c) }));
  }
  if (!isArrayLike(x)) {
    throw new Error(`${where}: '${name}' must be a 3-D tensor or an array of 2-D tables; got ${describe(x)}`);
  }
  return Array.from(x as ReadonlyArray<MatrixLike>, (m, k) => readMatrix(where, `${name}[${k}]`, m));
}

/** Read a list of 1-D vectors of possibly different lengths (a 2-D tensor/array or an array of vectors). */
export function readRows(where: string, name: string, x: MatrixLike | ReadonlyArray<VectorLike>): Float64Array[] {
  if (x instanceof tf.Tensor) {
    const m = readMatrix(where, name, x);
    return Array.from({ length: m.rows }, (_, i) => m.data.slice(i * m.cols, (i + 1) * m.cols));
  }
  if (!isArrayLike(x)) {
    throw new Error(`${where}: '${name}' must be a 2-D tensor or an array of 1-D lists; got ${describe(x)}`);
  }
  return Array.from(x as ReadonlyArray<VectorLike>, (v, k) => readVector(where, `${name}[${k}]`, v));
}
