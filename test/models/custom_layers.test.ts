import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ChannelBias, Downscale2D, FadeIn, Upscale2D } from '../../src/layers/index.js';
import { InstanceMoments, LearnedConstant } from '../../src/layers/index.js';
import { L2Normalize } from '../../src/layers/index.js';
import { buildGlow } from '../../src/models/glow/glow.js';
import { Random, checkGradients, checkSecondOrder, expectClose, expectNoLeak, randomNormal, randomUniform } from '../helpers/index.js';
import { roundTrip } from './model_test_utils.js';

/** Apply a weightless layer (or a built one) to concrete tensors. */
function run(layer: tfl.layers.Layer, x: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return layer.apply(x) as tf.Tensor;
}

/** Finite-difference check of d loss / d variable for a few elements of each variable. */
function checkVariableGradients(loss: () => tf.Scalar, vars: tf.Variable[], perVar = 3, eps = 1e-2, seed = 0): void {
  const { grads } = tf.variableGrads(loss, vars);
  const rng = new Random(seed);
  for (const v of vars) {
    const g = grads[v.name].dataSync();
    const base = Float32Array.from(v.dataSync());
    for (const i of Array.from(rng.permutation(base.length)).slice(0, perVar)) {
      const at = (d: number) => {
        const w = base.slice();
        w[i] += d;
        v.assign(tf.tensor(w, v.shape));
        return tf.tidy(() => loss().dataSync()[0]);
      };
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      v.assign(tf.tensor(base, v.shape));
      const tol = 2e-3 + 3e-2 * Math.abs(fd);
      if (Math.abs(g[i] - fd) > tol) throw new Error(`gradient of ${v.name}[${i}]: analytic ${g[i]}, finite difference ${fd}`);
    }
  }
  tf.dispose(grads);
}

describe('Progressive GAN layers: Upscale2D, Downscale2D, FadeIn, ChannelBias', () => {
  it('compute nearest ×2, 2×2 box mean, old + (new − old)·α and a channel bias (closed forms)', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(Array.from(run(new Upscale2D(), x).dataSync())).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    expect(Array.from(run(new Downscale2D(), x).dataSync())).toEqual([2.5]);
    const fade = new FadeIn();
    fade.setAlpha(0.25);
    const a = tf.fill([1, 2, 2, 1], 4);
    expectClose(run(fade, [a, x]), tf.tensor4d([3.25, 3.5, 3.75, 4], [1, 2, 2, 1]), { atol: 1e-6 });
    const bias = new ChannelBias();
    const y = run(bias, tf.zeros([1, 2, 2, 3]));
    expect(bias.trainableWeights.length).toBe(1);
    expectClose(y, tf.zeros([1, 2, 2, 3]), { atol: 0 });
    tf.dispose([x, a, y]);
  });

  it('are differentiable once and twice (they sit inside the WGAN-GP critic)', () => {
    const x = randomNormal([2, 4, 4, 2], 1);
    const w = randomNormal([2, 8, 8, 2], 2);
    checkGradients((v) => tf.sum(tf.mul(run(new Upscale2D(), v), w)) as tf.Scalar, [x]);
    checkSecondOrder((v) => tf.sum(tf.square(run(new Upscale2D(), v))) as tf.Scalar, x);
    checkGradients((v) => tf.sum(tf.square(run(new Downscale2D(), v))) as tf.Scalar, [w]);
    checkSecondOrder((v) => tf.sum(tf.pow(run(new Downscale2D(), v), 3)) as tf.Scalar, w, { maxElements: 24 });
    const fade = new FadeIn();
    fade.setAlpha(0.3);
    const o = randomNormal([2, 4, 4, 2], 3);
    checkGradients((u, v) => tf.sum(tf.square(run(fade, [u, v]))) as tf.Scalar, [o, x]);
    checkSecondOrder((v) => tf.sum(tf.pow(run(fade, [o, v]), 3)) as tf.Scalar, x);
    tf.dispose([x, w, o]);
  });
});

