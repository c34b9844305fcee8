import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gradientPenalty, r1Penalty } from '../../src/losses/index.js';
import { Random } from '../../src/util/random.js';
import { checkSecondOrder, describeEachBackend, expectClose, expectNoLeak, loadFixture, randomNormal } from '../helpers/index.js';

const fx = loadFixture('losses_torch').gradientPenalty;

const activations: Record<string, (z: tf.Tensor) => tf.Tensor> = {
  softplus: tf.softplus,
  relu: tf.relu,
  leakyRelu: (z) => tf.leakyRelu(z, 0.2),
  tanh: tf.tanh,
};

/** tfjs leaves out variables the value does not depend on (the output bias here): read those as 0. */
function gradOf(grads: tf.NamedTensorMap, v: tf.Variable): Float32Array {
  return grads[v.name] != null ? (grads[v.name].dataSync() as Float32Array) : new Float32Array(v.size);
}

function denseCritic(act: (z: tf.Tensor) => tf.Tensor) {
  const P = {
    W1: tf.variable(tf.tensor(fx.params.W1)),
    b1: tf.variable(tf.tensor(fx.params.b1)),
    W2: tf.variable(tf.tensor(fx.params.W2)),
    b2: tf.variable(tf.tensor(fx.params.b2)),
  };
  const critic = (x: tf.Tensor) => tf.add(tf.matMul(act(tf.add(tf.matMul(x, P.W1), P.b1)), P.W2), P.b2);
  return { P, critic };
}

describeEachBackend('gradientPenalty (WGAN-GP) and r1Penalty match PyTorch, including second-order parameter gradients', () => {
  for (const name of Object.keys(activations)) {
    it(`dense critic with ${name}: value and ∂penalty/∂θ`, () => {
      const { P, critic } = denseCritic(activations[name]);
      const real = tf.tensor(fx.real);
      const fake = tf.tensor(fx.fake);
      const u = tf.tensor(fx.u);
      const c = fx.cases[name];
      const vars = [P.W1, P.b1, P.W2, P.b2];
      const gp = tf.variableGrads(() => gradientPenalty(critic, real, fake, { u }), vars);
      expectClose(gp.value, c.gp, { rtol: 1e-4, atol: 1e-5 });
      for (const [k, v] of Object.entries(P)) expectClose(gradOf(gp.grads, v), c.gpGrads[k], { rtol: 1e-3, atol: 1e-4 });
      // the fixture computes the paper's γ/2 · mean‖∇D‖²
      const r1 = tf.variableGrads(() => r1Penalty(critic, real, { convention: 'paper' }), vars);
      expectClose(r1.value, c.r1, { rtol: 1e-4, atol: 1e-5 });
      for (const [k, v] of Object.entries(P)) expectClose(gradOf(r1.grads, v), c.r1Grads[k], { rtol: 1e-3, atol: 1e-4 });
      tf.dispose([real, fake, u, gp.value, r1.value, ...Object.values(gp.grads), ...Object.values(r1.grads), ...vars]);
    });
  }

  it('conv critic (3×3 stride 2, explicit padding, leakyRelu 0.2, dense): value and ∂penalty/∂θ', () => {
    const c = fx.conv;
    const K = tf.variable(tf.tensor(c.params.K));
    const bk = tf.variable(tf.tensor(c.params.bk));
    const W = tf.variable(tf.tensor(c.params.W));
    const critic = (x: tf.Tensor) => {
      const y = tf.add(
        tf.conv2d(x as tf.Tensor4D, K as tf.Tensor4D, 2, [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ]),
        bk,
      );
      return tf.matMul(tf.reshape(tf.leakyRelu(y, 0.2), [x.shape[0], -1]), W);
    };
    const real = tf.tensor(c.real);
    const fake = tf.tensor(c.fake);
    const u = tf.tensor(c.u);
    const { value, grads } = tf.variableGrads(() => gradientPenalty(critic, real, fake, { u }), [K, bk, W]);
    expectClose(value, c.gp, { rtol: 1e-4, atol: 1e-5 });
    expectClose(grads[K.name], c.gpGrads.K, { rtol: 1e-3, atol: 1e-4 });
    expectClose(gradOf(grads, bk), c.gpGrads.bk, { rtol: 1e-3, atol: 1e-4 });
    expectClose(grads[W.name], c.gpGrads.W, { rtol: 1e-3, atol: 1e-4 });
    tf.dispose([K, bk, W, real, fake, u, value, ...Object.values(grads)]);
  });
});

