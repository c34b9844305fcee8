import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  attributeCurve,
  axisCorrelation,
  classificationReport,
  featureCorrelation,
  fidFromActivations,
  identityDrift,
  kidFromActivations,
  maskLocalisation,
  poseConsistency,
  summarize,
} from '../../src/metrics/index.js';
import { readMatrix, readMatrixStack, readRows, readTensorLike } from '../../src/linalg/array_input.js';
import { expectNoLeak, randomNormal, randomUniform } from '../helpers/index.js';

describe('metric input readers', () => {
  it('read tensors, nested arrays and typed-array rows into the same float64 data', () => {
    const rows = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const t = tf.tensor2d(rows);
    const fromTensor = readMatrix('f', 'x', t);
    const fromArrays = readMatrix('f', 'x', rows);
    const fromTyped = readMatrix(
      'f',
      'x',
      rows.map((r) => Float32Array.from(r)),
    );
    t.dispose();
    for (const m of [fromTensor, fromArrays, fromTyped]) {
      expect([m.rows, m.cols]).toEqual([2, 3]);
      expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    }
    const stack = tf.tensor3d([[[1, 2]], [[3, 4]]]);
    expect(readMatrixStack('f', 'x', stack).map((m) => Array.from(m.data))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    stack.dispose();
    expect(readRows('f', 'x', [[1], [2, 3]]).map((r) => r.length)).toEqual([1, 2]);
    expect(readTensorLike('f', 'x', 2.5)).toEqual({ shape: [], data: Float64Array.of(2.5) });
  });

  it('name the function, argument and position in their errors', () => {
    expect(() =>
      readMatrix('myMetric', 'acts', [
        [1, 2],
        [3, Infinity],
      ]),
    ).toThrow("myMetric: 'acts' must be finite; element [1, 1] is Infinity");
    expect(() => readMatrix('myMetric', 'acts', [[1, 2], [3]])).toThrow("myMetric: 'acts' must be a rectangular array of shape [2, 2]; entry [1] has length 1, expected length 2");
    expect(() =>
      readMatrix('myMetric', 'acts', [
        [1, 2],
        ['a', 3],
      ] as unknown as number[][]),
    ).toThrow(/entry \[1, 0\] is string|element \[1, 0\] is string/);
    expect(() => readMatrix('myMetric', 'acts', 'abc' as unknown as number[][])).toThrow("myMetric: 'acts' must be a tensor or (nested) array of numbers; got string");
    expect(() => readMatrix('myMetric', 'acts', null as unknown as number[][])).toThrow("myMetric: 'acts' must be a tensor or (nested) array of numbers; got null");
    expect(() => readMatrixStack('myMetric', 'e', [[[1]], [[1, 2], [3]]])).toThrow(/myMetric: 'e\[1\]' must be a rectangular array/);
  });
});

describe('metrics with tensor inputs', () => {
  it('create and leave no tensors', async () => {
    const a = randomNormal([12, 3], 1);
    const b = randomNormal([10, 3], 2);
    const emb = randomNormal([3, 4, 5], 3);
    const mask = randomUniform([2, 4, 4, 1], 4, 0, 1);
    const region = tf.tensor2d([
      [1, 1, 0, 0],
      [1, 1, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    const scores = randomNormal([4, 6], 5);
    const labels = tf.tensor1d([0, 1, 2, 1, 0, 2, 2, 1, 0, 1]);
    await expectNoLeak(() => {
      fidFromActivations(a, b);
      kidFromActivations(a, b, { subsets: 2, subsetSize: 5 });
      identityDrift(emb, 0);
      poseConsistency(emb);
      maskLocalisation(mask, region);
      attributeCurve(scores, [0, 1, 2, 3]);
      axisCorrelation(a);
      featureCorrelation(a);
      classificationReport(labels, b);
      summarize(labels);
    });
    tf.dispose([a, b, emb, mask, region, scores, labels]);
  });
});
