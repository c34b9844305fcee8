import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adam, ExponentialMovingAverage, Trainer, ganUpdates, linearDecaySchedule, NonFiniteLossError, shuffledBatches } from '../../src/train/index.js';
import { betaVaeLoss } from '../../src/losses/index.js';
import { describeEachBackend, expectNoLeak } from '../helpers/index.js';
import { Random } from '../../src/util/random.js';
import { gaussianData, meanDistance, toyGan, trainerWithNonFiniteLoss } from './toy.js';

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

describe('Trainer + ganUpdates: a small GAN learns', () => {
  for (const loss of ['nonSaturating', 'leastSquares'] as const) {
    it(`${loss}: losses stay in sane ranges and the sample mean moves to the data mean`, () => {
      const gan = toyGan(1);
      const before = meanDistance(gan.G);
      const trainer = new Trainer({
        seed: 5,
        data: gaussianData(32),
        updates: ganUpdates({
          generator: gan.G,
          discriminator: gan.D,
          generatorVariables: gan.gVars,
          discriminatorVariables: gan.dVars,
          generatorOptimizer: new Adam({ learningRate: 5e-3, beta1: 0.5 }),
          discriminatorOptimizer: new Adam({ learningRate: 5e-3, beta1: 0.5 }),
          latentDim: 3,
          loss,
        }),
      });
      const d: number[] = [];
      const g: number[] = [];
      trainer.run(300, (r) => {
        d.push(r.metrics.D);
        g.push(r.metrics.G);
      });
      const after = meanDistance(gan.G);
      expect(after).toBeLessThan(0.25 * before);
      const dTail = mean(d.slice(-50));
      const gTail = mean(g.slice(-50));
      if (loss === 'nonSaturating') {
        // equilibrium: D = 2 ln 2 ≈ 1.39, G = ln 2 ≈ 0.69
        expect(dTail).toBeGreaterThan(0.8);
        expect(dTail).toBeLessThan(1.6);
        expect(gTail).toBeGreaterThan(0.4);
        expect(gTail).toBeLessThan(1.5);
      } else {
        // LSGAN equilibrium D(x) = ½: D loss 0.5, G loss 0.25
        expect(dTail).toBeGreaterThan(0.2);
        expect(dTail).toBeLessThan(0.8);
        expect(gTail).toBeGreaterThan(0.05);
        expect(gTail).toBeLessThan(0.8);
      }
      expect(d.every(Number.isFinite) && g.every(Number.isFinite)).toBe(true);
      trainer.dispose();
      gan.dispose();
    });
  }
});

