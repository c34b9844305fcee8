import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { AttentionColorHead, composeWithAttention, saturateAttention } from '../../src/layers/attention_color_head.js';
import { conditionTile, ConditionTile } from '../../src/layers/condition_tile.js';
import { checkGradients, expectClose, expectNoLeak, randomNormal, randomUniform } from '../helpers/index.js';
import { expectSaveLoadRoundTrip } from './roundtrip.js';

describe('composeWithAttention (GANimation models/ganimation.py)', () => {
  it("follows the reference code: A·input + (1 − A)·color; 'paper' (v1) swaps the roles", () => {
    tf.tidy(() => {
      const input = tf.fill([1, 1, 2, 3], 0.8);
      const color = tf.fill([1, 1, 2, 3], -0.4);
      const a = tf.tensor4d([1, 0.25], [1, 1, 2, 1]);
      const code = composeWithAttention(a, input, color);
      expectClose(code, [0.8, 0.8, 0.8, -0.1, -0.1, -0.1], { atol: 1e-6 }); // A = 1 keeps the input
      const paper = composeWithAttention(a, input, color, 'paper');
      expectClose(paper, [-0.4, -0.4, -0.4, 0.5, 0.5, 0.5], { atol: 1e-6 });
    });
  });

  it('has finite-difference gradients in all three inputs', () => {
    const a = randomUniform([1, 2, 2, 1], 1, 0, 1);
    const i = randomNormal([1, 2, 2, 3], 2);
    const c = randomNormal([1, 2, 2, 3], 3);
    const w = randomNormal([1, 2, 2, 3], 4);
    checkGradients((aa, ii, cc) => tf.sum(tf.mul(composeWithAttention(aa, ii, cc), w)), [a, i, c]);
    tf.dispose([a, i, c, w]);
  });

  it('saturateAttention = clamp(0.55·tanh(3(m − 0.5)) + 0.5, 0, 1)', () => {
    tf.tidy(() => {
      const m = [0, 0.3, 0.5, 0.9, 1];
      const expected = m.map((v) => Math.min(1, Math.max(0, 0.55 * Math.tanh(3 * (v - 0.5)) + 0.5)));
      expectClose(saturateAttention(tf.tensor1d(m)), expected, { atol: 1e-6 });
    });
  });

  it('rejects mismatched shapes naming the argument', () => {
    const x = tf.zeros([2, 4, 4, 3]);
    expect(() => composeWithAttention(tf.zeros([2, 4, 4, 2]), x, x)).toThrow(/composeWithAttention: 'attention' must have shape \[2, 4, 4, 1\] or \[2, 4, 4, 3\]; got \[2, 4, 4, 2\]/);
    expect(() => composeWithAttention(tf.zeros([2, 4, 4, 1]), x, tf.zeros([2, 4, 3, 3]))).toThrow(/'color' must have shape \[2, 4, 4, 3\].*got \[2, 4, 3, 3\]/);
    expect(() => composeWithAttention(tf.zeros([2, 4, 4, 1]), x, x, 'v2' as never)).toThrow(/'convention' must be 'code' or 'paper'/);
    x.dispose();
  });
});