describe('HoloGAN layers: LearnedConstant, InstanceMoments', () => {
  it('LearnedConstant tiles its weight over the batch; its gradient is the batch sum (closed form)', () => {
    const layer = new LearnedConstant({ shape: [2, 2, 2, 3], seed: 4 });
    const z = tf.zeros([3, 5]);
    const out = run(layer, z);
    expect(out.shape).toEqual([3, 2, 2, 2, 3]);
    const w = layer.getWeights()[0];
    for (let b = 0; b < 3; b++) expectClose(tf.slice(out, [b], [1]), tf.expandDims(w, 0), { atol: 0 });
    const r = randomNormal([3, 2, 2, 2, 3], 5);
    const v = layer.trainableWeights[0].read() as tf.Variable;
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(run(layer, z), r)) as tf.Scalar, [v]);
    expectClose(grads[v.name], tf.sum(r, 0), { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([z, out, r, grads[v.name]]);
  });

  it('InstanceMoments gives per-sample channel means and variances (features or the reference batch-axis concat); twice differentiable', () => {
    const x = randomNormal([2, 3, 3, 2], 6);
    const { mean, variance } = tf.moments(x, [1, 2]);
    expectClose(run(new InstanceMoments(), x), tf.concat([mean, variance], 1), { atol: 1e-6 });
    expectClose(run(new InstanceMoments({ concat: 'batch' }), x), tf.concat([mean, variance], 0), { atol: 1e-6 });
    const m = new InstanceMoments();
    const r = randomNormal([2, 4], 7);
    checkGradients((v) => tf.sum(tf.mul(run(m, v), r)) as tf.Scalar, [x]);
    checkSecondOrder((v) => tf.sum(tf.square(run(m, v))) as tf.Scalar, x);
    expect(() => new InstanceMoments({ concat: 'rows' as never })).toThrow(/'concat' must be 'features' or 'batch'/);
    tf.dispose([x, mean, variance, r]);
  });
});

describe('L2Normalize', () => {
  it('normalises rows to unit length and has correct gradients', () => {
    const x = tf.tensor2d([
      [3, 4],
      [0, 2],
    ]);
    expectClose(
      run(new L2Normalize(), x),
      tf.tensor2d([
        [0.6, 0.8],
        [0, 1],
      ]),
      { atol: 1e-6 },
    );
    const y = randomNormal([3, 4], 8);
    const r = randomNormal([3, 4], 9);
    checkGradients((v) => tf.sum(tf.mul(run(new L2Normalize(), v), r)) as tf.Scalar, [y]);
    tf.dispose([x, y, r]);
  });
});

describe('Glow gradients', () => {
  it('bits/dim gradients w.r.t. the input and to actnorm, 1×1 conv (plain and LU), coupling and prior weights match finite differences', () => {
    for (const permutation of ['conv', 'lu'] as const) {
      const glow = buildGlow([4, 4, 2], { levels: 2, depth: 1, width: 4, coupling: 'affine', permutation, learnTop: true, seed: 3 });
      // Perturb every trainable weight so no zero-initialised path hides a wrong gradient.
      const rng = new Random(11);
      const ws = glow.layer.getWeights();
      const next = ws.map((w, i) => (glow.layer.weights[i].trainable ? tf.add(w, tf.tensor(rng.normalArray(w.size, 0, 0.05), w.shape)) : tf.clone(w)));
      glow.layer.setWeights(next);
      tf.dispose(next);
      // Data-dependent init on a larger batch: with only a couple of samples a ReLU channel inside a
      // coupling net can have ~0 variance, and actnorm's 1/(std + 1e-6) then makes the flow too
      // ill-conditioned for finite differences (a property of the reference init, not a bug).
      const init = randomUniform([32, 4, 4, 2], 15, -0.5, 0.5);
      glow.initialize(init);
      init.dispose();
      const x = randomUniform([2, 4, 4, 2], 12, -0.5, 0.5);
      checkGradients((v) => glow.loss(v), [x], { maxElements: 12, eps: 1e-3 });
      const vars = glow.trainableVariables();
      checkVariableGradients(() => glow.loss(x), vars, 2, 1e-3, 13);
      x.dispose();
      glow.dispose();
    }
  });

  it('round-trips the registered custom layers inside a model', async () => {
    const x = tfl.input({ shape: [4, 4, 2] });
    const fade = new FadeIn();
    const down = tfl.layers.conv2d({ filters: 3, kernelSize: 1 }).apply(x) as tfl.SymbolicTensor;
    const up = new Upscale2D().apply(new Downscale2D().apply(down) as tfl.SymbolicTensor) as tfl.SymbolicTensor;
    const h = fade.apply([down, new ChannelBias().apply(up) as tfl.SymbolicTensor]) as tfl.SymbolicTensor;
    const mom = new InstanceMoments().apply(h) as tfl.SymbolicTensor;
    const out = new L2Normalize().apply(mom) as tfl.SymbolicTensor;
    const c = new LearnedConstant({ shape: [2], seed: 1 }).apply(x) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: x, outputs: [out, c] });
    fade.setAlpha(0.6);
    const xs = randomNormal([2, 4, 4, 2], 14);
    const before = model.predict(xs) as tf.Tensor[];
    const loaded = await roundTrip(model);
    const after = loaded.predict(xs) as tf.Tensor[];
    before.forEach((b, i) => expectClose(after[i], b, { rtol: 0, atol: 0 }));
    await expectNoLeak(() => tf.dispose(model.predict(xs) as tf.Tensor[]));
    tf.dispose([xs, ...before, ...after]);
    model.dispose();
    loaded.dispose();
  });
});