describe('Trainer update scheduling', () => {
  function counting(options: { generatorEvery?: number; generatorRepeats?: number; nCritic?: number }) {
    const gan = toyGan(2);
    const gOpt = new Adam({ learningRate: 1e-3 });
    const dOpt = new Adam({ learningRate: 1e-3 });
    const trainer = new Trainer({
      data: gaussianData(4),
      updates: ganUpdates({
        generator: gan.G,
        discriminator: gan.D,
        generatorVariables: gan.gVars,
        discriminatorVariables: gan.dVars,
        generatorOptimizer: gOpt,
        discriminatorOptimizer: dOpt,
        latentDim: 3,
        ...options,
      }),
    });
    const results = Array.from({ length: 10 }, () => trainer.runStep());
    return { results, gOpt, dOpt, done: () => (trainer.dispose(), gan.dispose()) };
  }

  it('GANimation ratio: G trains on every 5th step only', () => {
    const { results, gOpt, dOpt, done } = counting({ generatorEvery: 5 });
    expect(results.filter((r) => 'G' in r.metrics).map((r) => r.step)).toEqual([4, 9]);
    expect(gOpt.t).toBe(2);
    expect(dOpt.t).toBe(10);
    done();
  });

  it('HoloGAN ratio: 1 D step then 2 G steps per iteration; n_critic = 3 gives 3 D steps', () => {
    const h = counting({ generatorRepeats: 2 });
    expect(h.dOpt.t).toBe(10);
    expect(h.gOpt.t).toBe(20);
    h.done();
    const w = counting({ nCritic: 3 });
    expect(w.dOpt.t).toBe(30);
    expect(w.gOpt.t).toBe(10);
    w.done();
  });

  it('applies per-update learning-rate schedules by epoch (linear decay to 0 over the last epochs)', () => {
    const gan = toyGan(3);
    const opt = new Adam({ learningRate: 0.1 });
    const trainer = new Trainer({
      stepsPerEpoch: 2,
      data: gaussianData(4),
      updates: [
        { name: 'D', variables: gan.dVars, optimizer: opt, schedule: linearDecaySchedule({ constantEpochs: 1, decayEpochs: 2 }), loss: (ctx) => tf.mean(gan.D(ctx.batch as tf.Tensor)) as tf.Scalar },
      ],
    });
    const lrs = Array.from({ length: 8 }, () => trainer.runStep().metrics['lr/D']);
    // epochs 0,0,1,1,2,2,3,3 → factors 1,1,1,1,0.5,0.5,0,0
    expect(lrs.map((x) => +x.toFixed(6))).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0, 0]);
    trainer.dispose();
    gan.dispose();
  });

  it('WGAN-GP inside D, PGGAN drift, and the GP as a separate step (GANimation) all report their terms', () => {
    const gan = toyGan(4);
    const make = (separateStep: boolean) =>
      new Trainer({
        data: gaussianData(4),
        updates: ganUpdates({
          generator: gan.G,
          discriminator: gan.D,
          generatorVariables: gan.gVars,
          discriminatorVariables: gan.dVars,
          generatorOptimizer: new Adam({ learningRate: 1e-3, beta1: 0 }),
          discriminatorOptimizer: new Adam({ learningRate: 1e-3, beta1: 0 }),
          latentDim: 3,
          loss: 'wasserstein',
          gradientPenalty: { type: 'wgan-gp', separateStep },
          drift: separateStep ? 0 : 0.001,
        }),
      });
    const inside = make(false).runStep().metrics;
    expect(Object.keys(inside).sort()).toEqual(['D', 'D/adv', 'D/drift', 'D/gp', 'G', 'G/adv', 'lr/D', 'lr/G']);
    expect(inside.D).toBeCloseTo(inside['D/adv'] + inside['D/gp'] + inside['D/drift'], 5);
    expect(inside['D/gp']).toBeGreaterThan(0);
    const separate = make(true).runStep().metrics;
    expect(separate.D_gp).toBeGreaterThan(0);
    expect(separate['D/gp']).toBeUndefined();
    gan.dispose();
  });

  it('lazy R1 as a separate step every 4th iteration with its weight × 4 (StyleGAN2 D_reg_interval)', () => {
    const v = tf.variable(tf.tensor2d([[0.5], [-1], [2], [0]])); // linear critic: R1 = γ/2·‖v‖² exactly (StyleGAN2's convention)
    const g = tf.variable(tf.zeros([3, 4]));
    const trainer = new Trainer({
      data: gaussianData(4),
      updates: ganUpdates({
        generator: (z) => tf.matMul(z, g),
        discriminator: (x) => tf.matMul(x, v),
        generatorVariables: [g],
        discriminatorVariables: [v],
        generatorOptimizer: new Adam({ learningRate: 1e-3 }),
        discriminatorOptimizer: new Adam({ learningRate: 0 }),
        latentDim: 3,
        loss: 'nonSaturating',
        gradientPenalty: { type: 'r1', weight: 10, r1Convention: 'paper', separateStep: true, every: 4 },
      }),
    });
    const rs = Array.from({ length: 8 }, () => trainer.runStep());
    expect(rs.filter((r) => 'D_gp' in r.metrics).map((r) => r.step)).toEqual([3, 7]);
    expect(rs[3].metrics.D_gp).toBeCloseTo(4 * (10 / 2) * (0.25 + 1 + 4), 4);
    expect(() =>
      ganUpdates({
        generator: (z) => z,
        discriminator: (x) => x,
        generatorVariables: [g],
        discriminatorVariables: [v],
        generatorOptimizer: new Adam(),
        discriminatorOptimizer: new Adam(),
        latentDim: 3,
        gradientPenalty: { type: 'r1', every: 4 },
      }),
    ).toThrow(/'gradientPenalty.every' needs 'separateStep: true'/);
    trainer.dispose();
    tf.dispose([v, g]);
  });

  it('trains a VAE through a generic single update (custom step), with the loss decreasing', () => {
    const rng = new Random(7);
    const enc = tf.variable(tf.tensor(rng.normalArray(4 * 4, 0, 0.3), [4, 4]));
    const dec = tf.variable(tf.tensor(rng.normalArray(2 * 4, 0, 0.3), [2, 4]));
    const trainer = new Trainer({
      seed: 1,
      data: gaussianData(16),
      updates: [
        {
          name: 'vae',
          variables: [enc, dec],
          optimizer: new Adam({ learningRate: 0.02 }),
          loss: (ctx) => {
            const x = ctx.batch as tf.Tensor;
            const h = tf.matMul(x, enc);
            const mu = tf.slice(h, [0, 0], [-1, 2]);
            const logVar = tf.slice(h, [0, 2], [-1, 2]);
            const z = tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logVar)), ctx.normal(mu.shape)));
            return betaVaeLoss({ reconstruction: tf.matMul(z, dec), input: x, mu, logVar, type: 'H', beta: 1, kldWeight: 0.1 });
          },
        },
      ],
    });
    const losses: number[] = [];
    trainer.run(120, (r) => losses.push(r.metrics.vae));
    expect(mean(losses.slice(-20))).toBeLessThan(0.5 * mean(losses.slice(0, 5)));
    expect(losses.length).toBe(120);
    trainer.dispose();
    tf.dispose([enc, dec]);
  });
});

