import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { spectralNormalize, SpectralNormConv2D, SpectralNormDense } from '../../src/layers/spectral_norm.js';
import { checkGradients, checkSecondOrder, expectClose, expectNoLeak, loadFixture, randomNormal } from '../helpers/index.js';
import { expectSaveLoadRoundTrip } from './roundtrip.js';

const fx = loadFixture('layers_blocks');

describe('spectralNormalize (HoloGAN tools/ops.py spectral_norm)', () => {
  for (const c of fx.spectral_norm) {
    it(`one power iteration from a given u matches the numpy reference for a [${c.shape}] kernel`, () => {
      tf.tidy(() => {
        const out = c.shape[c.shape.length - 1];
        const r = spectralNormalize(tf.tensor(c.w, c.shape), tf.tensor2d(c.u, [1, out]));
        expectClose(r.sigma, c.sigma, { rtol: 1e-5 });
        expectClose(r.u, c.u_next, { atol: 1e-6 });
        expectClose(r.kernel, c.w_norm, { atol: 1e-5, rtol: 1e-5 });
        expect(r.kernel.shape).toEqual(c.shape);
      });
    });
  }

  it('has finite-difference gradients through the power iteration (reference) and with stopGradient', () => {
    const c = fx.spectral_norm[0];
    const w = tf.tensor(c.w, c.shape);
    const u = tf.tensor2d(c.u, [1, c.shape[1]]);
    const v = randomNormal(c.shape, 3);
    checkGradients((k) => tf.sum(tf.mul(spectralNormalize(k, u).kernel, v)), [w]);
    checkGradients((k) => tf.sum(tf.mul(spectralNormalize(k, u, { stopGradient: true }).kernel, v)), [w]);
    // The two conventions really differ.
    const g1 = tf.grad((k: tf.Tensor) => tf.sum(tf.mul(spectralNormalize(k, u).kernel, v)))(w);
    const g2 = tf.grad((k: tf.Tensor) => tf.sum(tf.mul(spectralNormalize(k, u, { stopGradient: true }).kernel, v)))(w);
    expect(tf.max(tf.abs(tf.sub(g1, g2))).dataSync()[0]).toBeGreaterThan(1e-3);
    tf.dispose([w, u, v, g1, g2]);
  });

  it('rejects a u of the wrong shape', () => {
    expect(() => spectralNormalize(tf.zeros([3, 4]), tf.zeros([1, 3]))).toThrow(/spectralNormalize: 'u' must have shape \[1, 4\] for a kernel of shape \[3, 4\]; got \[1, 3\]/);
    expect(() => spectralNormalize(tf.zeros([4]), tf.zeros([1, 4]))).toThrow(/'kernel' must have rank >= 2/);
  });
});

