import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { instanceNorm, instanceNormWithMoments, InstanceNorm } from '../../src/layers/instance_norm.js';
import { adaptiveInstanceNorm, AdaIN } from '../../src/layers/adain.js';
import { StyleMapping } from '../../src/layers/style_mapping.js';
import { pixelNorm, PixelNorm } from '../../src/layers/pixel_norm.js';
import { checkGradients, checkSecondOrder, expectClose, expectNoLeak, loadFixture, randomNormal } from '../helpers/index.js';
import { expectSaveLoadRoundTrip } from './roundtrip.js';

const fx = loadFixture('layers_blocks');

describe('instanceNorm / InstanceNorm', () => {
  for (const c of fx.instance_norm) {
    it(`matches torch instance_norm (affine and not) on [${c.shape}] with eps ${c.eps}`, () => {
      tf.tidy(() => {
        const x = tf.tensor(c.x, c.shape);
        const gamma = tf.tensor1d(c.gamma);
        const beta = tf.tensor1d(c.beta);
        expectClose(instanceNorm(x, { gamma, beta, epsilon: c.eps }), c.y, { atol: 2e-5, rtol: 1e-4 });
        expectClose(instanceNorm(x, { epsilon: c.eps }), c.y_no_affine, { atol: 2e-5, rtol: 1e-4 });
      });
    });
  }

  it('instanceNormWithMoments returns the spatial mean and biased variance per sample and channel', () => {
    tf.tidy(() => {
      // sample 0, channel 0 holds 1, 2, 3, 6 → mean 3, variance 3.5; channel 1 is constant 5.
      const x = tf.tensor4d([1, 5, 2, 5, 3, 5, 6, 5], [1, 2, 2, 2]);
      const { y, mean, variance } = instanceNormWithMoments(x, { epsilon: 0 });
      expectClose(mean, [[3, 5]], { atol: 1e-6 });
      expectClose(variance, [[3.5, 0]], { atol: 1e-6 });
      expect(y.shape).toEqual([1, 2, 2, 2]);
    });
  });

  it('has finite-difference gradients w.r.t. x, gamma and beta', () => {
    const x = randomNormal([2, 3, 3, 2], 1);
    const g = randomNormal([2], 2);
    const b = randomNormal([2], 3);
    const w = randomNormal([2, 3, 3, 2], 4);
    checkGradients((xx, gg, bb) => tf.sum(tf.mul(instanceNorm(xx, { gamma: gg, beta: bb }), w)), [x, g, b]);
    tf.dispose([x, g, b, w]);
  });

  it('is twice differentiable (can sit inside a critic with a gradient penalty)', () => {
    const x = randomNormal([1, 3, 3, 2], 5);
    const w = randomNormal([1, 3, 3, 2], 6);
    const gamma = tf.tensor1d([1.3, 0.7]);
    checkSecondOrder((xx) => tf.sum(tf.mul(tf.square(instanceNorm(xx, { gamma })), w)) as tf.Scalar, x);
    tf.dispose([x, w, gamma]);
  });

  it('as a layer: affine weights, HoloGAN init option, save/load round trip, no leak', async () => {
    const input = tfl.input({ shape: [4, 4, 3] });
    const layer = new InstanceNorm({ epsilon: 1e-3, gammaInitializer: tfl.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: 1 }) });
    const model = tfl.model({ inputs: input, outputs: layer.apply(input) as tfl.SymbolicTensor });
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([[3], [3]]);
    const gamma = layer.getWeights()[0].dataSync();
    expect(Array.from(gamma).every((v) => Math.abs(v - 1) < 0.1 && v !== 1)).toBe(true);
    layer.setWeights([tf.tensor1d([1.5, 0.5, 2]), tf.tensor1d([0.1, -0.2, 0.3])]);
    const x = randomNormal([2, 4, 4, 3], 7);
    const loaded = await expectSaveLoadRoundTrip(model, x);
    expect(loaded.layers[1].getConfig()).toMatchObject({ affine: true, epsilon: 1e-3 });
    const noAffine = new InstanceNorm({ affine: false });
    noAffine.apply(x);
    expect(noAffine.trainableWeights.length).toBe(0);
    await expectNoLeak(() => layer.apply(x) as tf.Tensor);
    x.dispose();
  });

  it('rejects bad inputs naming the argument and shapes', () => {
    expect(() => instanceNorm(tf.zeros([2, 3]))).toThrow(/instanceNorm: 'x' must have rank 3 or 4 or 5; got rank 2 with shape \[2, 3\]/);
    expect(() => instanceNorm(tf.zeros([1, 2, 2, 3]), { gamma: tf.ones([2]) })).toThrow(/instanceNorm: 'gamma' must have shape \[3\].*got \[2\]/);
    const layer = new InstanceNorm();
    layer.apply(tf.zeros([1, 2, 2, 3]));
    expect(() => layer.apply(tf.zeros([1, 2, 2, 4]))).toThrow(/'gamma' must have shape \[4\].*got \[3\]/);
  });
});