describe('Trainer hooks, other optimizers and batching', () => {
  it('afterUpdate clips the critic (original WGAN); beforeStep / afterStep see every step and its metrics', () => {
    const gan = toyGan(8);
    const seen: number[] = [];
    const after: string[][] = [];
    const [dUpdate, gUpdate] = ganUpdates({
      generator: gan.G,
      discriminator: gan.D,
      generatorVariables: gan.gVars,
      discriminatorVariables: gan.dVars,
      generatorOptimizer: new Adam({ learningRate: 0.05 }),
      discriminatorOptimizer: new Adam({ learningRate: 0.05 }),
      latentDim: 3,
      loss: 'wasserstein',
    });
    const clip = () => gan.dVars.forEach((v) => v.assign(tf.clipByValue(v, -0.01, 0.01)));
    const trainer = new Trainer({
      data: gaussianData(4),
      updates: [{ ...dUpdate, afterUpdate: () => tf.tidy(clip) }, gUpdate],
      beforeStep: (ctx) => void seen.push(ctx.step),
      afterStep: (_ctx, metrics) => void after.push(Object.keys(metrics)),
    });
    trainer.run(4);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(after[3]).toContain('D');
    expect(gan.dVars.every((v) => Math.max(...Array.from(v.dataSync()).map(Math.abs)) <= 0.01 + 1e-7)).toBe(true);
    trainer.dispose();
    gan.dispose();
  });

  it('checkpoints tfjs optimizers through getWeights / setWeights (momentum SGD resumes to within rounding)', async () => {
    const make = () => {
      const gan = toyGan(9);
      const trainer = new Trainer({
        seed: 4,
        data: gaussianData(4),
        updates: [{ name: 'D', variables: gan.dVars, optimizer: tf.train.momentum(0.05, 0.9), loss: (ctx) => tf.mean(tf.square(gan.D(ctx.batch as tf.Tensor))) as tf.Scalar }],
      });
      return { gan, trainer };
    };
    const a = make();
    a.trainer.run(3);
    const state = await a.trainer.getState();
    expect((state.optimizers[0].state as { weights: unknown[] }).weights.length).toBeGreaterThan(1);
    expect(tf.train.momentum(0.1, 0.9) instanceof Adam).toBe(false);
    expect(new Adam() instanceof tf.Optimizer).toBe(true);
    const ref = [0, 1, 2].map(() => a.trainer.runStep().metrics.D);
    const b = make();
    await b.trainer.setState(state);
    const resumed = [0, 1, 2].map(() => b.trainer.runStep().metrics.D);
    resumed.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 6));
    a.gan.dispose();
    b.gan.dispose();
  });

  it('zeroMissingGradients: variables the loss does not reach still take a momentum step (PyTorch < 2 zero_grad)', () => {
    const run = (zeroMissingGradients: boolean) => {
      const a = tf.variable(tf.scalar(1));
      const b = tf.variable(tf.scalar(1));
      const opt = new Adam({ learningRate: 0.1 });
      const trainer = new Trainer({
        updates: [
          { name: 'both', variables: [a, b], optimizer: opt, loss: () => tf.add(tf.square(a), tf.square(b)) as tf.Scalar },
          { name: 'onlyA', variables: [a, b], optimizer: opt, zeroMissingGradients, loss: () => tf.square(a) as tf.Scalar },
        ],
      });
      trainer.runStep();
      const bAfter = b.dataSync()[0];
      tf.dispose([a, b]);
      return bAfter;
    };
    // 'both': b = 1 − 0.1 (Adam's first step is lr·sign); 'onlyA' with zero gradient: m = 0.9·m₁, v = 0.999·v₁ → a further step
    expect(run(false)).toBeCloseTo(0.9, 5);
    const m = 0.9 * 0.1 * 2;
    const v = 0.999 * 0.001 * 4;
    expect(run(true)).toBeCloseTo(0.9 - (0.1 / (1 - 0.81)) * (m / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** 2) + 1e-8)), 5);
  });

  it("never disposes the caller's tensors: a data function may return a pre-existing dataset tensor (sync or async)", async () => {
    const x = tf.tensor2d([
      [1, 2, 3, 4],
      [0, 1, 0, 1],
    ]);
    const v = tf.variable(tf.zeros([4, 1]));
    const loss = (ctx: { batch: unknown }) => tf.mean(tf.square(tf.sub(tf.matMul((ctx.batch as Record<string, tf.Tensor>).x, v), 1))) as tf.Scalar;
    const sync = new Trainer({ data: () => ({ x, note: 'kept' }), updates: [{ name: 'fit', variables: [v], optimizer: new Adam(), loss }] });
    await expectNoLeak(() => void sync.run(3));
    const asyncT = new Trainer({ data: async () => ({ x }), updates: [{ name: 'fit', variables: [v], optimizer: new Adam(), loss }] });
    await expectNoLeak(async () => {
      await asyncT.runStepAsync();
    });
    expect(x.isDisposed).toBe(false);
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3, 4, 0, 1, 0, 1]);
    tf.dispose([x, v]);
  });

  it('shuffledBatches: every example once per epoch, a new order each epoch, a pure function of the step', () => {
    const x = tf.reshape(tf.range(0, 10), [10, 1]);
    const data = shuffledBatches(x, 3, 7);
    const take = (step: number) => Array.from(tf.tidy(() => data({ step, epoch: 0, repeat: 0, rng: new Random(0) }).dataSync()));
    const epoch0 = [0, 1, 2].flatMap(take);
    expect(new Set(epoch0).size).toBe(9);
    const epoch1 = [3, 4, 5].flatMap(take);
    expect(epoch1).not.toEqual(epoch0);
    expect(take(4)).toEqual(take(4));
    expect(() => shuffledBatches(x, 11)).toThrow(/shuffledBatches: 'batchSize' must be an integer in \[1, 10\]/);
    x.dispose();
  });
});

