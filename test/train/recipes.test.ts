import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adam, Trainer, ganUpdates, ganimationUpdates } from '../../src/train/index.js';
import { GANIMATION_WEIGHTS, l2Loss, ganimationComposite, ganimationDiscriminatorLoss, ganimationGeneratorLoss, gradientPenalty, latentIdentityLoss } from '../../src/losses/index.js';
import { Random } from '../../src/util/random.js';
import { expectNoLeak } from '../helpers/index.js';

const dense = (rng: Random, i: number, o: number, s = 0.4) => [tf.variable(tf.tensor(rng.normalArray(i * o, 0, s), [i, o])), tf.variable(tf.zeros([o]))];
const apply = (x: tf.Tensor, [w, b]: tf.Variable[]) => tf.add(tf.matMul(x, w), b);

describe('training recipes on the generic trainer', () => {
  it('conditional GAN: labels from the batch reach G and D, and each class mean is learned', () => {
    const rng = new Random(4);
    const g1 = dense(rng, 2 + 2, 16);
    const g2 = dense(rng, 16, 2);
    const d1 = dense(rng, 2 + 2, 16);
    const d2 = dense(rng, 16, 1);
    const G = (z: tf.Tensor, y: tf.Tensor) => apply(tf.relu(apply(tf.concat([z, y], 1), g1)), g2);
    const D = (x: tf.Tensor, y: tf.Tensor) => apply(tf.leakyRelu(apply(tf.concat([x, y], 1), d1), 0.2), d2);
    const means = [
      [-1.5, 1],
      [1.5, -0.5],
    ];
    const trainer = new Trainer({
      seed: 2,
      data: ({ rng: r }) => {
        const labels = Array.from({ length: 32 }, () => r.int(0, 2));
        const x = new Float32Array(64);
        labels.forEach((l, i) => {
          x[2 * i] = means[l][0] + 0.2 * r.normal();
          x[2 * i + 1] = means[l][1] + 0.2 * r.normal();
        });
        return { x: tf.tensor2d(x, [32, 2]), y: tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 2), 'float32') };
      },
      updates: ganUpdates({
        generator: (z, ctx) => G(z, (ctx.batch as Record<string, tf.Tensor>).y),
        discriminator: (x, ctx) => D(x, (ctx.batch as Record<string, tf.Tensor>).y),
        generatorVariables: [...g1, ...g2],
        discriminatorVariables: [...d1, ...d2],
        generatorOptimizer: new Adam({ learningRate: 5e-3, beta1: 0.5 }),
        discriminatorOptimizer: new Adam({ learningRate: 5e-3, beta1: 0.5 }),
        latentDim: 2,
      }),
    });
    trainer.run(300);
    for (const label of [0, 1]) {
      const m = tf.tidy(() => {
        const z = tf.tensor(new Random(8).normalArray(200 * 2), [200, 2]);
        const y = tf.cast(tf.oneHot(tf.fill([200], label, 'int32') as tf.Tensor1D, 2), 'float32');
        return Array.from(tf.mean(G(z, y), 0).dataSync());
      });
      expect(Math.hypot(m[0] - means[label][0], m[1] - means[label][1])).toBeLessThan(0.5);
    }
    trainer.dispose();
    tf.dispose([...g1, ...g2, ...d1, ...d2]);
  });

  it('HoloGAN schedule: 1 D then 2 G steps on one batch_z, latent identity loss in both D (with the Q head) and G', () => {
    const rng = new Random(5);
    const g = dense(rng, 3, 4);
    const d = dense(rng, 4, 8);
    const dOut = dense(rng, 8, 1);
    const q = dense(rng, 8, 3);
    const G = (z: tf.Tensor) => tf.tanh(apply(z, g));
    const trunk = (x: tf.Tensor) => tf.leakyRelu(apply(x, d), 0.2);
    const Q = (x: tf.Tensor) => tf.tanh(apply(trunk(x), q));
    const gOpt = new Adam({ learningRate: 1e-4, beta1: 0.5 });
    const dOpt = new Adam({ learningRate: 1e-4, beta1: 0.5 });
    let drawn = 0;
    const trainer = new Trainer({
      data: ({ rng: r }) => tf.tensor(r.uniformArray(16, -1, 1), [4, 4]),
      updates: ganUpdates({
        generator: G,
        discriminator: (x) => apply(trunk(x), dOut),
        generatorVariables: g,
        discriminatorVariables: [...d, ...dOut, ...q],
        generatorOptimizer: gOpt,
        discriminatorOptimizer: dOpt,
        latent: (ctx, b) => {
          drawn++;
          return ctx.uniform([b, 3], -1, 1);
        },
        latentPerStep: true,
        generatorRepeats: 2,
        discriminatorExtra: (_ctx, { fake, z }) => ({ latent: latentIdentityLoss(Q(fake), z) }),
        generatorExtra: (_ctx, { fake, z }) => ({ latent: latentIdentityLoss(Q(fake), z) }),
      }),
    });
    const r = trainer.run(3)!;
    expect(r.metrics['D/latent']).toBeGreaterThan(0);
    expect(r.metrics['G/latent']).toBeGreaterThan(0);
    expect(r.metrics.D).toBeCloseTo(r.metrics['D/adv'] + r.metrics['D/latent'], 5);
    expect(dOpt.t).toBe(3);
    expect(gOpt.t).toBe(6);
    expect(drawn).toBe(3); // one batch_z per iteration, shared by the D step and both G steps
    trainer.dispose();
    tf.dispose([...g, ...d, ...dOut, ...q]);
  });

  it('GANimation schedule with the reference recipes: D, then a separate GP step on the same fakes, G every 5th step', async () => {
    const rng = new Random(6);
    const c = 3;
    const Wc = tf.variable(tf.tensor(rng.normalArray((3 + c) * 3, 0, 0.3), [3 + c, 3]));
    const Wa = tf.variable(tf.tensor(rng.normalArray(3 + c, 0, 0.3), [3 + c, 1]));
    const Wp = tf.variable(tf.tensor(rng.normalArray(3, 0, 0.3), [3, 1]));
    const Wq = tf.variable(tf.tensor(rng.normalArray(3 * c, 0, 0.3), [3, c]));
    const ch = (x: tf.Tensor, w: tf.Tensor) => tf.reshape(tf.matMul(tf.reshape(x, [-1, x.shape[3]!]), w), [...x.shape.slice(0, 3), w.shape[1]!]);
    const generator = (img: tf.Tensor, cond: tf.Tensor) => {
      const [b, h, w] = img.shape;
      const x = tf.concat([img, tf.tile(tf.reshape(cond, [b, 1, 1, c]), [1, h, w, 1])], 3);
      return { color: tf.tanh(ch(x, Wc)), attention: tf.sigmoid(ch(x, Wa)) };
    };
    const critic = (img: tf.Tensor) => ({ prob: tf.squeeze(ch(img, Wp), [3]), cond: tf.mean(ch(img, Wq), [1, 2]) });
    const dOpt = new Adam({ learningRate: 1e-4, beta1: 0.5 });
    const gOpt = new Adam({ learningRate: 1e-4, beta1: 0.5 });
    const trainer = new Trainer({
      seed: 1,
      data: ({ rng: r }) => ({
        images: tf.tensor(r.uniformArray(2 * 4 * 4 * 3, -1, 1), [2, 4, 4, 3]),
        cond: tf.tensor(r.uniformArray(2 * c, 0, 1), [2, c]),
        desired: tf.tensor(r.uniformArray(2 * c, 0, 1), [2, c]),
      }),
      updates: [
        {
          name: 'D',
          variables: [Wp, Wq],
          optimizer: dOpt,
          loss: (ctx) => {
            const b = ctx.batch as Record<string, tf.Tensor>;
            const fake = ctx.stash('fake', ganimationComposite(generator, b.images, b.desired).image);
            return ganimationDiscriminatorLoss({ critic, realImages: b.images, realCond: b.cond, fakeImages: fake });
          },
        },
        {
          name: 'D_gp',
          variables: [Wp, Wq],
          optimizer: dOpt,
          loss: (ctx) => {
            const b = ctx.batch as Record<string, tf.Tensor>;
            return gradientPenalty((x) => critic(x).prob, b.images, ctx.stashed('fake')!, { weight: GANIMATION_WEIGHTS.gp, seed: ctx.rng });
          },
        },
        {
          name: 'G',
          variables: [Wc, Wa],
          optimizer: gOpt,
          every: 5,
          loss: (ctx) => {
            const b = ctx.batch as Record<string, tf.Tensor>;
            return ganimationGeneratorLoss({ generator, critic, realImages: b.images, realCond: b.cond, desiredCond: b.desired });
          },
        },
      ],
    });
    const results = Array.from({ length: 10 }, () => trainer.runStep());
    expect(results.filter((r) => 'G' in r.metrics).map((r) => r.step)).toEqual([4, 9]);
    expect(
      Object.keys(results[4].metrics)
        .filter((k) => k.startsWith('G/'))
        .sort(),
    ).toEqual(['G/adv', 'G/cond', 'G/cyc', 'G/mask', 'G/maskSmooth']);
    expect(dOpt.t).toBe(20); // D and D_gp share D's optimizer, as in the reference
    expect(gOpt.t).toBe(2);
    await expectNoLeak(() => void trainer.run(5));
    trainer.dispose();
    tf.dispose([Wc, Wa, Wp, Wq]);
  });

  it('ganimationUpdates: the same iteration as a builder; desired AUs shared by D and G within a step, drawn from the RNG', () => {
    const rng = new Random(9);
    const c = 2;
    const Wc = tf.variable(tf.tensor(rng.normalArray((3 + c) * 3, 0, 0.3), [3 + c, 3]));
    const Wa = tf.variable(tf.tensor(rng.normalArray(3 + c, 0, 0.3), [3 + c, 1]));
    const Wp = tf.variable(tf.tensor(rng.normalArray(3, 0, 0.3), [3, 1]));
    const Wq = tf.variable(tf.tensor(rng.normalArray(3 * c, 0, 0.3), [3, c]));
    const ch = (x: tf.Tensor, w: tf.Tensor) => tf.reshape(tf.matMul(tf.reshape(x, [-1, x.shape[3]!]), w), [...x.shape.slice(0, 3), w.shape[1]!]);
    const seenDesired: number[][] = [];
    const generator = (img: tf.Tensor, cond: tf.Tensor) => {
      seenDesired.push(Array.from(cond.dataSync()));
      const [b, h, w] = img.shape;
      const x = tf.concat([img, tf.tile(tf.reshape(cond, [b, 1, 1, c]), [1, h, w, 1])], 3);
      return { color: tf.tanh(ch(x, Wc)), attention: tf.sigmoid(ch(x, Wa)) };
    };
    const critic = (img: tf.Tensor) => ({ prob: tf.squeeze(ch(img, Wp), [3]), cond: tf.mean(ch(img, Wq), [1, 2]) });
    const dOpt = new Adam({ learningRate: 1e-4, beta1: 0.5 });
    const gOpt = new Adam({ learningRate: 1e-4, beta1: 0.5 });
    const realCond = [0.2, 0.9, 0.6, 0.1];
    const trainer = new Trainer({
      seed: 2,
      data: ({ rng: r }) => ({ images: tf.tensor(r.uniformArray(2 * 3 * 3 * 3, -1, 1), [2, 3, 3, 3]), cond: tf.tensor2d(realCond, [2, c]) }),
      updates: ganimationUpdates({ generator, critic, generatorVariables: [Wc, Wa], criticVariables: [Wp, Wq], generatorOptimizer: gOpt, criticOptimizer: dOpt }),
    });
    const rs = Array.from({ length: 5 }, () => trainer.runStep());
    expect(rs.map((r) => 'G' in r.metrics)).toEqual([false, false, false, false, true]);
    expect(rs[4].metrics.D).toBeCloseTo(rs[4].metrics['D/real'] + rs[4].metrics['D/fake'] + rs[4].metrics['D/cond'], 5);
    expect(rs[0].metrics.D_gp).toBeGreaterThan(0);
    // step 4: D's composite, then G's forward and reconstruction: the forward passes use the same desired AUs
    const step4 = seenDesired.slice(-3);
    expect(step4[1]).toEqual(step4[0]);
    // desired = a permutation of the real AUs + U(−0.1, 0.1)
    const rows = [step4[0].slice(0, 2), step4[0].slice(2, 4)];
    const realRows = [realCond.slice(0, 2), realCond.slice(2, 4)];
    for (const row of rows) expect(realRows.some((rr) => rr.every((v, j) => Math.abs(row[j] - v) <= 0.1 + 1e-6))).toBe(true);
    expect(dOpt.t).toBe(10);
    expect(gOpt.t).toBe(1);
    trainer.dispose();
    tf.dispose([Wc, Wa, Wp, Wq]);
  });

  it('flow: maximum likelihood of an affine flow recovers the data mean and std (closed-form MLE)', () => {
    const b = tf.variable(tf.zeros([2]));
    const logS = tf.variable(tf.zeros([2]));
    const mean = [2, -1];
    const std = [0.5, 3];
    const rng = new Random(12);
    const n = 2000;
    const xs = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < 2; j++) xs[2 * i + j] = mean[j] + std[j] * rng.normal();
    const x = tf.tensor2d(xs, [n, 2]);
    const trainer = new Trainer({
      updates: [
        {
          name: 'nll',
          variables: [b, logS],
          optimizer: new Adam({ learningRate: 0.05 }),
          // z = (x − b)·e^{−s}; −log p(x) = ½z² + s + ½log 2π (per dimension), averaged
          loss: () => tf.mean(tf.add(tf.mul(0.5, tf.square(tf.mul(tf.sub(x, b), tf.exp(tf.neg(logS))))), logS)) as tf.Scalar,
        },
      ],
    });
    trainer.run(400);
    const empMean = tf.mean(x, 0);
    const empStd = tf.sqrt(tf.mean(tf.square(tf.sub(x, empMean)), 0));
    expectCloseArr(Array.from(b.dataSync()), Array.from(empMean.dataSync()), 0.02);
    expectCloseArr(Array.from(tf.exp(logS).dataSync()), Array.from(empStd.dataSync()), 0.02);
    tf.dispose([b, logS, x, empMean, empStd]);
    trainer.dispose();
  });

  it('encoder: E learns to invert a frozen linear generator (E(G(z)) ≈ z)', () => {
    const rng = new Random(13);
    const Wg = tf.tensor2d([
      [1, 0.5, 0],
      [0, 1, -0.5],
      [0.3, 0, 1],
    ]);
    const We = tf.variable(tf.tensor(rng.normalArray(9, 0, 0.1), [3, 3]));
    const trainer = new Trainer({
      seed: 3,
      updates: [
        {
          name: 'E',
          variables: [We],
          optimizer: new Adam({ learningRate: 0.02 }),
          loss: (ctx) => {
            const z = ctx.normal([32, 3]);
            return l2Loss(tf.matMul(tf.matMul(z, Wg), We), z);
          },
        },
      ],
    });
    trainer.run(500);
    const inv = tf.tidy(() => tf.matMul(Wg, We)); // should be the identity
    expectCloseArr(Array.from(inv.dataSync()), [1, 0, 0, 0, 1, 0, 0, 0, 1], 0.02);
    tf.dispose([Wg, We, inv]);
    trainer.dispose();
  });
});

function expectCloseArr(a: number[], b: number[], tol: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]), `element ${i}: ${v} vs ${b[i]}`).toBeLessThan(tol));
}
