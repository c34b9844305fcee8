import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { patchGANCritic, PatchGANDownsample, PatchGANHeads } from '../../src/layers/patchgan.js';
import { leakyReluTwice } from '../../src/layers/common.js';
import { checkGradients, checkSecondOrder, expectClose, expectNoLeak, loadFixture, randomNormal } from '../helpers/index.js';
import { expectSaveLoadRoundTrip } from './roundtrip.js';

const fx = loadFixture('layers_blocks').patchgan;

/** The fixture's critic (image 8, conv_dim 2, repeat 2, c_dim 3) with the torch weights loaded. */
function fixtureCritic(): tfl.LayersModel {
  const model = patchGANCritic({ imageSize: fx.imageSize, convDim: fx.convDim, repeatNum: fx.repeatNum, auxOutputs: fx.auxOutputs, channels: fx.channels });
  const blocks = model.layers.filter((l) => l instanceof PatchGANDownsample);
  expect(blocks.length).toBe(fx.repeatNum);
  blocks.forEach((l, i) => {
    const [k, b] = l.getWeights();
    l.setWeights([tf.tensor(fx.kernels[i], k.shape), tf.tensor(fx.biases[i], b.shape)]);
  });
  const heads = model.layers.find((l) => l instanceof PatchGANHeads)!;
  const [pk, ak] = heads.getWeights();
  heads.setWeights([tf.tensor(fx.patch_kernel, pk.shape), tf.tensor(fx.aux_kernel, ak.shape)]);
  return model;
}

describe('PatchGAN critic parts (GANimation discriminator_wasserstein_gan.py)', () => {
  it('the assembled critic matches torch (Conv2d k4 s2 p1 + LeakyReLU 0.01, 3×3 patch head, k×k aux head)', () => {
    const model = fixtureCritic();
    tf.tidy(() => {
      const x = tf.tensor(fx.x, [2, fx.imageSize, fx.imageSize, fx.channels]);
      const [patch, aux] = model.predict(x) as tf.Tensor[];
      expect(patch.shape).toEqual([2, 2, 2, 1]);
      expect(aux.shape).toEqual([2, 3]);
      expectClose(patch, fx.patch, { atol: 1e-5, rtol: 1e-4 });
      expectClose(aux, fx.aux, { atol: 1e-5, rtol: 1e-4 });
    });
    model.dispose();
  });

  it('is twice differentiable: ∇ₓD and the gradient penalty’s gradient w.r.t. the first kernel match torch autograd', () => {
    const model = fixtureCritic();
    const x = tf.tensor(fx.x, [2, fx.imageSize, fx.imageSize, fx.channels]);
    const patchSum = (xx: tf.Tensor) => tf.sum((model.apply(xx) as tf.Tensor[])[0]) as tf.Scalar;
    const gx = tf.grad(patchSum)(x);
    expectClose(gx, fx.grad_x, { atol: 1e-5, rtol: 1e-4 });
    const k0 = model.layers.find((l) => l instanceof PatchGANDownsample)!.trainableWeights[0].read() as tf.Variable;
    const { value, grads } = tf.variableGrads(() => {
      const g = tf.grad(patchSum)(x);
      const norms = tf.sqrt(tf.sum(tf.square(g), [1, 2, 3]));
      return tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar;
    }, [k0]);
    expectClose(value, fx.gp, { rtol: 1e-4 });
    expectClose(grads[k0.name], fx.gp_grad_kernel0, { atol: 1e-5, rtol: 1e-3 });
    tf.dispose([x, gx, value, grads[k0.name]]);
    model.dispose();
  });

  it('leakyReluTwice equals leakyRelu and has finite-difference first and second-order gradients', () => {
    tf.tidy(() => {
      const z = tf.tensor1d([-2, -0.5, 0, 0.3, 4]);
      expectClose(leakyReluTwice(z, 0.01), tf.leakyRelu(z, 0.01), { atol: 1e-7 });
    });
    // Seeded unit-scale kernel: pre-activations stay clear of the kink (an unseeded N(0, 0.02) one can
    // put one within the finite-difference step of 0 and fail by chance).
    const block = new PatchGANDownsample({ filters: 2, kernelInitializer: tfl.initializers.randomNormal({ mean: 0, stddev: 1, seed: 5 }) });
    const x = randomNormal([1, 4, 4, 2], 1);
    const w = randomNormal([1, 2, 2, 2], 2);
    block.apply(x);
    checkGradients((xx) => tf.sum(tf.mul(block.apply(xx) as tf.Tensor, w)), [x]);
    checkSecondOrder((xx) => tf.sum(tf.mul(tf.square(block.apply(xx) as tf.Tensor), w)) as tf.Scalar, x);
    const heads = new PatchGANHeads({ auxOutputs: 2 });
    const h = randomNormal([1, 2, 2, 3], 3);
    heads.apply(h);
    checkGradients(
      (hh) => {
        const [p, a] = heads.apply(hh) as tf.Tensor[];
        return tf.add(tf.sum(tf.square(p)), tf.sum(tf.mul(a, tf.tensor1d([1, -2]))));
      },
      [h],
    );
    tf.dispose([x, w, h]);
  });

  it('round-trips through saveModel/loadModel, does not leak, and rejects bad inputs', async () => {
    const model = patchGANCritic({ imageSize: 8, convDim: 2, repeatNum: 2, auxOutputs: 3, seed: 4 });
    const x = randomNormal([2, 8, 8, 3], 5);
    const loaded = await expectSaveLoadRoundTrip(model, x);
    expect(loaded.layers[1].getConfig()).toMatchObject({ filters: 2, kernelSize: 4, strides: 2, padding: 1, alpha: 0.01 });
    await expectNoLeak(() => model.predict(x) as tf.Tensor[]);
    await expectNoLeak(() => tf.grad((xx: tf.Tensor) => tf.sum((model.apply(xx) as tf.Tensor[])[0]))(x));
    expect(() => patchGANCritic({ imageSize: 10, repeatNum: 2, auxOutputs: 3 })).toThrow(/patchGANCritic: 'imageSize' must be divisible by 2\^repeatNum = 4; got 10/);
    const heads = new PatchGANHeads({ auxOutputs: 2 });
    heads.apply(tf.zeros([1, 2, 2, 3]));
    expect(() => heads.apply(tf.zeros([1, 4, 4, 3]))).toThrow(/PatchGANHeads: 'features' must have shape \[B, 2, 2, 3\].*got \[1, 4, 4, 3\]/);
    const block = new PatchGANDownsample({ filters: 2 });
    block.apply(tf.zeros([1, 4, 4, 3]));
    expect(() => block.apply(tf.zeros([1, 4, 4, 1]))).toThrow(/PatchGANDownsample: 'x' must have 3 channels; got shape \[1, 4, 4, 1\]/);
    expect(() => block.apply(tf.zeros([4, 4, 3]))).toThrow(/'x' must have rank 4/);
    x.dispose();
  });
});