describe('Trainer NaN/Inf guard', () => {
  it('throws a NonFiniteLossError naming the update, the term and the step, without applying the update', () => {
    const gan = toyGan(5);
    const trainer = trainerWithNonFiniteLoss(gan, 3, 'logTerm', () => tf.log(tf.scalar(-1)) as tf.Scalar);
    trainer.run(3);
    const before = gan.dVars.map((v) => Array.from(v.dataSync()));
    let err: unknown;
    try {
      trainer.runStep();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect((err as Error).message).toMatch(/non-finite loss \(NaN\) in update 'D' at step 3/);
    expect(gan.dVars.map((v) => Array.from(v.dataSync()))).toEqual(before);
    expect(trainer.step).toBe(3);
    trainer.dispose();
    gan.dispose();
  });

  it('names a non-finite gradient even when the loss is finite', () => {
    const v = tf.variable(tf.scalar(0));
    const trainer = new Trainer({
      updates: [{ name: 'sqrt', variables: [v], optimizer: new Adam(), loss: () => tf.sqrt(tf.abs(v)) as tf.Scalar }],
    });
    expect(() => trainer.runStep()).toThrow(/non-finite gradient of variable #0 \('.*'\) \((NaN|-?Infinity)\) in update 'sqrt' at step 0/);
    v.dispose();
  });
});

describe('Trainer configuration errors', () => {
  it('names the update and the field', () => {
    const v = tf.variable(tf.scalar(1));
    const opt = new Adam();
    const loss = () => tf.square(v) as tf.Scalar;
    expect(() => new Trainer({ updates: [] })).toThrow(/Trainer: 'updates' must be a non-empty array/);
    expect(() => new Trainer({ updates: [{ name: 'a', variables: [], optimizer: opt, loss }] })).toThrow(/update 'a': 'variables' must be a non-empty array/);
    expect(() => new Trainer({ updates: [{ name: 'a', variables: [v], optimizer: opt, loss, every: 0 }] })).toThrow(/update 'a': 'every' must be a positive integer; got 0/);
    expect(
      () =>
        new Trainer({
          updates: [
            { name: 'a', variables: [v], optimizer: opt, loss },
            { name: 'a', variables: [v], optimizer: opt, loss },
          ],
        }),
    ).toThrow(/'a' appears twice/);
    const t = new Trainer({ updates: [{ name: 'vec', variables: [v], optimizer: opt, loss: () => tf.mul(v, tf.ones([2])) as unknown as tf.Scalar }] });
    expect(() => t.runStep()).toThrow(/update 'vec': the loss must be a scalar; got shape \[2\]/);
    v.dispose();
  });
});

describeEachBackend('Trainer tensor hygiene', () => {
  it('leaks no tensors over 150 steps (D + separate GP + G, EMA, stash, fresh batches, samples)', async () => {
    const gan = toyGan(6);
    const ema = new ExponentialMovingAverage(gan.gVars, { beta: 0.9 });
    const trainer = new Trainer({
      seed: 3,
      data: gaussianData(4),
      ema,
      sample: gan.G,
      sampleNoiseShape: [4, 3],
      updates: ganUpdates({
        generator: gan.G,
        discriminator: gan.D,
        generatorVariables: gan.gVars,
        discriminatorVariables: gan.dVars,
        generatorOptimizer: new Adam({ learningRate: 1e-3 }),
        discriminatorOptimizer: new Adam({ learningRate: 1e-3 }),
        latentDim: 3,
        loss: 'hinge',
        gradientPenalty: { type: 'wgan-gp', separateStep: true },
        nCritic: 2,
        freshBatchPerCritic: true,
        generatorEvery: 2,
      }),
    });
    await expectNoLeak(() => {
      trainer.run(50);
      tf.dispose(trainer.sample());
    }, 2);
    expect(trainer.step).toBe(150);
    trainer.dispose();
    ema.dispose();
    gan.dispose();
  });
});
