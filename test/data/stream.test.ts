import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { arraySource, batches, type ExampleSource } from '../../src/data/stream.js';

/** n examples of shape [2]: x = [i, 10 i], y = i. */
const source = (n: number): ExampleSource =>
  arraySource(
    Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? k / 2 : 5 * k - 5)),
    [2],
    Int32Array.from({ length: n }, (_, i) => i),
    [],
    'int32',
  );

async function collect(src: ExampleSource, opts: Parameters<typeof batches>[1]): Promise<{ idx: number[]; epoch: number; x: number[]; y: number[]; shape: number[] }[]> {
  const out = [];
  for await (const b of batches(src, opts)) {
    out.push({ idx: Array.from(b.indices), epoch: b.epoch, x: Array.from(b.xs.dataSync()), y: Array.from(b.ys!.dataSync()), shape: b.xs.shape });
  }
  return out;
}

describe('batches', () => {
  it('batches in order with a short last batch, or drops it', async () => {
    const b = await collect(source(7), { batchSize: 3 });
    expect(b.map((x) => x.idx)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(b[1].x).toEqual([3, 30, 4, 40, 5, 50]);
    expect(b[1].y).toEqual([3, 4, 5]);
    expect(b[2].shape).toEqual([1, 2]);
    const d = await collect(source(7), { batchSize: 3, dropRemainder: true });
    expect(d.map((x) => x.idx.length)).toEqual([3, 3]);
  });

  it('shuffles every epoch with a seeded permutation and repeats', async () => {
    const a = await collect(source(10), { batchSize: 4, shuffle: true, seed: 3, repeat: 3 });
    const again = await collect(source(10), { batchSize: 4, shuffle: true, seed: 3, repeat: 3 });
    const other = await collect(source(10), { batchSize: 4, shuffle: true, seed: 4, repeat: 3 });
    expect(a.map((b) => b.idx)).toEqual(again.map((b) => b.idx));
    expect(a.map((b) => b.idx)).not.toEqual(other.map((b) => b.idx));
    const epochs = [0, 1, 2].map((e) => a.filter((b) => b.epoch === e).flatMap((b) => b.idx));
    for (const e of epochs) expect([...e].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epochs[0]).not.toEqual(epochs[1]);
    // labels travel with their inputs
    for (const b of a)
      b.idx.forEach((i, k) => {
        expect(b.x[2 * k]).toBe(i);
        expect(b.y[k]).toBe(i);
      });
  });

  it('rescales values while batching', async () => {
    const src = arraySource(Uint8Array.from([0, 255, 51, 102]), [2]);
    for await (const b of batches(src, { batchSize: 2, rescale: { from: [0, 255], to: [-1, 1] } })) {
      expect(Array.from(b.xs.dataSync())).toEqual([-1, 1, -0.6, -0.2].map(Math.fround));
      expect(b.ys).toBeUndefined();
    }
  });

  it('disposes each batch when the next is requested and when the loop breaks', async () => {
    const before = tf.memory().numTensors;
    let seen = 0;
    for await (const b of batches(source(20), { batchSize: 3, repeat: 2 })) {
      expect(tf.memory().numTensors).toBe(before + 2);
      expect(b.xs.isDisposed).toBe(false);
      if (++seen === 5) break;
    }
    expect(tf.memory().numTensors).toBe(before);
    const kept: tf.Tensor[] = [];
    for await (const b of batches(source(4), { batchSize: 2, autoDispose: false })) kept.push(b.xs, b.ys!);
    expect(tf.memory().numTensors).toBe(before + 4);
    tf.dispose(kept);
  });

  it('prefetches raw examples ahead of the consumer', async () => {
    const asked: number[] = [];
    const base = source(12);
    const slow: ExampleSource = {
      ...base,
      get: async (i) => {
        asked.push(i);
        await new Promise((r) => setTimeout(r, 1));
        return base.get(i);
      },
    };
    const it = batches(slow, { batchSize: 2, prefetch: 3 });
    await it.next();
    await new Promise((r) => setTimeout(r, 20));
    expect(asked.length).toBeGreaterThanOrEqual(8); // batch 0 + 3 batches ahead
    await it.return(undefined);
    const lazy: number[] = [];
    const it2 = batches(
      {
        ...base,
        get: (i) => {
          lazy.push(i);
          return base.get(i);
        },
      },
      { batchSize: 2, prefetch: 0 },
    );
    await it2.next();
    expect(lazy).toEqual([0, 1]);
    await it2.return(undefined);
  });

  it('reports bad options eagerly and bad examples with their index', async () => {
    expect(() => batches(source(3), { batchSize: 0 })).toThrow(/batches: 'batchSize' must be a positive integer; got 0/);
    expect(() => batches(source(3), { batchSize: 1, repeat: 0 })).toThrow(/'repeat'/);
    expect(() => batches(source(3), { batchSize: 1, prefetch: -1 })).toThrow(/'prefetch'/);
    const broken: ExampleSource = { length: 2, xShape: [3], get: () => ({ x: [1, 2] }) };
    const before = tf.memory().numTensors;
    await expect(
      collect({ ...broken, yShape: undefined } as ExampleSource, { batchSize: 2 }).catch((e) => {
        throw e;
      }),
    ).rejects.toThrow(/batches: example 0 has 2 x values; the source declares xShape \[3\] \(3\)/);
    const failing: ExampleSource = {
      length: 4,
      xShape: [1],
      get: async (i) => {
        if (i === 3) throw new Error('decode failed');
        return { x: [i] };
      },
    };
    await expect(
      (async () => {
        for await (const _b of batches(failing, { batchSize: 2 })) {
          /* consume */
        }
      })(),
    ).rejects.toThrow(/decode failed/);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => arraySource([1, 2, 3], [2])).toThrow(/arraySource: 'x' length 3 is not a multiple/);
  });
});