describe('gradientPenalty closed forms', () => {
  it('a linear critic D(x) = ⟨v, x⟩ has ‖∇‖ = ‖v‖: penalty λ(‖v‖ − 1)², whatever u', () => {
    const v = tf.tensor2d([[1.2], [-1.6]]); // ‖v‖ = 2
    const critic = (x: tf.Tensor) => tf.matMul(x, v);
    const real = randomNormal([5, 2], 1);
    const fake = randomNormal([5, 2], 2);
    const gp = gradientPenalty(critic, real, fake, { seed: 3 });
    expectClose(gp, 10 * (2 - 1) ** 2, { rtol: 1e-5 });
    const gp2 = gradientPenalty(critic, real, fake, { seed: 3, weight: 1, target: 2 });
    expectClose(gp2, 0, { atol: 1e-6 });
    const r1 = r1Penalty(critic, real, { gamma: 4, convention: 'paper' });
    expectClose(r1, (4 / 2) * 4, { rtol: 1e-5 });
    tf.dispose([v, real, fake, gp, gp2, r1]);
  });

  it("R1 defaults to GAN_stability's code, reg_param · mean‖∇D‖² with no ½ (train.py compute_grad2); 'paper' is eq. 9's γ/2", () => {
    const v = tf.tensor2d([[1.2], [-1.6]]); // ‖∇D‖² = 4 for every sample
    const critic = (x: tf.Tensor) => tf.matMul(x, v);
    const real = randomNormal([5, 2], 1);
    const code = r1Penalty(critic, real, { gamma: 10 });
    const paper = r1Penalty(critic, real, { gamma: 10, convention: 'paper' });
    expectClose(code, 10 * 4, { rtol: 1e-5 });
    expectClose(paper, 5 * 4, { rtol: 1e-5 });
    expect(() => r1Penalty(critic, real, { convention: 'half' as never })).toThrow(/r1Penalty: 'options.convention' must be 'gan-stability' or 'paper'; got half/);
    tf.dispose([v, real, code, paper]);
  });

  it("epsilon: 0 (the references' plain √) agrees with the default 1e-12 away from zero gradients", () => {
    const { critic, P } = denseCritic(tf.softplus);
    const real = tf.tensor(fx.real);
    const fake = tf.tensor(fx.fake);
    const u = tf.tensor(fx.u);
    expectClose(gradientPenalty(critic, real, fake, { u, epsilon: 0 }), fx.cases.softplus.gp, { rtol: 1e-4 });
    tf.dispose([real, fake, u, ...Object.values(P)]);
  });

  it('draws one u per sample from the seed (same seed ⇒ same penalty; u = 1 evaluates at the real data)', () => {
    const { critic, P } = denseCritic(tf.tanh);
    const real = tf.tensor(fx.real);
    const fake = tf.tensor(fx.fake);
    const a = gradientPenalty(critic, real, fake, { seed: 11 }).dataSync()[0];
    const b = gradientPenalty(critic, real, fake, { seed: new Random(11) }).dataSync()[0];
    const c = gradientPenalty(critic, real, fake, { seed: 12 }).dataSync()[0];
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    const ones = tf.ones([3]);
    const atReal = gradientPenalty(critic, real, fake, { u: ones });
    const atReal2 = gradientPenalty(critic, real, tf.zerosLike(fake), { u: ones });
    expectClose(atReal, atReal2.dataSync()[0], { rtol: 1e-6 });
    tf.dispose([real, fake, ones, atReal, atReal2, ...Object.values(P)]);
  });

  it('works on image-shaped inputs with a PatchGAN-style map output (sums the map, as GANimation)', () => {
    const k = tf.tensor4d(new Random(5).normalArray(2 * 2 * 3), [2, 2, 3, 1]);
    const critic = (x: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, 'valid');
    const real = randomNormal([2, 3, 3, 3], 6);
    const fake = randomNormal([2, 3, 3, 3], 7);
    // linear critic: ∇_x Σ D = correlation of ones with k, computable by hand per sample
    const g = tf.grad((x: tf.Tensor) => tf.sum(critic(x)))(real);
    const n = Math.sqrt(tf.sum(tf.square(tf.slice(g, [0], [1]))).dataSync()[0]);
    const gp = gradientPenalty(critic, real, fake, { seed: 1 });
    expectClose(gp, 10 * (n - 1) ** 2, { rtol: 1e-4 });
    tf.dispose([k, real, fake, g, gp]);
  });

  it('has finite-difference-correct second-order gradients through softplus, relu and leakyRelu critics', () => {
    for (const name of ['softplus', 'leakyRelu', 'tanh']) {
      const { critic, P } = denseCritic(activations[name]);
      const x = tf.tensor(fx.real);
      checkSecondOrder((y) => tf.sum(critic(y)) as tf.Scalar, x, { eps: 1e-2 });
      tf.dispose([x, ...Object.values(P)]);
    }
  });

  it('rejects bad input with a clear message', () => {
    const critic = (x: tf.Tensor) => tf.sum(x, 1);
    const a = tf.zeros([2, 3]);
    expect(() => gradientPenalty(critic, a, tf.zeros([2, 4]), { seed: 0 })).toThrow(/gradientPenalty: 'fake' must have shape \[2, 3\]; got \[2, 4\]/);
    expect(() => gradientPenalty(critic, a, a)).toThrow(/gradientPenalty: 'options.seed' .* or 'options.u' is required/);
    expect(() => gradientPenalty(critic, a, a, { u: tf.zeros([3]) })).toThrow(/'options.u' must have shape \[2\]/);
    expect(() => r1Penalty(critic, tf.zeros([3]))).toThrow(/r1Penalty: 'real' must be a non-empty tensor of rank ≥ 2 \(\[B, ...\]\); got shape \[3\]/);
    expect(() => r1Penalty(critic, tf.zeros([0, 2]))).toThrow(/r1Penalty: 'real' must be a non-empty tensor of rank ≥ 2 \(\[B, ...\]\); got shape \[0, 2\]/);
    a.dispose();
  });

  it('leaks no tensors (penalty and its parameter gradients)', async () => {
    const { critic, P } = denseCritic(activations.leakyRelu);
    const real = tf.tensor(fx.real);
    const fake = tf.tensor(fx.fake);
    const vars = Object.values(P);
    await expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => tf.add(gradientPenalty(critic, real, fake, { seed: 1 }), r1Penalty(critic, real)) as tf.Scalar, vars);
      tf.dispose([value, ...Object.values(grads)]);
    });
    tf.dispose([real, fake, ...vars]);
  });
});
