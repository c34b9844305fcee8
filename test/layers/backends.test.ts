/**
 * The backend-sensitive parts of src/layers re-checked on wasm: the rigid transform's JS sampler
 * reads and writes backend data directly, and the critic parts rely on conv kernels and their
 * gradients (stock wasm lacks Conv2DBackpropFilter; gankit's kernels add it).
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { rigidTransform3d } from '../../src/layers/rigid_transform_3d.js';
import { patchGANCritic, PatchGANDownsample, PatchGANHeads } from '../../src/layers/patchgan.js';
import { SpectralNormConv2D } from '../../src/layers/spectral_norm.js';
import { instanceNorm } from '../../src/layers/instance_norm.js';
import { describeEachBackend, expectClose, expectNoLeak, loadFixture } from '../helpers/index.js';

const rigid = loadFixture('layers_rigid_transform').cases[0];
const blocks = loadFixture('layers_blocks');

describeEachBackend(
  'src/layers on a second backend',
  () => {
    it('rigidTransform3d forward and gradients match the PyTorch fixtures', async () => {
      const volume = tf.tensor(rigid.volume, rigid.volumeShape);
      const view = tf.tensor2d(rigid.view, [rigid.volumeShape[0], 6]);
      const out = rigidTransform3d(volume, view, { boundary: 'zeros' });
      expectClose(out, rigid.zeros_match, { atol: 2e-4, rtol: 1e-4 });
      const w = tf.tensor(rigid.grad_weights, out.shape);
      const [gv] = tf.grads((v: tf.Tensor, p: tf.Tensor) => tf.sum(tf.mul(rigidTransform3d(v, p, { boundary: 'zeros' }), w)))([volume, view]);
      expectClose(gv, rigid.zeros_grad_volume, { atol: 2e-4, rtol: 1e-4 });
      await expectNoLeak(() => tf.grads((v: tf.Tensor, p: tf.Tensor) => tf.sum(rigidTransform3d(v, p)))([volume, view]));
      tf.dispose([volume, view, out, w, gv]);
    });

    it('InstanceNorm matches torch', () => {
      const c = blocks.instance_norm[0];
      tf.tidy(() => expectClose(instanceNorm(tf.tensor(c.x, c.shape), { gamma: tf.tensor1d(c.gamma), beta: tf.tensor1d(c.beta), epsilon: c.eps }), c.y, { atol: 2e-5, rtol: 1e-4 }));
    });

    it('the PatchGAN critic forward and its gradient-penalty gradient match torch', () => {
      const fx = blocks.patchgan;
      const model = patchGANCritic({ imageSize: fx.imageSize, convDim: fx.convDim, repeatNum: fx.repeatNum, auxOutputs: fx.auxOutputs, channels: fx.channels });
      model.layers
        .filter((l) => l instanceof PatchGANDownsample)
        .forEach((l, i) => {
          const [k, b] = l.getWeights();
          l.setWeights([tf.tensor(fx.kernels[i], k.shape), tf.tensor(fx.biases[i], b.shape)]);
        });
      const heads = model.layers.find((l) => l instanceof PatchGANHeads)!;
      const [pk, ak] = heads.getWeights();
      heads.setWeights([tf.tensor(fx.patch_kernel, pk.shape), tf.tensor(fx.aux_kernel, ak.shape)]);
      const x = tf.tensor(fx.x, [2, fx.imageSize, fx.imageSize, fx.channels]);
      const [patch] = model.predict(x) as tf.Tensor[];
      expectClose(patch, fx.patch, { atol: 1e-5, rtol: 1e-4 });
      const k0 = model.layers.find((l) => l instanceof PatchGANDownsample)!.trainableWeights[0].read() as tf.Variable;
      const { grads } = tf.variableGrads(() => {
        const g = tf.grad((xx: tf.Tensor) => tf.sum((model.apply(xx) as tf.Tensor[])[0]))(x);
        return tf.mean(tf.square(tf.sub(tf.sqrt(tf.sum(tf.square(g), [1, 2, 3])), 1))) as tf.Scalar;
      }, [k0]);
      expectClose(grads[k0.name], fx.gp_grad_kernel0, { atol: 1e-5, rtol: 1e-3 });
      tf.dispose([x, patch, grads[k0.name]]);
      model.dispose();
    });

    it('SpectralNormConv2D trains a step (weight gradient exists)', () => {
      const layer = new SpectralNormConv2D({ filters: 2, kernelSize: 3 });
      const x = tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 1);
      layer.apply(x);
      const k = layer.trainableWeights[0].read() as tf.Variable;
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, [k]);
      expect(Number.isFinite(tf.sum(tf.abs(grads[k.name])).dataSync()[0])).toBe(true);
      tf.dispose([x, grads[k.name]]);
    });
  },
  ['wasm'],
);
