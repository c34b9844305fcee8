import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  ADVERSARIAL_LOSSES,
  adversarialLoss,
  bceDiscriminatorLoss,
  driftPenalty,
  hingeDiscriminatorLoss,
  hingeGeneratorLoss,
  leastSquaresDiscriminatorLoss,
  leastSquaresGeneratorLoss,
  minimaxGeneratorLoss,
  nonSaturatingGeneratorLoss,
  sigmoidCrossEntropy,
  wassersteinDiscriminatorLoss,
  wassersteinGeneratorLoss,
  type AdversarialLoss,
} from '../../src/losses/index.js';
import { checkGradients, expectClose, expectNoLeak, loadFixture, randomNormal } from '../helpers/index.js';

const fx = loadFixture('losses_torch').adversarial;

describe('adversarial losses match PyTorch', () => {
  for (const key of ['vector', 'patch'] as const) {
    it(`reproduces BCEWithLogits / MSELoss / WGAN / hinge / drift on ${key} logits`, () => {
      const real = tf.tensor(key === 'vector' ? fx.real : fx.patchReal);
      const fake = tf.tensor(key === 'vector' ? fx.fake : fx.patchFake);
      const c = fx.cases[key];
      const got = {
        bceD: bceDiscriminatorLoss(real, fake),
        bceDSmooth095: bceDiscriminatorLoss(real, fake, { realLabel: 0.95 }),
        nonSaturatingG: nonSaturatingGeneratorLoss(fake),
        minimaxG: minimaxGeneratorLoss(fake),
        leastSquaresD: leastSquaresDiscriminatorLoss(real, fake),
        leastSquaresG: leastSquaresGeneratorLoss(fake),
        wassersteinD: wassersteinDiscriminatorLoss(real, fake),
        wassersteinG: wassersteinGeneratorLoss(fake),
        hingeD: hingeDiscriminatorLoss(real, fake),
        hingeG: hingeGeneratorLoss(fake),
        drift: driftPenalty(real),
      };
      for (const [name, value] of Object.entries(got)) {
        expect(value.shape, name).toEqual([]);
        expectClose(value, c[name], { rtol: 1e-5, atol: 1e-6 });
      }
      tf.dispose([real, fake, ...Object.values(got)]);
    });
  }

  it('sigmoidCrossEntropy is stable for large logits (no Inf/NaN)', () => {
    const x = tf.tensor1d([-200, -50, 0, 50, 200]);
    const l1 = sigmoidCrossEntropy(x, 1);
    // softplus(-x): 200, 50, ln 2, ~0, ~0 → mean
    expectClose(l1, (200 + 50 + Math.LN2) / 5, { rtol: 1e-5 });
    tf.dispose([x, l1]);
  });

  it('document 002 least squares: D = (D(x)−1)² + D(G(z))², G = (D(G(z))−1)² (closed form)', () => {
    const r = tf.tensor1d([0.5, 2]);
    const f = tf.tensor1d([-1, 0.25]);
    const d = leastSquaresDiscriminatorLoss(r, f);
    const g = leastSquaresGeneratorLoss(f);
    expectClose(d, (0.25 + 1) / 2 + (1 + 0.0625) / 2);
    expectClose(g, (4 + 0.5625) / 2);
    // the LSGAN paper's ½ as an explicit option
    expectClose(leastSquaresDiscriminatorLoss(r, f, { factor: 0.5 }), ((0.25 + 1) / 2 + (1 + 0.0625) / 2) / 2);
    expectClose(leastSquaresGeneratorLoss(f, { factor: 0.5 }), (4 + 0.5625) / 4);
    tf.dispose([r, f, d, g]);
  });
});

const closedFormAtZero: Record<string, { d: number; g: number }> = {
  nonSaturating: { d: 2 * Math.LN2, g: Math.LN2 },
  minimax: { d: 2 * Math.LN2, g: -Math.LN2 },
  leastSquares: { d: 1, g: 1 },
  wasserstein: { d: 0, g: 0 },
  hinge: { d: 2, g: 0 },
};

