import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../util/random.js';

/** One example: input values (row-major, `xShape`) and an optional target. */
export interface SourceExample {
  x: ArrayLike<number>;
  y?: ArrayLike<number> | number;
}

/** A random-access source of examples; `get` may be async (file decoding). */
export interface ExampleSource {
  length: number;
  /** Shape of one example's x (e.g. [64, 64, 3]). */
  xShape: number[];
  /** Shape of one example's y (e.g. [40] or [] for a scalar label). Omit when there are no targets. */
  yShape?: number[];
  /** dtype of the y tensor. Default 'float32'. */
  yDtype?: 'float32' | 'int32';
  get(i: number): SourceExample | Promise<SourceExample>;
}

export interface BatchOptions {
  batchSize: number;
  /** Reshuffle the order every epoch with a seeded permutation. Default false. */
  shuffle?: boolean;
  seed?: number;
  /** Number of epochs; Infinity repeats forever. Default 1. */
  repeat?: number;
  /** Batches loaded ahead of the consumer (raw arrays, not tensors). Default 2; 0 loads on demand. */
  prefetch?: number;
  /** Drop the last incomplete batch of each epoch. Default false. */
  dropRemainder?: boolean;
  /** Map x values linearly from `from` to `to` while batching (e.g. {from: [0, 255], to: [-1, 1]}). */
  rescale?: { from: [number, number]; to: [number, number] };
  /**
   * Dispose each batch's tensors when the next batch is requested (and when iteration stops), so a
   * training loop that only reads the current batch leaks nothing. Default true; false hands
   * ownership to the caller.
   */
  autoDispose?: boolean;
}

export interface DataBatch {
  xs: tf.Tensor;
  ys?: tf.Tensor;
  /** Source indices of the batch's examples. */
  indices: Int32Array;
  epoch: number;
}

/** An in-memory {@link ExampleSource} over flat arrays ([n, ...xShape] and optionally [n, ...yShape]). */
export function arraySource(x: ArrayLike<number>, xShape: number[], y?: ArrayLike<number>, yShape: number[] = [], yDtype: 'float32' | 'int32' = 'float32'): ExampleSource {
  const per = xShape.reduce((a, b) => a * b, 1);
  if (!(per > 0) || x.length % per !== 0) throw new Error(`arraySource: 'x' length ${x.length} is not a multiple of the example size ${per} (xShape [${xShape.join(', ')}])`);
  const n = x.length / per;
  const yPer = yShape.reduce((a, b) => a * b, 1);
  if (y !== undefined && y.length !== n * yPer) throw new Error(`arraySource: 'y' must have ${n * yPer} values (${n} × [${yShape.join(', ')}]); got ${y.length}`);
  const sub = (a: ArrayLike<number>, s: number, e: number): ArrayLike<number> => (ArrayBuffer.isView(a) ? (a as unknown as Float32Array).subarray(s, e) : Array.prototype.slice.call(a, s, e));
  return {
    length: n,
    xShape,
    yShape: y === undefined ? undefined : yShape,
    yDtype,
    get: (i) => ({ x: sub(x, i * per, (i + 1) * per), y: y === undefined ? undefined : sub(y, i * yPer, (i + 1) * yPer) }),
  };
}

/**
 * Stream batches of tensors from a source: seeded per-epoch shuffling, repeat, prefetching of raw
 * examples (decoding overlaps consumption), and disposal of each batch when the next is requested.
 *
 * ```ts
 * for await (const { xs, ys } of batches(source, { batchSize: 32, shuffle: true, seed: 1, repeat: 5 })) {
 *   optimizer.minimize(() => loss(xs, ys), false, vars);   // xs, ys disposed on the next iteration
 * }
 * ```
 */