describe('AttentionColorHead (GANimation generator heads)', () => {
  it('gives tanh(conv7×7 → 3) and sigmoid(conv7×7 → 1), bias-free (closed form)', () => {
    tf.tidy(() => {
      const head = new AttentionColorHead({ kernelInitializer: tfl.initializers.randomNormal({ mean: 0, stddev: 0.3, seed: 1 }) });
      const f = randomNormal([2, 5, 5, 4], 5);
      const [color, attention] = head.apply(f) as tf.Tensor[];
      expect(color.shape).toEqual([2, 5, 5, 3]);
      expect(attention.shape).toEqual([2, 5, 5, 1]);
      const [kc, ka] = head.getWeights();
      expect(kc.shape).toEqual([7, 7, 4, 3]);
      expect(head.getWeights().length).toBe(2);
      const pad = tf.pad(f, [
        [0, 0],
        [3, 3],
        [3, 3],
        [0, 0],
      ]) as tf.Tensor4D;
      expectClose(color, tf.tanh(tf.conv2d(pad, kc as tf.Tensor4D, 1, 'valid')), { atol: 1e-5 });
      expectClose(attention, tf.sigmoid(tf.conv2d(pad, ka as tf.Tensor4D, 1, 'valid')), { atol: 1e-5 });
    });
  });

  it('has finite-difference gradients w.r.t. its input', () => {
    const head = new AttentionColorHead({ kernelSize: 3, kernelInitializer: tfl.initializers.randomNormal({ mean: 0, stddev: 0.3, seed: 2 }) });
    const f = randomNormal([1, 3, 3, 2], 6);
    const img = randomNormal([1, 3, 3, 3], 7);
    head.apply(f);
    checkGradients(
      (ff) => {
        const [c, a] = head.apply(ff) as tf.Tensor[];
        return tf.sum(tf.square(composeWithAttention(a, img, c)));
      },
      [f],
    );
    tf.dispose([f, img]);
  });

  it('with ConditionTile forms a GANimation-style model that round-trips and does not leak', async () => {
    const image = tfl.input({ shape: [4, 4, 3] });
    const au = tfl.input({ shape: [5] });
    const tiled = new ConditionTile().apply([image, au]) as tfl.SymbolicTensor;
    expect(tiled.shape).toEqual([null, 4, 4, 8]);
    const outs = new AttentionColorHead({ kernelSize: 3, useBias: true }).apply(tiled) as tfl.SymbolicTensor[];
    const model = tfl.model({ inputs: [image, au], outputs: outs });
    const x = randomNormal([2, 4, 4, 3], 8);
    const c = randomUniform([2, 5], 9, 0, 1);
    const loaded = await expectSaveLoadRoundTrip(model, [x, c]);
    expect(loaded.layers.find((l) => l instanceof AttentionColorHead)!.getConfig()).toMatchObject({ kernelSize: 3, colorChannels: 3, useBias: true });
    await expectNoLeak(() => model.predict([x, c]) as tf.Tensor[]);
    tf.dispose([x, c]);
  });

  it('rejects features with the wrong channel count', () => {
    const head = new AttentionColorHead();
    head.apply(tf.zeros([1, 4, 4, 2]));
    expect(() => head.apply(tf.zeros([1, 4, 4, 3]))).toThrow(/AttentionColorHead: 'features' must have 2 channels; got shape \[1, 4, 4, 3\]/);
  });
});

describe('conditionTile / ConditionTile (GANimation generator input)', () => {
  it('tiles the condition over H×W after the image channels (closed form)', () => {
    tf.tidy(() => {
      const x = tf.reshape(tf.range(0, 8), [2, 2, 2, 1]);
      const c = tf.tensor2d([
        [10, 20],
        [30, 40],
      ]);
      const y = conditionTile(x, c);
      expect(y.shape).toEqual([2, 2, 2, 3]);
      expect(Array.from(y.dataSync())).toEqual([0, 10, 20, 1, 10, 20, 2, 10, 20, 3, 10, 20, 4, 30, 40, 5, 30, 40, 6, 30, 40, 7, 30, 40]);
    });
  });

  it('has finite-difference gradients and rejects bad shapes', () => {
    const x = randomNormal([2, 2, 3, 1], 10);
    const c = randomNormal([2, 2], 11);
    const w = randomNormal([2, 2, 3, 3], 12);
    checkGradients((xx, cc) => tf.sum(tf.mul(conditionTile(xx, cc), w)), [x, c]);
    expect(() => conditionTile(x, tf.zeros([3, 2]))).toThrow(/conditionTile: 'condition' must have shape \[2, K\]; got \[3, 2\]/);
    expect(() => conditionTile(tf.zeros([2, 3, 1]), c)).toThrow(/conditionTile: 'x' must have rank 4; got rank 3/);
    expect(() => new ConditionTile().apply(x)).toThrow(/ConditionTile: expects 2 inputs \[x, condition\]; got 1/);
    tf.dispose([x, c, w]);
  });
});
