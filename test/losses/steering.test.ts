import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { applyWalk, steeringLoss, steeringObjective } from '../../src/losses/index.js';
import { trainLinearWalk } from '../../src/latent/index.js';
import { Random, checkGradients, expectClose, expectNoLeak, loadFixture } from '../helpers/index.js';

const fx = loadFixture('losses_torch').steering;

describe('steeringLoss (document 000 eq. 1) with pluggable frozen EMB and AUR models', () => {
  const Wg = tf.tensor(fx.Wg);
  const We = tf.tensor(fx.We);
  const Wa = tf.tensor(fx.Wa);
  const generator = (z: tf.Tensor) => tf.tanh(tf.matMul(z, Wg));
  const embedding = (img: tf.Tensor) => tf.matMul(img, We);
  const auRegressor = (img: tf.Tensor) => tf.sigmoid(tf.matMul(img, Wa));
  const z = tf.tensor(fx.z);
  const alpha = tf.tensor(fx.alpha);
  const target = tf.tensor(fx.target);

  it('matches PyTorch: identity and AU terms and ∂L/∂w', () => {
    const w = tf.tensor(fx.w);
    const out = steeringLoss({ generator, embedding, auRegressor, z, walk: w, alpha, target });
    expectClose(out.terms.identity, fx.identity, { rtol: 1e-5, atol: 1e-7 });
    expectClose(out.terms.au, fx.au, { rtol: 1e-5 });
    expectClose(out.total, fx.identity + fx.au, { rtol: 1e-5 });
    const g = tf.grad((wv: tf.Tensor) => steeringLoss({ generator, embedding, auRegressor, z, walk: wv, alpha, target }).total)(w);
    expectClose(g, fx.gradW, { rtol: 1e-4, atol: 1e-6 });
    checkGradients((wv) => steeringLoss({ generator, embedding, auRegressor, z, walk: wv, alpha, target }).total, [w]);
  });

  it('the identity term is zero at α = 0 and the walk can be a function', () => {
    const zeroA = tf.zeros([3]);
    const out = steeringLoss({ generator, embedding, auRegressor, z, walk: tf.tensor(fx.w), alpha: zeroA, target });
    expectClose(out.terms.identity, 0);
    const viaFn = steeringLoss({ generator, embedding, auRegressor, z, walk: (zz) => zz, alpha, target, auWeight: 2 });
    expectClose(viaFn.terms.identity, 0);
    const auAtZ = tf.mean(tf.square(tf.sub(auRegressor(generator(z)), target)));
    expectClose(viaFn.terms.au, 2 * auAtZ.dataSync()[0], { rtol: 1e-6 });
  });

  it('applyWalk: z + Σ_k α_k w_k for K sliders', () => {
    const zz = tf.tensor2d([[1, 1]]);
    const w = tf.tensor2d([
      [1, 0],
      [0, 2],
    ]); // [D=2, K=2]
    expectClose(applyWalk(w, zz, tf.tensor2d([[3, -1]])), [[4, -1]]);
    expect(() => applyWalk(tf.zeros([3]), zz, tf.zeros([1]))).toThrow(/applyWalk: 'walk' must be \[2, K\]; got \[3\]/);
    expect(() => steeringLoss({ generator, embedding, auRegressor, z, walk: tf.tensor(fx.w), alpha, target: tf.zeros([2, 2]) })).toThrow(/steeringLoss: 'target' must have 3 rows/);
  });

  it('steeringObjective on (G(z), G(z′), α) equals steeringLoss, and trains a walk with gankit/latent trainLinearWalk', () => {
    const w = tf.tensor(fx.w);
    const fixedTarget = tf.tensor(fx.target);
    const objective = steeringObjective({ embedding, auRegressor, target: () => fixedTarget });
    const a2 = tf.reshape(alpha, [3, 1]) as tf.Tensor2D;
    const viaObjective = objective(generator(z), generator(applyWalk(w, z, alpha)), a2);
    expectClose(viaObjective, fx.identity + fx.au, { rtol: 1e-5 });
    // walk toward "more of AU 0": target = AUR(G(z)) baseline + α on AU 0; the AU loss must drop
    const target = (a: tf.Tensor2D) => tf.concat([tf.add(0.5, tf.mul(0.4, a)), tf.fill([a.shape[0], 1], 0.5)], 1);
    const { w: learned } = trainLinearWalk({
      generator,
      latentDim: 4,
      objective: steeringObjective({ embedding, auRegressor, target }),
      steps: 200,
      batchSize: 8,
      lr: 0.02,
      seed: 1,
    });
    // the learned walk raises AU 0 with α: AUR(G(z + w))₀ − AUR(G(z − w))₀ over many z (target slope 0.4 per unit α)
    const gainOf = (walk: tf.Tensor) =>
      tf.tidy(() => {
        const zs = tf.tensor(new Random(5).normalArray(256 * 4), [256, 4]);
        const at = (a: number) => tf.mean(tf.slice(auRegressor(generator(applyWalk(walk, zs, tf.fill([256, 1], a)))), [0, 0], [-1, 1])).dataSync()[0];
        return at(1) - at(-1);
      });
    const untrained = tf.tensor2d(new Random(1).normalArray(4, 0, 0.1), [4, 1]); // the N(0, 0.1) initialisation
    expect(Math.abs(gainOf(untrained))).toBeLessThan(0.08);
    expect(gainOf(learned)).toBeGreaterThan(0.15);
    tf.dispose([learned, untrained]);
  });

  it('leaks no tensors', async () => {
    const w = tf.variable(tf.tensor(fx.w));
    await expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => steeringLoss({ generator, embedding, auRegressor, z, walk: w, alpha, target }).total, [w]);
      tf.dispose([value, ...Object.values(grads)]);
    });
    w.dispose();
  });
});
