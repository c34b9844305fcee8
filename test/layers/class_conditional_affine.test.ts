import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { classConditionalAffine, ClassConditionalAffine } from '../../src/layers/class_conditional_affine.js';
import { checkGradients, expectClose, expectNoLeak, randomNormal } from '../helpers/index.js';
import { expectSaveLoadRoundTrip } from './roundtrip.js';

describe('classConditionalAffine / ClassConditionalAffine (conditional BatchNorm, de Vries et al. 2017)', () => {
  it("with a one-hot y applies that class's own γ and β per channel (closed form), and mixes them for a soft y", () => {
    tf.tidy(() => {
      const h = randomNormal([2, 2, 2, 3], 1);
      const gamma = tf.tensor2d([
        [1, 2, 3],
        [-1, 0.5, 4],
      ]);
      const beta = tf.tensor2d([
        [0, 1, 2],
        [5, 6, 7],
      ]);
      const y = tf.tensor2d([
        [0, 1],
        [0.25, 0.75],
      ]);
      const out = classConditionalAffine(h, y, gamma, beta).arraySync() as number[][][][];
      const hv = h.arraySync() as number[][][][];
      const g1 = [0.25 * 1 + 0.75 * -1, 0.25 * 2 + 0.75 * 0.5, 0.25 * 3 + 0.75 * 4];
      const b1 = [0.25 * 0 + 0.75 * 5, 0.25 * 1 + 0.75 * 6, 0.25 * 2 + 0.75 * 7];
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 2; j++)
          for (let c = 0; c < 3; c++) {
            expect(out[0][i][j][c]).toBeCloseTo(hv[0][i][j][c] * [-1, 0.5, 4][c] + [5, 6, 7][c], 5);
            expect(out[1][i][j][c]).toBeCloseTo(hv[1][i][j][c] * g1[c] + b1[c], 5);
          }
    });
  });

  it('has finite-difference gradients with respect to h, Γ and B', () => {
    const h = randomNormal([2, 2, 2, 3], 2);
    const y = tf.tensor2d([
      [1, 0],
      [0.3, 0.7],
    ]);
    const gamma = randomNormal([2, 3], 3);
    const beta = randomNormal([2, 3], 4);
    const w = randomNormal([2, 2, 2, 3], 5);
    checkGradients((a, g, b) => tf.sum(tf.mul(classConditionalAffine(a, y, g, b), w)) as tf.Scalar, [h, gamma, beta]);
    tf.dispose([h, y, gamma, beta, w]);
  });

  it('as a layer: Γ starts near 1 and B at 0 (so it starts as plain BatchNorm), round-trips through saveModel / loadModel, no leaks', async () => {
    const hIn = tfl.input({ shape: [2, 2, 3] });
    const yIn = tfl.input({ shape: [4] });
    const out = new ClassConditionalAffine({ seed: 7 }).apply([hIn, yIn]) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: [hIn, yIn], outputs: out });
    const [gamma, beta] = model.layers[2].getWeights();
    expect(gamma.shape).toEqual([4, 3]);
    expect(Math.max(...Array.from(gamma.dataSync()).map((v) => Math.abs(v - 1)))).toBeLessThan(0.1);
    expectClose(beta, tf.zeros([4, 3]), { atol: 0 });
    const h = randomNormal([2, 2, 2, 3], 8);
    const y = tf.tensor2d([
      [0, 1, 0, 0],
      [0, 0, 0, 1],
    ]);
    const loaded = await expectSaveLoadRoundTrip(model, [h, y]);
    await expectNoLeak(() => tf.dispose(model.predict([h, y])));
    tf.dispose([h, y]);
    model.dispose();
    loaded.dispose();
  });

  it('rejects mismatched batches and weight shapes by name', () => {
    tf.tidy(() => {
      const h = tf.zeros([2, 2, 2, 3]);
      expect(() => classConditionalAffine(h, tf.zeros([3, 2]), tf.zeros([2, 3]), tf.zeros([2, 3]))).toThrow(/classConditionalAffine: 'h' and 'y' must have the same batch; got 2 and 3/);
      expect(() => classConditionalAffine(h, tf.zeros([2, 2]), tf.zeros([2, 4]), tf.zeros([2, 3]))).toThrow(/'gamma' and 'beta' must have shape \[2, 3\]; got \[2, 4\] and \[2, 3\]/);
      expect(() => classConditionalAffine(h, tf.zeros([2]), tf.zeros([2, 3]), tf.zeros([2, 3]))).toThrow(/classConditionalAffine: 'y'/);
    });
  });
});