describe('adaptiveInstanceNorm / AdaIN (HoloGAN tools/ops.py AdaIn)', () => {
  for (const c of fx.adain) {
    it(`matches the reference formula in torch on [${c.shape}] (spatial statistics only, eps 1e-8)`, () => {
      tf.tidy(() => {
        const [b, ch] = [c.shape[0], c.shape[c.shape.length - 1]];
        const y = adaptiveInstanceNorm(tf.tensor(c.x, c.shape), tf.tensor2d(c.scale, [b, ch]), tf.tensor2d(c.bias, [b, ch]));
        expectClose(y, c.y, { atol: 2e-5, rtol: 1e-4 });
      });
    });
  }

  it('has finite-difference gradients w.r.t. x, scale and bias, and is twice differentiable in x', () => {
    const x = randomNormal([2, 3, 3, 2], 8);
    const s = randomNormal([2, 2], 9);
    const b = randomNormal([2, 2], 10);
    const w = randomNormal([2, 3, 3, 2], 11);
    checkGradients((xx, ss, bb) => tf.sum(tf.mul(adaptiveInstanceNorm(xx, ss, bb), w)), [x, s, b]);
    checkSecondOrder((xx) => tf.sum(tf.mul(tf.square(adaptiveInstanceNorm(xx, s, b)), w)) as tf.Scalar, x);
    tf.dispose([x, s, b, w]);
  });

  it('with StyleMapping (linear + ReLU on the whole output, then split) round-trips inside a model', async () => {
    const feat = tfl.input({ shape: [2, 3, 3, 4] });
    const z = tfl.input({ shape: [5] });
    const mapping = new StyleMapping({ channels: 4, kernelInitializer: tfl.initializers.randomNormal({ mean: 0, stddev: 0.5, seed: 3 }) });
    const [s, b] = mapping.apply(z) as tfl.SymbolicTensor[];
    expect(s.shape).toEqual([null, 4]);
    const out = new AdaIN().apply([feat, s, b]) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: [feat, z], outputs: out });
    mapping.setWeights([mapping.getWeights()[0], tf.tensor1d([0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8])]);
    const fIn = randomNormal([3, 2, 3, 3, 4], 12);
    const zIn = randomNormal([3, 5], 13);
    await expectSaveLoadRoundTrip(model, [fIn, zIn]);
    // Closed form of the mapping: relu(z·W + b) split into [:, :C] and [:, C:].
    const [W, bias] = mapping.getWeights();
    const full = tf.relu(tf.add(tf.matMul(zIn, W), bias));
    const [sv, bv] = mapping.apply(zIn) as tf.Tensor[];
    expectClose(sv, tf.slice(full, [0, 0], [3, 4]), { atol: 1e-6 });
    expectClose(bv, tf.slice(full, [0, 4], [3, 4]), { atol: 1e-6 });
    expect(Math.min(...sv.dataSync(), ...bv.dataSync())).toBeGreaterThanOrEqual(0);
    checkGradients((zz) => tf.sum(tf.mul((mapping.apply(zz) as tf.Tensor[])[1], tf.range(1, 5))), [zIn]);
    await expectNoLeak(() => model.predict([fIn, zIn]) as tf.Tensor);
    tf.dispose([fIn, zIn, full, sv, bv]);
  });

  it('rejects bad inputs naming the argument and shapes', () => {
    const x = tf.zeros([2, 3, 3, 4]);
    expect(() => adaptiveInstanceNorm(x, tf.zeros([2, 3]), tf.zeros([2, 4]))).toThrow(/adaptiveInstanceNorm: 'scale' must have shape \[2, 4\].*got \[2, 3\]/);
    expect(() => adaptiveInstanceNorm(x, tf.zeros([2, 4]), tf.zeros([1, 4]))).toThrow(/'bias' must have shape \[2, 4\].*got \[1, 4\]/);
    expect(() => adaptiveInstanceNorm(tf.zeros([2, 4]), tf.zeros([2, 4]), tf.zeros([2, 4]))).toThrow(/'x' must have rank 3 or 4 or 5/);
    expect(() => new AdaIN().apply([x, tf.zeros([2, 4])])).toThrow(/AdaIN: expects 3 inputs \[x, scale, bias\]; got 2/);
    const m = new StyleMapping({ channels: 2 });
    m.apply(tf.zeros([1, 3]));
    expect(() => m.apply(tf.zeros([1, 4]))).toThrow(/StyleMapping: 'z' must have shape \[B, 3\]; got \[1, 4\]/);
    x.dispose();
  });
});

