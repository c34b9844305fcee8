import * as tf from '@tensorflow/tfjs-core';

/**
 * Input checks that produce errors naming the function, the argument, what was expected and what
 * arrived — the style every gankit entry point uses.
 */
export function assertRank(where: string, name: string, x: tf.Tensor, rank: number | readonly number[]): void {
  const ranks = typeof rank === 'number' ? [rank] : rank;
  if (!ranks.includes(x.rank)) {
    throw new Error(`${where}: '${name}' must have rank ${ranks.join(' or ')}; got rank ${x.rank} with shape [${x.shape.join(', ')}]`);
  }
}

/** `expected` entries that are `null` match any size. */
export function assertShape(where: string, name: string, x: tf.Tensor, expected: readonly (number | null)[]): void {
  const ok = x.rank === expected.length && expected.every((d, i) => d === null || d === x.shape[i]);
  if (!ok) {
    const want = expected.map((d) => (d === null ? '*' : String(d))).join(', ');
    throw new Error(`${where}: '${name}' must have shape [${want}]; got [${x.shape.join(', ')}]`);
  }
}

export function assertPositiveInteger(where: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${where}: '${name}' must be a positive integer; got ${value}`);
}

export function assertInRange(where: string, name: string, value: number, low: number, high: number): void {
  if (!(value >= low && value <= high)) throw new Error(`${where}: '${name}' must be in [${low}, ${high}]; got ${value}`);
}

/** Throws if any element is NaN or ±Inf (reads the tensor synchronously; use on small inputs). */
export function assertFinite(where: string, name: string, x: tf.Tensor | ArrayLike<number>): void {
  const data = x instanceof tf.Tensor ? x.dataSync() : x;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new Error(`${where}: '${name}' must be finite; element ${i} is ${data[i]}`);
  }
}

/** A short description of a value that is not the expected matrix/array, for error messages ('null', 'an array of length 3', 'string'). */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return typeof x;
}
