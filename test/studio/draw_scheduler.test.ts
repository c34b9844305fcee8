/**
 * The studio's coalesced redraws, without a browser (requestAnimationFrame stubbed by a timer):
 * however many requests arrive during a draw, at most one draw runs and one follows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrawScheduler } from '../../studio/src/draw_scheduler.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('studio draw scheduler', () => {
  const saved = globalThis.requestAnimationFrame;
  beforeAll(() => {
    globalThis.requestAnimationFrame = ((cb: FrameRequestCallback) => setTimeout(() => cb(performance.now()), 1)) as unknown as typeof requestAnimationFrame;
  });
  afterAll(() => {
    globalThis.requestAnimationFrame = saved;
  });

  it('never runs two draws at once and collapses the requests made during a draw into one', async () => {
    let running = 0;
    let maxRunning = 0;
    const scheduler = new DrawScheduler(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(20);
      running--;
    });
    const done = Array.from({ length: 50 }, () => scheduler.request());
    await sleep(5);
    for (let i = 0; i < 50; i++) void scheduler.request();
    await Promise.all(done);
    await scheduler.idle();
    expect(maxRunning).toBe(1);
    expect(scheduler.requests).toBe(100);
    expect(scheduler.draws).toBeLessThanOrEqual(3);
    expect(scheduler.durations).toHaveLength(scheduler.draws);
  });

  it('draws the latest state after requests that arrived mid-draw', async () => {
    let state = 0;
    const drawn: number[] = [];
    const scheduler = new DrawScheduler(async () => {
      const seen = state;
      await sleep(10);
      drawn.push(seen);
    });
    void scheduler.request();
    await sleep(4);
    state = 1;
    void scheduler.request();
    state = 2;
    await scheduler.request();
    await scheduler.idle();
    expect(drawn.at(-1)).toBe(2);
  });

  it('reports a failed draw and keeps drawing afterwards', async () => {
    const errors: string[] = [];
    let fail = true;
    const scheduler = new DrawScheduler(async () => {
      if (fail) throw new Error('boom');
    });
    scheduler.onError = (err) => errors.push(err.message);
    await scheduler.request();
    fail = false;
    await scheduler.request();
    expect(errors).toEqual(['boom']);
    expect(scheduler.draws).toBe(1);
  });
});
