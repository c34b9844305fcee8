import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { betaVaeLoss, capacity, dfcVaeLoss, klDivergence, layerFeatureExtractor, perceptualLoss, sumSquaredError } from '../../src/losses/index.js';
import { checkGradients, expectClose, expectNoLeak, loadFixture } from '../helpers/index.js';

const fx = loadFixture('losses_torch').vae;

describe('VAE losses match AntixK/PyTorch-VAE (via PyTorch)', () => {
  const mu = tf.tensor(fx.mu);
  const logVar = tf.tensor(fx.logVar);
  const input = tf.tensor(fx.input);
  const reconstruction = tf.tensor(fx.reconstruction);

  it('klDivergence = mean_B −½ Σ (1 + log σ² − μ² − σ²)', () => {
    expectClose(klDivergence(mu, logVar), fx.kld, { rtol: 1e-5 });
  });

  it('klDivergence is 0 for the prior (μ = 0, log σ² = 0) and ½μ² for unit variance (closed form)', () => {
    expectClose(klDivergence(tf.zeros([2, 3]), tf.zeros([2, 3])), 0);
    expectClose(klDivergence(tf.tensor2d([[2, 0]]), tf.zeros([1, 2])), 2);
  });

  it("β-VAE 'H': recons + β·kld_weight·KL, with gradients for μ and log σ²", () => {
    const out = betaVaeLoss({ reconstruction, input, mu, logVar, type: 'H', beta: fx.H.beta, kldWeight: fx.H.kldWeight });
    expectClose(out.total, fx.H.loss, { rtol: 1e-5 });
    expectClose(out.terms.reconstruction, fx.recons, { rtol: 1e-5 });
    const [gmu, glv] = tf.grads((m: tf.Tensor, l: tf.Tensor) => betaVaeLoss({ reconstruction, input, mu: m, logVar: l, type: 'H', beta: fx.H.beta, kldWeight: fx.H.kldWeight }).total)([mu, logVar]);
    expectClose(gmu, fx.HgradMu, { rtol: 1e-4, atol: 1e-7 });
    expectClose(glv, fx.HgradLogVar, { rtol: 1e-4, atol: 1e-7 });
  });

  it("β-VAE 'B': recons + γ·kld_weight·|KL − C|, C annealed linearly to C_max", () => {
    const b = fx.B;
    const out = betaVaeLoss({
      reconstruction,
      input,
      mu,
      logVar,
      type: 'B',
      gamma: b.gamma,
      kldWeight: b.kldWeight,
      maxCapacity: b.maxCapacity,
      capacityStopIteration: b.stopIteration,
      iteration: b.iteration,
    });
    expectClose(out.total, b.loss, { rtol: 1e-5 });
    const def = betaVaeLoss({ reconstruction, input, mu, logVar, iteration: fx.Bdefault.iteration });
    expectClose(def.total, fx.Bdefault.loss, { rtol: 1e-5 });
    expect(capacity(0, 25, 100)).toBe(0);
    expect(capacity(50, 25, 100)).toBe(12.5);
    expect(capacity(1000, 25, 100)).toBe(25);
    expect(() => betaVaeLoss({ reconstruction, input, mu, logVar })).toThrow(/betaVaeLoss: 'iteration' .* is required for type 'B'/);
  });

  it('reconstructionLoss is pluggable: sum over pixels, mean over batch (PyTorch-VAE issue #54) instead of the per-element mean', () => {
    const perElement = betaVaeLoss({ reconstruction, input, mu, logVar, type: 'H', beta: 1 });
    const summed = betaVaeLoss({ reconstruction, input, mu, logVar, type: 'H', beta: 1, reconstructionLoss: sumSquaredError });
    // input is [3, 2, 2, 1]: 4 elements per sample
    expectClose(summed.terms.reconstruction, perElement.terms.reconstruction.dataSync()[0] * 4, { rtol: 1e-6 });
    expectClose(summed.terms.kl, perElement.terms.kl.dataSync()[0], { rtol: 1e-6 });
  });

  it('DFC-VAE: β(recons + Σ_l MSE(φ_l)) + α·kld_weight·KL over the chosen feature layers', () => {
    const F1 = tf.tensor(fx.F1);
    const F2 = tf.tensor(fx.F2);
    const features = (x: tf.Tensor) => {
      const h1 = tf.matMul(tf.reshape(x, [x.shape[0], -1]), F1);
      return [h1, tf.tanh(tf.matMul(h1, F2))];
    };
    expectClose(perceptualLoss(features, reconstruction, input), fx.dfc.feature, { rtol: 1e-5 });
    const out = dfcVaeLoss({ reconstruction, input, mu, logVar, features, kldWeight: fx.dfc.kldWeight });
    expectClose(out.total, fx.dfc.loss, { rtol: 1e-5 });
    const g = tf.grad((r: tf.Tensor) => dfcVaeLoss({ reconstruction: r, input, mu, logVar, features, kldWeight: fx.dfc.kldWeight }).total)(reconstruction);
    expectClose(g, fx.dfc.gradReconstruction, { rtol: 1e-4, atol: 1e-7 });
  });

  it('layerFeatureExtractor returns the named layers of a layers model, and perceptualLoss uses them', () => {
    const inp = tfl.input({ shape: [4] });
    const d1 = tfl.layers.dense({ units: 3, name: 'feat_a', kernelInitializer: 'ones' }).apply(inp) as tfl.SymbolicTensor;
    const d2 = tfl.layers.dense({ units: 2, name: 'feat_b', kernelInitializer: 'ones', activation: 'relu' }).apply(d1) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: inp, outputs: d2 });
    const phi = layerFeatureExtractor(model, ['feat_a', 'feat_b']);
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    const y = tf.zeros([1, 4]);
    const fs = phi(x);
    expectClose(fs[0], [[10, 10, 10]]);
    expectClose(fs[1], [[30, 30]]);
    // features of y are all zero: MSE = 100 + 900
    expectClose(perceptualLoss(phi, x, y), 100 + 900);
    expectClose(perceptualLoss(phi, x, y, { layerWeights: [1, 0] }), 100);
    expectClose(perceptualLoss(phi, x, y, [1, 0]), 100); // deprecated positional layer weights
    expect(() => layerFeatureExtractor(model, ['nope'])).toThrow(/layerFeatureExtractor: layer 'nope' is not in the model/);
    checkGradients((a) => perceptualLoss(phi, a, y), [tf.tensor2d([[0.1, -0.2, 0.3, 0.05]])], { eps: 1e-3 });
    model.dispose();
  });

  it('leaks no tensors', async () => {
    await expectNoLeak(() => {
      const out = betaVaeLoss({ reconstruction, input, mu, logVar, iteration: 3 });
      tf.dispose([out.total, ...Object.values(out.terms)]);
    });
  });
});
