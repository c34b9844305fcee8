/**
 * Deferred host reads for training loops (internal).
 *
 * On GPU backends (webgpu, webgl, tfjs-node-gpu) every `dataSync()` is a device→host copy that
 * waits for all queued kernels: one per step serialises the host and the device. Training loops
 * therefore keep their per-step scalars (losses, loss terms, finiteness checks) as tensors and read
 * them with one stacked read every K steps. On host-memory backends a read costs nothing, so 'auto'
 * reads every step there (identical behaviour to reading immediately).
 */
import * as tf from '@tensorflow/tfjs-core';
import { isHostMemoryBackend } from './host_memory_backend.js';

/** How often a loop reads its per-step scalars from the device: every K steps, or 'auto'. */
export type ReadEvery = number | 'auto';

/** The read interval 'auto' picks on GPU backends. */
export const AUTO_READ_EVERY_GPU = 25;

/**
 * Resolve a read interval: a positive integer as given, or 'auto' (the default) → 1 on host-memory
 * backends (`cpu`, `wasm`, `tensorflow`), {@link AUTO_READ_EVERY_GPU} on any other (webgpu, webgl, …).
 */
export function resolveReadEvery(where: string, name: string, value: ReadEvery | undefined): number {
  if (value == null || value === 'auto') return isHostMemoryBackend() ? 1 : AUTO_READ_EVERY_GPU;
  if (!(Number.isInteger(value) && value > 0)) throw new Error(`${where}: '${name}' must be a positive integer or 'auto'; got ${String(value)}`);
  return value;
}

/**
 * Per-step scalar tensors held on the device until a read: `push` takes ownership of a scalar and
 * says when K are pending; `read` stacks them, reads the host once and disposes them.
 */
export class DeferredScalars {
  private pending: { step: number; tensor: tf.Tensor | null; value: number }[] = [];

  constructor(readonly every: number) {}

  /**
   * Hold `value` for `step`: a scalar tensor (now owned here), a number known on the host, or null
   * (a step without a value: NaN). True when K values are pending (a read is due).
   */
  push(step: number, value: tf.Tensor | number | null | undefined): boolean {
    if (value instanceof tf.Tensor) this.pending.push({ step, tensor: tf.keep(value), value: NaN });
    else this.pending.push({ step, tensor: null, value: value ?? NaN });
    return this.pending.length >= this.every;
  }

  get size(): number {
    return this.pending.length;
  }

  /** One host read for every pending scalar, in push order; frees them. */
  read(): { step: number; value: number }[] {
    const pending = this.pending;
    this.pending = [];
    const tensors = pending.map((p) => p.tensor).filter((t): t is tf.Tensor => t != null);
    try {
      return valuesOf(pending, tensors.length === 0 ? new Float32Array(0) : tf.tidy(() => tf.stack(tensors.map((t) => tf.reshape(t, []))).dataSync()));
    } finally {
      tf.dispose(tensors);
    }
  }

  /** {@link read} with an asynchronous read (`await data()`): for webgpu in Node, and pages that must not stall. */
  async readAsync(): Promise<{ step: number; value: number }[]> {
    const pending = this.pending;
    this.pending = [];
    const tensors = pending.map((p) => p.tensor).filter((t): t is tf.Tensor => t != null);
    const stacked = tensors.length === 0 ? null : tf.tidy(() => tf.stack(tensors.map((t) => tf.reshape(t, []))));
    try {
      return valuesOf(pending, stacked == null ? new Float32Array(0) : await stacked.data());
    } finally {
      tf.dispose([...tensors, ...(stacked ? [stacked] : [])]);
    }
  }

  /** Free the pending scalars without reading them. */
  dispose(): void {
    tf.dispose(this.pending.map((p) => p.tensor).filter((t): t is tf.Tensor => t != null));
    this.pending = [];
  }
}

/** Pair the pending steps with the values read (host-known values where no tensor was held). */
function valuesOf(pending: { step: number; tensor: tf.Tensor | null; value: number }[], data: ArrayLike<number>): { step: number; value: number }[] {
  let i = 0;
  return pending.map((p) => ({ step: p.step, value: p.tensor == null ? p.value : data[i++] }));
}

/**
 * A read a training loop needs before it can go on: the driver reads `reader` (synchronously or
 * asynchronously) and hands the values to `deliver`. Loops written as generators yield these, so
 * one loop body serves a synchronous and an asynchronous API ({@link runReadingSync},
 * {@link runReadingAsync}) with the same steps and results.
 */
export interface DueRead {
  reader: DeferredScalars;
  deliver: (values: { step: number; value: number }[]) => void;
}

/**
 * The DueRead for a loop that records every read loss in `losses` and reports it to `onStep`, in
 * step order.
 */
export function lossRecorder(reader: DeferredScalars, losses: number[], onStep?: (step: number, loss: number) => void): DueRead {
  return {
    reader,
    deliver: (values) => {
      for (const { step, value } of values) {
        losses.push(value);
        onStep?.(step, value);
      }
    },
  };
}

/** Run a reading loop with synchronous reads (`dataSync`); its `finally` runs if a read or a callback throws. */
export function runReadingSync<R>(run: Iterator<DueRead, R, void>): R {
  try {
    for (let r = run.next(); ; r = run.next()) {
      if (r.done) return r.value;
      r.value.deliver(r.value.reader.read());
    }
  } finally {
    run.return?.(undefined as never); // lets the loop free its variables and optimizer
  }
}

/** Run a reading loop with asynchronous reads (`await data()`): for webgpu in Node, and pages that must not stall. */
export async function runReadingAsync<R>(run: Iterator<DueRead, R, void>): Promise<R> {
  try {
    for (let r = run.next(); ; r = run.next()) {
      if (r.done) return r.value;
      r.value.deliver(await r.value.reader.readAsync());
    }
  } finally {
    run.return?.(undefined as never);
  }
}