export function batches(source: ExampleSource, options: BatchOptions): AsyncGenerator<DataBatch, void, undefined> {
  const where = 'batches';
  const { batchSize, repeat = 1, prefetch = 2 } = options ?? ({} as BatchOptions);
  if (!source || !Array.isArray(source.xShape) || typeof source.get !== 'function') throw new Error(`${where}: 'source' must have length, xShape and get(i)`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${where}: 'batchSize' must be a positive integer; got ${batchSize}`);
  if (!(repeat >= 1) || (repeat !== Infinity && !Number.isInteger(repeat))) throw new Error(`${where}: 'repeat' must be a positive integer or Infinity; got ${repeat}`);
  if (!Number.isInteger(prefetch) || prefetch < 0) throw new Error(`${where}: 'prefetch' must be a non-negative integer; got ${prefetch}`);
  if (!Number.isInteger(source.length) || source.length < 0) throw new Error(`${where}: 'source.length' must be a non-negative integer; got ${source.length}`);
  if (options.rescale && !(options.rescale.from[1] !== options.rescale.from[0])) throw new Error(`${where}: 'rescale.from' must be a non-empty range; got [${options.rescale.from.join(', ')}]`);
  return batchGenerator(source, options);
}

async function* batchGenerator(source: ExampleSource, options: BatchOptions): AsyncGenerator<DataBatch, void, undefined> {
  const where = 'batches';
  const { batchSize, shuffle = false, seed = 0, repeat = 1, prefetch = 2, dropRemainder = false, autoDispose = true } = options;
  const per = source.xShape.reduce((a, b) => a * b, 1);
  const yPer = source.yShape ? source.yShape.reduce((a, b) => a * b, 1) : 0;
  let a = 1,
    b = 0;
  if (options.rescale) {
    const [f0, f1] = options.rescale.from,
      [t0, t1] = options.rescale.to;
    a = (t1 - t0) / (f1 - f0);
    b = t0 - f0 * a;
  }
  const rng = new Random(seed);
  const n = source.length;

  // the plan: a lazily extended list of (epoch, indices) batches
  function* plan(): Generator<{ epoch: number; idx: Int32Array }> {
    for (let epoch = 0; epoch < repeat; epoch++) {
      const order = shuffle ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
      for (let s = 0; s < n; s += batchSize) {
        const e = Math.min(n, s + batchSize);
        if (e - s < batchSize && dropRemainder) break;
        yield { epoch, idx: order.slice(s, e) };
      }
      if (n === 0) return;
    }
  }

  interface Raw {
    epoch: number;
    idx: Int32Array;
    x: Float32Array;
    y?: Float32Array | Int32Array;
  }
  const load = async (p: { epoch: number; idx: Int32Array }): Promise<Raw> => {
    const m = p.idx.length;
    const x = new Float32Array(m * per);
    const y = yPer > 0 ? (source.yDtype === 'int32' ? new Int32Array(m * yPer) : new Float32Array(m * yPer)) : undefined;
    const examples = await Promise.all(Array.from(p.idx, (i) => source.get(i)));
    examples.forEach((ex, k) => {
      if (!ex || ex.x === undefined || ex.x.length !== per) {
        throw new Error(`${where}: example ${p.idx[k]} has ${ex?.x?.length ?? 'no'} x values; the source declares xShape [${source.xShape.join(', ')}] (${per})`);
      }
      const o = k * per;
      if (a === 1 && b === 0) for (let j = 0; j < per; j++) x[o + j] = ex.x[j];
      else for (let j = 0; j < per; j++) x[o + j] = ex.x[j] * a + b;
      if (y) {
        const yv = typeof ex.y === 'number' ? [ex.y] : ex.y;
        if (!yv || yv.length !== yPer) throw new Error(`${where}: example ${p.idx[k]} has ${yv ? yv.length : 'no'} y values; the source declares yShape [${source.yShape!.join(', ')}] (${yPer})`);
        for (let j = 0; j < yPer; j++) y[k * yPer + j] = yv[j];
      }
    });
    return { epoch: p.epoch, idx: p.idx, x, y };
  };

  const it = plan();
  const queue: Promise<Raw>[] = [];
  const fill = (target: number): void => {
    while (queue.length < target) {
      const next = it.next();
      if (next.done) return;
      const pr = load(next.value);
      pr.catch(() => {}); // surfaced when awaited; avoids an unhandled rejection for prefetched batches
      queue.push(pr);
    }
  };
  let current: DataBatch | null = null;
  try {
    for (;;) {
      fill(1);
      if (queue.length === 0) break;
      const raw = await queue.shift()!;
      fill(prefetch); // load `prefetch` batches ahead while the consumer works on this one
      if (current && autoDispose) tf.dispose([current.xs, current.ys].filter((t): t is tf.Tensor => t !== undefined));
      const m = raw.idx.length;
      current = {
        xs: tf.tensor(raw.x, [m, ...source.xShape], 'float32'),
        ys: raw.y ? tf.tensor(raw.y, [m, ...source.yShape!], source.yDtype ?? 'float32') : undefined,
        indices: raw.idx,
        epoch: raw.epoch,
      };
      yield current;
    }
  } finally {
    if (current && autoDispose) tf.dispose([current.xs, current.ys].filter((t): t is tf.Tensor => t !== undefined));
  }
}
