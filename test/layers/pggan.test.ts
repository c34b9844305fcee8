import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { minibatchStdDev, MinibatchStdDev } from '../../src/layers/minibatch_stddev.js';
import { EqualizedConv2D, EqualizedDense, PGGAN_GAINS } from '../../src/layers/equalized.js';
import { checkGradients, checkSecondOrder, expectClose, expectNoLeak, loadFixture, randomNormal } from '../helpers/index.js';
import { expectSaveLoadRoundTrip } from './roundtrip.js';

const fx = loadFixture('layers_blocks');

describe('minibatchStdDev / MinibatchStdDev (PGGAN minibatch_stddev_layer)', () => {
  for (const c of fx.minibatch_stddev) {
    it(`matches a torch port of the NCHW reference on [${c.shape}] with group size ${c.groupSize}`, () => {
      tf.tidy(() => {
        const y = minibatchStdDev(tf.tensor(c.x, c.shape), c.groupSize);
        expect(y.shape).toEqual([...c.shape.slice(0, 3), c.shape[3] + 1]);
        expectClose(y, c.y, { atol: 1e-5, rtol: 1e-5 });
      });
    });
  }

  it('groups samples n = g·M + m (closed form on a batch of constants)', () => {
    tf.tidy(() => {
      // N = 4, G = 2, M = 2: group 0 = samples {0, 2} (values 0 and 2 → std 1), group 1 = {1, 3} (1 and 5 → std 2).
      const x = tf.reshape(tf.tensor1d([0, 1, 2, 5]), [4, 1, 1, 1]);
      const y = minibatchStdDev(tf.tile(x, [1, 2, 2, 1]), 2);
      const extra = tf.slice(y, [0, 0, 0, 1], [4, 2, 2, 1]);
      const s1 = Math.sqrt(1 + 1e-8);
      const s2 = Math.sqrt(4 + 1e-8);
      expectClose(tf.mean(extra, [1, 2, 3]), [s1, s2, s1, s2], { atol: 1e-6 });
    });
  });

  it('has finite-difference first and second-order gradients', () => {
    // Samples well apart (the std is |a − b|/2-like, whose curvature explodes where samples coincide).
    const noise = randomNormal([4, 2, 2, 2], 1, 0.3);
    const x = tf.add(tf.reshape(tf.tensor1d([0, 1.5, 3, 4.5]), [4, 1, 1, 1]), noise);
    noise.dispose();
    const w = randomNormal([4, 2, 2, 3], 2);
    checkGradients((xx) => tf.sum(tf.mul(minibatchStdDev(xx), w)), [x]);
    checkSecondOrder((xx) => tf.sum(tf.mul(tf.square(minibatchStdDev(xx, 2)), w)) as tf.Scalar, x);
    tf.dispose([x, w]);
  });

  it('as a layer round-trips, does not leak, and rejects bad batches and ranks', async () => {
    const input = tfl.input({ shape: [2, 2, 3] });
    const out = new MinibatchStdDev({ groupSize: 2 }).apply(input) as tfl.SymbolicTensor;
    expect(out.shape).toEqual([null, 2, 2, 4]);
    const model = tfl.model({ inputs: input, outputs: out });
    const x = randomNormal([4, 2, 2, 3], 3);
    const loaded = await expectSaveLoadRoundTrip(model, x);
    expect(loaded.layers[1].getConfig()).toMatchObject({ groupSize: 2 });
    await expectNoLeak(() => model.predict(x) as tf.Tensor);
    expect(() => minibatchStdDev(tf.zeros([6, 2, 2, 1]), 4)).toThrow(/minibatchStdDev: the batch size must be divisible by the group size 4; got 'x' of shape \[6, 2, 2, 1\]/);
    expect(() => minibatchStdDev(tf.zeros([4, 2, 2]))).toThrow(/minibatchStdDev: 'x' must have rank 4; got rank 3/);
    x.dispose();
  });
});