describe('SpectralNormDense / SpectralNormConv2D', () => {
  it('keeps u persistent across calls: σ converges to the top singular value (numpy SVD)', () => {
    for (const c of fx.spectral_norm) {
      const isConv = c.shape.length === 4;
      const layer = isConv ? new SpectralNormConv2D({ filters: c.shape[3], kernelSize: c.shape[0], strides: 1 }) : new SpectralNormDense({ units: c.shape[1] });
      const x = isConv ? tf.zeros([1, 4, 4, c.shape[2]]) : tf.zeros([1, c.shape[0]]);
      tf.dispose(layer.apply(x) as tf.Tensor);
      layer.setWeights([tf.tensor(c.w, c.shape), layer.getWeights()[1], tf.tensor2d(c.u, [1, c.shape[c.shape.length - 1]])]);
      expect(layer.estimateSigma()).toBeCloseTo(c.sigma, 4);
      const u0 = layer.readU();
      tf.dispose(layer.apply(x) as tf.Tensor); // 'always' (reference): every call updates u
      expectClose(layer.readU(), c.u_next, { atol: 1e-6 });
      for (let i = 0; i < 60; i++) tf.dispose(layer.apply(x) as tf.Tensor);
      expect(layer.estimateSigma()).toBeCloseTo(c.top_singular_value, 3);
      tf.dispose([x, u0]);
    }
  });

  it("with update 'training' only updates u on calls with {training: true}", () => {
    const layer = new SpectralNormDense({ units: 3, update: 'training' });
    const x = randomNormal([2, 4], 4);
    tf.dispose(layer.apply(x) as tf.Tensor);
    const u0 = layer.readU();
    tf.dispose(layer.apply(x) as tf.Tensor);
    expectClose(layer.readU(), u0, { atol: 0 });
    tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    expect(tf.max(tf.abs(tf.sub(layer.readU(), u0))).dataSync()[0]).toBeGreaterThan(1e-4);
    tf.dispose([x, u0]);
  });

  it('normalises the kernel: output equals the plain layer with W/σ (closed form)', () => {
    tf.tidy(() => {
      const layer = new SpectralNormConv2D({ filters: 3, update: 'training', activation: 'leakyRelu' });
      const x = randomNormal([2, 6, 6, 2], 5);
      layer.apply(x);
      const [w, b, u] = layer.getWeights();
      layer.setWeights([w, tf.fill([3], 0.1), u]);
      const { kernel } = spectralNormalize(w, u);
      const pre = tf.add(tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 2, 'same'), 0.1);
      expectClose(layer.apply(x) as tf.Tensor, tf.maximum(pre, tf.mul(pre, 0.2)), { atol: 1e-5 });
      expect(b.shape).toEqual([3]);
    });
  });

  it('has finite-difference gradients and second-order gradients (usable in a critic with a gradient penalty)', () => {
    // Seeded initialisers: with random ones a pre-activation occasionally lands within the
    // finite-difference step of leakyRelu's kink and the check fails by chance.
    const seeded = (seed: number) => ({
      kernelInitializer: tfl.initializers.randomNormal({ mean: 0, stddev: 1, seed }),
      uInitializer: tfl.initializers.randomNormal({ mean: 0, stddev: 1, seed: seed + 1 }),
    });
    const conv = new SpectralNormConv2D({ filters: 2, kernelSize: 3, strides: 2, update: 'training', activation: 'leakyRelu', ...seeded(21) });
    const dense = new SpectralNormDense({ units: 2, update: 'training', ...seeded(31) });
    const x = randomNormal([1, 4, 4, 2], 6);
    const w = randomNormal([1, 2, 2, 2], 7);
    conv.apply(x);
    checkGradients((xx) => tf.sum(tf.mul(conv.apply(xx) as tf.Tensor, w)), [x]);
    checkSecondOrder((xx) => tf.sum(tf.mul(tf.square(conv.apply(xx) as tf.Tensor), w)) as tf.Scalar, x);
    const xd = randomNormal([2, 3], 8);
    dense.apply(xd);
    checkSecondOrder((xx) => tf.sum(tf.square(dense.apply(xx) as tf.Tensor)) as tf.Scalar, xd);
    // Gradient w.r.t. the raw kernel flows through W/σ(W).
    const kVar = conv.trainableWeights[0].read() as tf.Variable;
    const u = conv.readU();
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(conv.apply(x) as tf.Tensor, w)) as tf.Scalar, [kVar]);
    const bias = conv.getWeights()[1];
    const manual = tf.grad((k: tf.Tensor) => {
      const pre = tf.add(tf.conv2d(x as tf.Tensor4D, spectralNormalize(k, u).kernel as tf.Tensor4D, 2, 'same'), bias);
      return tf.sum(tf.mul(tf.add(tf.mul(pre, 0.6), tf.mul(tf.abs(pre), 0.4)), w));
    })(kVar);
    expectClose(grads[kVar.name], manual, { atol: 1e-5, rtol: 1e-4 });
    tf.dispose([x, w, xd, u, manual, grads[kVar.name]]);
  });

  it('round-trips inside a model with its persistent u, does not leak, rejects bad inputs', async () => {
    const input = tfl.input({ shape: [4, 4, 2] });
    const h = new SpectralNormConv2D({ filters: 3, kernelSize: 3, strides: 2 }).apply(input) as tfl.SymbolicTensor;
    const flat = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
    const out = new SpectralNormDense({ units: 1, update: 'training' }).apply(flat) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    expect(model.layers[1].nonTrainableWeights.map((v) => v.shape)).toEqual([[1, 3]]);
    const x = randomNormal([2, 4, 4, 2], 9);
    const loaded = await expectSaveLoadRoundTrip(model, x);
    expect(loaded.layers[3].getConfig()).toMatchObject({ units: 1, update: 'training', powerIterations: 1, stopGradient: false });
    expect(Array.from((loaded.layers[3] as SpectralNormDense).readU().dataSync())).toEqual(Array.from((model.layers[3] as SpectralNormDense).readU().dataSync()));
    await expectNoLeak(() => model.predict(x) as tf.Tensor);
    await expectNoLeak(() => tf.grad((xx: tf.Tensor) => tf.sum(model.apply(xx, { training: true }) as tf.Tensor))(x));
    const conv = new SpectralNormConv2D({ filters: 3 });
    conv.apply(tf.zeros([1, 4, 4, 2]));
    expect(() => conv.apply(tf.zeros([1, 4, 4, 5]))).toThrow(/SpectralNormConv2D: 'x' must have 2 channels; got shape \[1, 4, 4, 5\]/);
    expect(() => new SpectralNormDense({ units: 2, update: 'sometimes' as never })).toThrow(/'update' must be 'always' or 'training'/);
    x.dispose();
  });
});
