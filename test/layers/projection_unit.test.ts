import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { foldDepthIntoChannels, ProjectionUnit } from '../../src/layers/projection_unit.js';
import { RigidTransform3D } from '../../src/layers/rigid_transform_3d.js';
import { checkGradients, expectClose, expectNoLeak, randomNormal } from '../helpers/index.js';
import { expectSaveLoadRoundTrip } from './roundtrip.js';

describe('ProjectionUnit (HoloGAN: depth folded into channels + 1×1 conv + activation)', () => {
  it('folds depth-major, channel-minor: element [b, i, j, d·C + c] = volume[b, i, j, d, c]', () => {
    tf.tidy(() => {
      const v = tf.reshape(tf.range(0, 2 * 2 * 2 * 3 * 2), [2, 2, 2, 3, 2]);
      const f = foldDepthIntoChannels(v);
      expect(f.shape).toEqual([2, 2, 2, 6]);
      const va = v.arraySync() as number[][][][][];
      const fa = f.arraySync();
      for (let d = 0; d < 3; d++) for (let c = 0; c < 2; c++) expect(fa[1][0][1][d * 2 + c]).toBe(va[1][0][1][d][c]);
    });
  });

  it('equals relu(conv1×1(fold(volume))) (closed form against tf.conv2d)', () => {
    tf.tidy(() => {
      const unit = new ProjectionUnit({ filters: 5, kernelInitializer: tfl.initializers.randomNormal({ mean: 0, stddev: 0.5, seed: 1 }) });
      const v = randomNormal([2, 3, 3, 4, 2], 2);
      const y = unit.apply(v) as tf.Tensor;
      expect(y.shape).toEqual([2, 3, 3, 5]);
      const [k, b] = unit.getWeights();
      expect(k.shape).toEqual([8, 5]);
      unit.setWeights([k, tf.linspace(-0.5, 0.5, 5)]);
      const expected = tf.relu(tf.add(tf.conv2d(foldDepthIntoChannels(v), tf.reshape(k, [1, 1, 8, 5]) as tf.Tensor4D, 1, 'valid'), tf.linspace(-0.5, 0.5, 5)));
      expectClose(unit.apply(v) as tf.Tensor, expected, { atol: 1e-5 });
      expect(b.shape).toEqual([5]);
      const leaky = new ProjectionUnit({ filters: 5, activation: 'leakyRelu' });
      leaky.apply(v);
      leaky.setWeights([k, tf.zeros([5])]);
      const pre = tf.matMul(tf.reshape(v, [18, 8]), k);
      expectClose(leaky.apply(v) as tf.Tensor, tf.reshape(tf.maximum(pre, tf.mul(pre, 0.2)), [2, 3, 3, 5]), { atol: 1e-5 });
    });
  });

  it('has finite-difference gradients', () => {
    // Seeded, unit-scale kernel: pre-activations stay well away from leakyRelu's kink at 0, so the
    // central differences never straddle it (the default N(0, 0.02) kernel put them within ε of it).
    const unit = new ProjectionUnit({ filters: 3, activation: 'leakyRelu', kernelInitializer: tfl.initializers.randomNormal({ mean: 0, stddev: 1, seed: 11 }) });
    const v = randomNormal([1, 2, 2, 3, 2], 3);
    const w = randomNormal([1, 2, 2, 3], 4);
    unit.apply(v);
    checkGradients((x) => tf.sum(tf.mul(unit.apply(x) as tf.Tensor, w)), [v]);
    tf.dispose([v, w]);
  });

  it('after RigidTransform3D forms HoloGAN’s projection path; round-trips, no leak, rejects bad input', async () => {
    const volume = tfl.input({ shape: [4, 4, 4, 2] });
    const view = tfl.input({ shape: [6] });
    const rotated = new RigidTransform3D().apply([volume, view]) as tfl.SymbolicTensor;
    const out = new ProjectionUnit({ filters: 6 }).apply(rotated) as tfl.SymbolicTensor;
    expect(out.shape).toEqual([null, 4, 4, 6]);
    const model = tfl.model({ inputs: [volume, view], outputs: out });
    const v = randomNormal([2, 4, 4, 4, 2], 5);
    const p = tf.tensor2d([
      [4.0, 0.2, 1, 0, 0, 0],
      [4.5, -0.2, 1, 0, 0, 0],
    ]);
    const loaded = await expectSaveLoadRoundTrip(model, [v, p]);
    expect(loaded.layers.find((l) => l instanceof ProjectionUnit)!.getConfig()).toMatchObject({ filters: 6, activation: 'relu' });
    await expectNoLeak(() => model.predict([v, p]) as tf.Tensor);
    const unit = new ProjectionUnit({ filters: 2 });
    unit.apply(tf.zeros([1, 2, 2, 3, 2]));
    expect(() => unit.apply(tf.zeros([1, 2, 2, 3, 3]))).toThrow(/ProjectionUnit: 'volume' must have A3·C = 6.*got \[1, 2, 2, 3, 3\]/);
    expect(() => unit.apply(tf.zeros([1, 2, 2, 6]))).toThrow(/'volume' must have rank 5; got rank 4/);
    expect(() => new ProjectionUnit({ filters: 2, activation: 'swish' as never })).toThrow(/'activation' must be one of/);
    tf.dispose([v, p]);
  });
});