describe.each(Object.values(ADVERSARIAL_LOSSES).map((l) => [l.name, l] as [string, AdversarialLoss]))('adversarial contract: %s', (name, loss) => {
  it('is found by name and returns scalars with the closed-form value at zero logits', () => {
    expect(adversarialLoss(name as never)).toBe(loss);
    const z = tf.zeros([4, 1]);
    const d = loss.discriminatorLoss(z, z);
    const g = loss.generatorLoss(z);
    expect(d.shape).toEqual([]);
    expectClose(d, closedFormAtZero[name].d);
    expectClose(g, closedFormAtZero[name].g);
    tf.dispose([z, d, g]);
  });

  it('sign: D loss is lower when D separates real (high) from fake (low); G loss is lower when fakes score high', () => {
    const hi = tf.fill([6, 1], 0.9);
    const lo = tf.fill([6, 1], -0.9);
    const good = loss.discriminatorLoss(hi, lo).dataSync()[0];
    const bad = loss.discriminatorLoss(lo, hi).dataSync()[0];
    expect(good).toBeLessThan(bad);
    expect(loss.generatorLoss(hi).dataSync()[0]).toBeLessThan(loss.generatorLoss(lo).dataSync()[0]);
    tf.dispose([hi, lo]);
  });

  it('scale: a mean over elements, so duplicating the batch or reshaping to a patch map leaves it unchanged', () => {
    const r = randomNormal([4, 1], 1);
    const f = randomNormal([4, 1], 2);
    const d1 = loss.discriminatorLoss(r, f).dataSync()[0];
    const r2 = tf.concat([r, r]);
    const f2 = tf.concat([f, f]);
    expect(loss.discriminatorLoss(r2, f2).dataSync()[0]).toBeCloseTo(d1, 5);
    const rp = tf.reshape(r, [1, 2, 2, 1]);
    const fp = tf.reshape(f, [1, 2, 2, 1]);
    expect(loss.discriminatorLoss(rp, fp).dataSync()[0]).toBeCloseTo(d1, 5);
    expect(loss.generatorLoss(f2).dataSync()[0]).toBeCloseTo(loss.generatorLoss(f).dataSync()[0], 5);
    tf.dispose([r, f, r2, f2, rp, fp]);
  });

  it('gradients with respect to the logits match finite differences', () => {
    // keep logits away from the hinge kinks at ±1
    const r = tf.tensor2d([[0.3], [1.6], [-0.4]]);
    const f = tf.tensor2d([[-0.2], [0.5], [-1.7]]);
    checkGradients((a, b) => loss.discriminatorLoss(a, b), [r, f], { eps: 1e-3 });
    checkGradients((b) => loss.generatorLoss(b), [f], { eps: 1e-3 });
    tf.dispose([r, f]);
  });

  it('a gradient step moves a toy linear discriminator to separate the data, and the fakes toward the data', () => {
    // 1-D data: real at +1, fake at −1; D(x) = a·x + b starting at a = 0.1.
    const a = tf.variable(tf.scalar(0.1));
    const b = tf.variable(tf.scalar(0));
    const real = tf.tensor2d([[0.8], [1], [1.2]]);
    const fake = tf.variable(tf.tensor2d([[-1.2], [-1], [-0.8]]));
    const D = (x: tf.Tensor) => tf.add(tf.mul(a, x), b);
    const gap = () => tf.tidy(() => tf.sub(tf.mean(D(real)), tf.mean(D(fake))).dataSync()[0]);
    const before = gap();
    const sgd = tf.train.sgd(0.05);
    sgd.minimize(() => loss.discriminatorLoss(D(real), D(fake)), false, [a, b]);
    expect(gap()).toBeGreaterThan(before);
    const meanFake = tf.mean(fake).dataSync()[0];
    sgd.minimize(() => loss.generatorLoss(D(fake)), false, [fake]);
    expect(tf.mean(fake).dataSync()[0]).toBeGreaterThan(meanFake);
    sgd.dispose();
    tf.dispose([a, b, real, fake]);
  });

  it('leaks no tensors', async () => {
    const r = randomNormal([3, 1], 3);
    const f = randomNormal([3, 1], 4);
    await expectNoLeak(() => {
      tf.dispose([loss.discriminatorLoss(r, f), loss.generatorLoss(f)]);
    });
    tf.dispose([r, f]);
  });
});

describe('adversarial loss input checks', () => {
  it('names the function and argument for bad inputs', () => {
    const ok = tf.zeros([2, 1]);
    expect(() => bceDiscriminatorLoss(ok, ok, { realLabel: 1.5 })).toThrow(/bceDiscriminatorLoss: 'options.realLabel' must be in \[0, 1\]; got 1.5/);
    expect(() => wassersteinDiscriminatorLoss(ok, tf.zeros([0]))).toThrow(/wassersteinDiscriminatorLoss: 'fakeLogits' must not be empty/);
    expect(() => adversarialLoss('relativistic' as never)).toThrow(/must be one of nonSaturating, minimax/);
    expect(() => hingeGeneratorLoss(tf.zeros([2], 'int32'))).toThrow(/'fakeLogits' must be float32; got int32/);
    ok.dispose();
  });
});