describe('pixelNorm / PixelNorm (PGGAN networks.py pixel_norm)', () => {
  it('equals x·rsqrt(mean_c(x²) + 1e-8) (closed form) on latents and feature maps', () => {
    tf.tidy(() => {
      const z = tf.tensor2d([
        [3, 4],
        [0, 0],
      ]);
      expectClose(pixelNorm(z), [3 / Math.sqrt(12.5 + 1e-8), 4 / Math.sqrt(12.5 + 1e-8), 0, 0], { atol: 1e-6 });
      const x = randomNormal([2, 3, 3, 5], 14);
      const y = pixelNorm(x);
      // every pixel's channel vector has mean square 1
      expectClose(tf.mean(tf.square(y), -1), tf.ones([2, 3, 3]), { atol: 1e-5 });
    });
  });

  it('has finite-difference first and second-order gradients', () => {
    const x = randomNormal([2, 2, 2, 3], 15);
    const w = randomNormal([2, 2, 2, 3], 16);
    checkGradients((xx) => tf.sum(tf.mul(pixelNorm(xx), w)), [x]);
    checkSecondOrder((xx) => tf.sum(tf.mul(tf.square(pixelNorm(xx)), w)) as tf.Scalar, x);
    tf.dispose([x, w]);
  });

  it('as a layer round-trips and does not leak; rejects rank 1', async () => {
    const input = tfl.input({ shape: [6] });
    const model = tfl.model({ inputs: input, outputs: new PixelNorm({ epsilon: 1e-6 }).apply(input) as tfl.SymbolicTensor });
    const z = randomNormal([3, 6], 17);
    const loaded = await expectSaveLoadRoundTrip(model, z);
    expect(loaded.layers[1].getConfig()).toMatchObject({ epsilon: 1e-6 });
    await expectNoLeak(() => model.predict(z) as tf.Tensor);
    expect(() => pixelNorm(tf.zeros([3]))).toThrow(/pixelNorm: 'x' must have rank 2 or 3 or 4 or 5; got rank 1/);
    z.dispose();
  });
});