describe('EqualizedDense / EqualizedConv2D (PGGAN get_weight with use_wscale)', () => {
  it('exports the reference gains', () => {
    expect(PGGAN_GAINS).toEqual({ default: Math.SQRT2, generatorDense4x4: Math.SQRT2 / 4, toRGB: 1, criticOutputDense: 1 });
  });

  it('EqualizedDense stores N(0, 1) weights and applies x·W·gain/√fan_in + b (closed form)', () => {
    const layer = new EqualizedDense({ units: 64, gain: PGGAN_GAINS.generatorDense4x4, kernelInitializer: tfl.initializers.randomNormal({ mean: 0, stddev: 1, seed: 5 }) });
    const x = randomNormal([3, 2, 50], 4); // flattened to fan_in 100
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([3, 64]);
    const [w, b] = layer.getWeights();
    const wd = Array.from(w.dataSync());
    const std = Math.sqrt(wd.reduce((s, v) => s + v * v, 0) / wd.length);
    expect(std).toBeGreaterThan(0.9);
    expect(std).toBeLessThan(1.1);
    expect(layer.runtimeScale).toBeCloseTo(Math.SQRT2 / 4 / 10, 12);
    layer.setWeights([w, tf.fill([64], 0.25)]);
    const y2 = layer.apply(x) as tf.Tensor;
    expectClose(y2, tf.add(tf.matMul(tf.reshape(x, [3, 100]), tf.mul(w, Math.SQRT2 / 4 / 10)), 0.25), { atol: 1e-5 });
    tf.dispose([x, y, y2, b]);
  });

  it('EqualizedConv2D uses fan_in = k·k·C_in (closed form against tf.conv2d)', () => {
    tf.tidy(() => {
      const layer = new EqualizedConv2D({ filters: 4, kernelSize: 3, strides: 2 });
      const x = randomNormal([2, 5, 5, 3], 6);
      const y = layer.apply(x) as tf.Tensor;
      expect(y.shape).toEqual([2, 3, 3, 4]);
      const [w] = layer.getWeights();
      expect(layer.runtimeScale).toBeCloseTo(Math.SQRT2 / Math.sqrt(27), 12);
      expectClose(y, tf.conv2d(x as tf.Tensor4D, tf.mul(w, Math.SQRT2 / Math.sqrt(27)) as tf.Tensor4D, 2, 'same'), { atol: 1e-5 });
    });
  });

  it('have finite-difference gradients (input and weights) and second-order gradients', () => {
    const dense = new EqualizedDense({ units: 3 });
    const conv = new EqualizedConv2D({ filters: 2, kernelSize: 3 });
    const xd = randomNormal([2, 4], 7);
    const xc = randomNormal([1, 3, 3, 2], 8);
    dense.apply(xd);
    conv.apply(xc);
    const wd = randomNormal([2, 3], 9);
    const wc = randomNormal([1, 3, 3, 2], 10);
    checkGradients((x) => tf.sum(tf.mul(dense.apply(x) as tf.Tensor, wd)), [xd]);
    checkGradients((x) => tf.sum(tf.mul(conv.apply(x) as tf.Tensor, wc)), [xc]);
    // gradient w.r.t. the stored kernel carries the runtime scale
    const kVar = conv.trainableWeights[0].read() as tf.Variable;
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(conv.apply(xc) as tf.Tensor, wc)) as tf.Scalar, [kVar]);
    const kernel = tf.clone(kVar);
    checkGradients(
      (k) => {
        const y = tf.conv2d(xc as tf.Tensor4D, tf.mul(k, conv.runtimeScale) as tf.Tensor4D, 1, 'same');
        return tf.sum(tf.mul(tf.add(y, conv.getWeights()[1]), wc));
      },
      [kernel],
      { maxElements: 12 },
    );
    const analytic = grads[kVar.name];
    const manual = tf.grad((k: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xc as tf.Tensor4D, tf.mul(k, conv.runtimeScale) as tf.Tensor4D, 1, 'same'), wc)))(kernel);
    expectClose(analytic, manual, { atol: 1e-5 });
    checkSecondOrder((x) => tf.sum(tf.mul(tf.square(conv.apply(x) as tf.Tensor), wc)) as tf.Scalar, xc);
    checkSecondOrder((x) => tf.sum(tf.mul(tf.square(dense.apply(x) as tf.Tensor), wd)) as tf.Scalar, xd);
    tf.dispose([xd, xc, wd, wc, kernel, analytic, manual]);
  });

  it('round-trip inside a model, do not leak, and reject bad inputs', async () => {
    const input = tfl.input({ shape: [4, 4, 2] });
    const h = new EqualizedConv2D({ filters: 3, kernelSize: 3, gain: 1 }).apply(input) as tfl.SymbolicTensor;
    const out = new EqualizedDense({ units: 2, gain: PGGAN_GAINS.criticOutputDense }).apply(h) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    const x = randomNormal([2, 4, 4, 2], 11);
    const loaded = await expectSaveLoadRoundTrip(model, x);
    expect(loaded.layers[1].getConfig()).toMatchObject({ filters: 3, kernelSize: 3, gain: 1, padding: 'same' });
    await expectNoLeak(() => model.predict(x) as tf.Tensor);
    expect(() => model.predict(tf.zeros([2, 4, 4, 3]))).toThrow();
    const conv = new EqualizedConv2D({ filters: 3, kernelSize: 3 });
    conv.apply(tf.zeros([1, 4, 4, 2]));
    expect(() => conv.apply(tf.zeros([1, 4, 4, 3]))).toThrow(/EqualizedConv2D: 'x' must have 2 channels; got shape \[1, 4, 4, 3\]/);
    const dense = new EqualizedDense({ units: 2 });
    dense.apply(tf.zeros([1, 5]));
    expect(() => dense.apply(tf.zeros([1, 6]))).toThrow(/EqualizedDense: 'x' must have 5 features per sample; got shape \[1, 6\]/);
    expect(() => new EqualizedDense({ units: 2, gain: 0 })).toThrow(/'gain' must be a positive finite number; got 0/);
    x.dispose();
  });
});
