import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adam, ExponentialMovingAverage, chainSchedules, constantSchedule, halfLifeToBeta, linearDecaySchedule, linearDecayStepSchedule, warmupSchedule } from '../../src/train/index.js';
import { expectClose, expectNoLeak, loadFixture } from '../helpers/index.js';

const fx = loadFixture('losses_torch').adam;

function quadratic(p: tf.Variable, A: tf.Tensor) {
  return () => tf.sum(tf.square(tf.sub(tf.squeeze(tf.matMul(A, tf.reshape(p, [-1, 1]))), 1))) as tf.Scalar;
}

describe('Adam (PyTorch update rule)', () => {
  it('leaves no tensor behind once disposed (slot creation, steps, dispose)', async () => {
    const v = tf.variable(tf.tensor1d([1, -2, 3]));
    await expectNoLeak(() => {
      const opt = new Adam({ learningRate: 0.1 });
      for (let i = 0; i < 3; i++) tf.dispose(opt.minimize(() => tf.sum(tf.square(v)) as tf.Scalar, true, [v]) ?? undefined);
      opt.dispose();
    });
    v.dispose();
  });

  it('follows torch.optim.Adam step by step (lr 0.01, betas (0.5, 0.999), eps 1e-8)', () => {
    const p = tf.variable(tf.tensor(fx.p0));
    const A = tf.tensor(fx.A);
    const opt = new Adam({ learningRate: fx.lr, beta1: fx.beta1, beta2: fx.beta2, epsilon: fx.eps });
    for (const expected of fx.trajectory) {
      opt.minimize(quadratic(p, A), false, [p]);
      expectClose(p, expected, { rtol: 1e-5, atol: 1e-6 });
    }
    expect(opt.t).toBe(fx.trajectory.length);
    tf.dispose([p, A]);
    opt.dispose();
  });

  it('exportSlots / importSlots continue bit-for-bit on fresh variables', () => {
    const A = tf.tensor(fx.A);
    const p = tf.variable(tf.tensor(fx.p0));
    const opt = new Adam({ learningRate: 0.05, beta1: 0.5 });
    for (let i = 0; i < 3; i++) opt.minimize(quadratic(p, A), false, [p]);
    const state = opt.exportSlots([p]);
    const saved = Float32Array.from(p.dataSync());
    for (let i = 0; i < 3; i++) opt.minimize(quadratic(p, A), false, [p]);
    const reference = Float32Array.from(p.dataSync());

    const q = tf.variable(tf.tensor(saved));
    const opt2 = new Adam({ learningRate: 0.05, beta1: 0.5 });
    opt2.importSlots([q], state);
    for (let i = 0; i < 3; i++) opt2.minimize(quadratic(q, A), false, [q]);
    expect(Array.from(q.dataSync())).toEqual(Array.from(reference));
    expect(() => opt2.importSlots([], state)).toThrow(/Adam.importSlots: state refers to variable #0; only 0 given/);
    tf.dispose([A, p, q]);
    opt.dispose();
    opt2.dispose();
  });

  it('getWeights / setWeights round-trip by variable name', async () => {
    const A = tf.tensor(fx.A);
    const p = tf.variable(tf.tensor(fx.p0));
    const opt = new Adam({ learningRate: 0.05 });
    opt.minimize(quadratic(p, A), false, [p]);
    const w = await opt.getWeights();
    expect(w.map((x) => x.name)).toEqual(['iter', `${p.name}/m`, `${p.name}/v`]);
    const opt2 = new Adam({ learningRate: 0.05 });
    await opt2.setWeights(w);
    expect(opt2.t).toBe(1);
    const a = tf.clone(p);
    opt.minimize(quadratic(p, A), false, [p]);
    const afterOne = Float32Array.from(p.dataSync());
    p.assign(a);
    opt2.minimize(quadratic(p, A), false, [p]);
    expect(Array.from(p.dataSync())).toEqual(Array.from(afterOne));
    tf.dispose([A, p, a]);
    opt.dispose();
    opt2.dispose();
  });

  it("reset() forgets the moments: the next step equals a fresh optimizer's first step", () => {
    const A = tf.tensor(fx.A);
    const p = tf.variable(tf.tensor(fx.p0));
    const opt = new Adam({ learningRate: 0.05 });
    for (let i = 0; i < 3; i++) opt.minimize(quadratic(p, A), false, [p]);
    const start = tf.clone(p);
    opt.reset();
    opt.minimize(quadratic(p, A), false, [p]);
    const afterReset = Array.from(p.dataSync());
    p.assign(start);
    const fresh = new Adam({ learningRate: 0.05 });
    fresh.minimize(quadratic(p, A), false, [p]);
    expect(afterReset).toEqual(Array.from(p.dataSync()));
    expect(opt.t).toBe(1);
    tf.dispose([A, p, start]);
    opt.dispose();
    fresh.dispose();
  });

  it("epsilonPlacement 'tensorflow' puts ε on √v with the bias correction folded into the step (TF1 AdamOptimizer)", () => {
    const run = (epsilonPlacement: 'pytorch' | 'tensorflow') => {
      const p = tf.variable(tf.scalar(1));
      const opt = new Adam({ learningRate: 0.1, epsilon: 0.01, epsilonPlacement });
      opt.minimize(() => tf.mul(0.005, p) as tf.Scalar, false, [p]); // g = 0.005, comparable to ε
      const out = p.dataSync()[0];
      p.dispose();
      return out;
    };
    const g = 0.005;
    const m = 0.1 * g;
    const v = 0.001 * g * g;
    const bc1 = 0.1;
    const bc2 = 0.001;
    expect(run('pytorch')).toBeCloseTo(1 - (0.1 / bc1) * (m / (Math.sqrt(v) / Math.sqrt(bc2) + 0.01)), 6);
    expect(run('tensorflow')).toBeCloseTo(1 - ((0.1 * Math.sqrt(bc2)) / bc1) * (m / (Math.sqrt(v) + 0.01)), 6);
    expect(() => new Adam({ epsilonPlacement: 'keras' as never })).toThrow(/'epsilonPlacement' must be 'pytorch' or 'tensorflow'/);
  });

  it('rejects bad hyper-parameters and leaks no tensors', async () => {
    expect(() => new Adam({ beta1: 1.5 })).toThrow(/Adam: 'beta1' must be in \[0, 1\); got 1.5/);
    const A = tf.tensor(fx.A);
    const p = tf.variable(tf.tensor(fx.p0));
    const opt = new Adam();
    await expectNoLeak(() => opt.minimize(quadratic(p, A), false, [p]));
    tf.dispose([A, p]);
    opt.dispose();
  });
});

describe('schedules', () => {
  it('linearDecaySchedule reproduces GANimation: constant for 20 epochs, then −1/10 per epoch to 0', () => {
    const s = linearDecaySchedule();
    expect([0, 19, 20, 21, 25, 29, 30, 40].map((e) => s(0, e))).toEqual([1, 1, 1, 0.9, 0.5, 1 - 9 / 10, 0, 0]);
    expect(constantSchedule()(123, 4)).toBe(1);
  });
  it('linearDecayStepSchedule decays to 0 over the last N steps; warm-up ramps linearly', () => {
    const d = linearDecayStepSchedule({ totalSteps: 100, decaySteps: 20 });
    expect([0, 80, 90, 99, 100].map((t) => d(t, 0))).toEqual([1, 1, 0.5, 0.05, 0]);
    const w = warmupSchedule(4);
    expect([0, 1, 3, 10].map((t) => w(t, 0))).toEqual([0.25, 0.5, 1, 1]);
    expect(chainSchedules(w, d)(90, 0)).toBe(0.5);
    expect(() => warmupSchedule(0)).toThrow(/warmupSchedule: 'warmupSteps' must be a positive integer; got 0/);
  });
});

describe('ExponentialMovingAverage', () => {
  it('leaves no tensor behind once disposed (construction, updates, dispose)', async () => {
    const v = tf.variable(tf.tensor1d([0, 2]));
    await expectNoLeak(() => {
      const ema = new ExponentialMovingAverage([v], { beta: 0.5 });
      ema.update();
      ema.dispose();
    });
    v.dispose();
  });

  it('θ̄ ← β θ̄ + (1 − β) θ (closed form after n constant updates), β from a half-life', () => {
    const v = tf.variable(tf.tensor1d([0, 2]));
    const ema = new ExponentialMovingAverage([v], { beta: 0.5 });
    v.assign(tf.tensor1d([4, 2]));
    ema.update();
    ema.update();
    // 0 → 2 → 3 for the first entry; second stays 2
    expectClose(ema.averages[0], [3, 2]);
    expect(halfLifeToBeta(10) ** 10).toBeCloseTo(0.5, 12);
    expect(new ExponentialMovingAverage([v], { halfLife: 1 }).beta).toBe(0.5);
    expect(() => new ExponentialMovingAverage([v], { beta: 0.9, halfLife: 3 })).toThrow(/give 'beta' or 'halfLife', not both/);
    ema.dispose();
    v.dispose();
  });

  it('withAverages swaps the averages in and restores the live weights exactly (sync, async, throw)', async () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const ema = new ExponentialMovingAverage([v], { beta: 0 });
    v.assign(tf.tensor1d([5, 6]));
    const inside = ema.withAverages(() => Array.from(v.dataSync()));
    expect(inside).toEqual([1, 2]);
    expect(Array.from(v.dataSync())).toEqual([5, 6]);
    const insideAsync = await ema.withAverages(async () => Array.from(await v.data()));
    expect(insideAsync).toEqual([1, 2]);
    expect(() =>
      ema.withAverages(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(Array.from(v.dataSync())).toEqual([5, 6]);
    await expectNoLeak(() => {
      ema.update();
      ema.withAverages(() => 0);
    });
    ema.dispose();
    v.dispose();
  });
});
