import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { FACE_API_EXPRESSIONS, FaceApiHeads, type FaceApiModule, loadFaceApiHeads } from '../../src/models/face_api.js';
import { checkGradients, expectClose, expectNoLeak, randomUniform } from '../helpers/index.js';

const require = createRequire(import.meta.url);

describe('FaceApiHeads (@vladmandic/face-api expression net and face descriptor, frozen and differentiable)', () => {
  let faceapi: FaceApiModule & {
    nets: { faceExpressionNet: { predictExpressions(x: tf.Tensor3D): Promise<Record<string, number>> }; faceRecognitionNet: { computeFaceDescriptor(x: tf.Tensor3D): Promise<Float32Array> } };
  };
  let heads: FaceApiHeads;
  beforeAll(async () => {
    faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
    const dir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
    heads = await loadFaceApiHeads(faceapi, dir);
  }, 60_000);

  it("matches face-api's own predictExpressions / computeFaceDescriptor on the same crops (input range converted)", async () => {
    const crops = randomUniform([2, 96, 96, 3], 1, -1, 1);
    const probs = heads.expressions(crops);
    const desc = heads.descriptors(crops);
    expect(probs.shape).toEqual([2, 7]);
    expect(desc.shape).toEqual([2, 128]);
    const p = probs.arraySync();
    const d = desc.arraySync();
    for (let i = 0; i < 2; i++) {
      const img = tf.tidy(() => tf.reshape(tf.mul(tf.add(tf.slice(crops, [i, 0, 0, 0], [1, 96, 96, 3]), 1), 127.5), [96, 96, 3])) as tf.Tensor3D;
      const ref = await faceapi.nets.faceExpressionNet.predictExpressions(img);
      FACE_API_EXPRESSIONS.forEach((name, k) => expect(p[i][k]).toBeCloseTo(ref[name], 5));
      const refDesc = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(img);
      expectClose(d[i], Array.from(refDesc), { rtol: 1e-4, atol: 1e-5 });
      img.dispose();
    }
    tf.dispose([crops, probs, desc]);
  });

  it('is differentiable with respect to the pixels (finite differences) and leaks nothing', async () => {
    // Deep ReLU nets are piecewise linear with many kinks: single-pixel central differences settle
    // on the analytic value only for small steps and when no resampling spreads the pixel over
    // several kinks, so each net is checked at its native input size (112 and 150 px).
    const opts = { maxElements: 4, eps: 1e-3, rtol: 5e-2, atol: 1e-3 };
    const w = tf.tensor1d([1, -2, 0.5, 3, -1, 2, -0.5]);
    const c112 = randomUniform([1, 112, 112, 3], 2, -1, 1);
    checkGradients((x) => tf.sum(tf.mul(heads.expressions(x), w)) as tf.Scalar, [c112], opts);
    const r = randomUniform([1, 128], 3);
    const c150 = randomUniform([1, 150, 150, 3], 4, -1, 1);
    checkGradients((x) => tf.sum(tf.mul(heads.descriptors(x), r)) as tf.Scalar, [c150], opts);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(heads.expressions(x), w)) as tf.Scalar)(c112);
    expect(tf.max(tf.abs(g)).dataSync()[0]).toBeGreaterThan(1e-4);
    await expectNoLeak(() => {
      tf.dispose([heads.expressions(c112), heads.descriptors(c112)]);
    });
    tf.dispose([c112, c150, w, r, g]);
  }, 60_000);

  it('rejects wrong inputs and unloaded nets clearly', () => {
    const gray = tf.zeros([1, 32, 32, 1]);
    expect(() => heads.expressions(gray)).toThrow(/FaceApiHeads.expressions: 'images' must be RGB crops \[B, H, W, 3\]; got \[1, 32, 32, 1\]/);
    gray.dispose();
    expect(() => new FaceApiHeads({} as FaceApiModule)).toThrow(/must be the @vladmandic\/face-api module/);
    expect(() => new FaceApiHeads(faceapi, { inputRange: '0-10' as never })).toThrow(/'inputRange' must be/);
  });
});
