/**
 * GAN steerability edits (closed forms of the cv2 warps), α samplers, masked L2 (value and
 * finite-difference gradient), trainLinearWalk on toy differentiable generators whose optimal walk
 * is known in closed form, applyLinearWalk, and inversion (optimisation, encoder, hybrid).
 */
import * as tf from '@tensorflow/tfjs-core';
import { solve, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { checkGradients, describeEachBackend, expectClose, expectNoLeak, Random, randomNormal } from '../helpers/index.js';
import { countHostReads } from '../../src/util/index.js';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  applyLinearWalk,
  brightnessEdit,
  colorEdit,
  invertByOptimization,
  invertByOptimizationAsync,
  invertWithEncoderAsync,
  invertWithEncoder,
  maskedL2,
  NonlinearWalk,
  nonlinearWalkStep,
  rotateEdit,
  sampleColorAlpha,
  sampleRotateAlpha,
  sampleShiftAlpha,
  sampleZoomAlpha,
  shiftEdit,
  trainInversionEncoder,
  trainInversionEncoderAsync,
  trainLinearWalk,
  trainLinearWalkAsync,
  LINEAR_WALK_LEARNING_RATES,
  trainNonlinearWalk,
  trainNonlinearWalkAsync,
  zoomEdit,
} from '../../src/latent/index.js';
import { steeringObjective } from '../../src/losses/index.js';

/** [1, S, S, 1] image whose pixel (y, x) is f(y, x). */
const imageOf = (S: number, f: (y: number, x: number) => number) =>
  tf.tensor4d(
    Array.from({ length: S * S }, (_, i) => f(Math.floor(i / S), i % S)),
    [1, S, S, 1],
  );
const rows = (t: tf.Tensor) => {
  const [, H, W] = t.shape;
  const d = t.dataSync();
  return Array.from({ length: H }, (_, y) => Array.from({ length: W }, (_, x) => d[y * W + x]));
};

describeEachBackend('steerability edits (utils/transforms.py get_target_np)', () => {
  it('zoomEdit α < 1 crops the centre and resizes up (cv2 INTER_LINEAR, half-pixel); mask all ones', () => {
    const img = imageOf(8, (_, x) => x);
    const { target, mask } = zoomEdit(img, 0.5);
    // crop columns [2, 6) → values 2..5, upsampled ×2: sample at j/2 − 0.25, clamped
    expectClose(rows(target)[3], [2, 2.25, 2.75, 3.25, 3.75, 4.25, 4.75, 5], { atol: 1e-6 });
    expect(Array.from(mask.dataSync()).every((v) => v === 1)).toBe(true);
    tf.dispose([img, target, mask]);
  });

  it('zoomEdit α > 1 pads into an int(α·S) canvas and resizes down; mask marks the image area', () => {
    const img = imageOf(8, (_, x) => x);
    const { target, mask } = zoomEdit(img, 2);
    expectClose(rows(target)[4], [0, 0, 0.5, 2.5, 4.5, 6.5, 0, 0], { atol: 1e-6 });
    expect(rows(mask)[4]).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
    expect(rows(mask)[0]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    tf.dispose([img, target, mask]);
  });

  it('shiftEdit moves content by α pixels (x: right, y: down) with zero border and a matching mask', () => {
    const img = imageOf(5, (y, x) => 10 * y + x + 1);
    const sx = shiftEdit(img, 2, 'x');
    expect(rows(sx.target)[1]).toEqual([0, 0, 11, 12, 13]);
    expect(rows(sx.mask)[1]).toEqual([0, 0, 1, 1, 1]);
    const sy = shiftEdit(img, -1, 'y');
    expect(rows(sy.target)[0]).toEqual([11, 12, 13, 14, 15]);
    expect(rows(sy.target)[4]).toEqual([0, 0, 0, 0, 0]);
    expect(rows(sy.mask)[4]).toEqual([0, 0, 0, 0, 0]);
    tf.dispose([img, sx.target, sx.mask, sy.target, sy.mask]);
  });

  it('rotateEdit(90°) is a counter-clockwise quarter turn about (S//2, S//2): target[y][x] = img[x][S−1−y]', () => {
    const img = imageOf(5, (y, x) => 10 * y + x);
    const { target, mask } = rotateEdit(img, 90);
    const src = rows(img);
    const expected = src.map((_, y) => src.map((__, x) => src[x][4 - y]));
    expectClose(rows(target), expected, { atol: 1e-4 });
    expect(Array.from(mask.dataSync()).every((v) => v === 1)).toBe(true);
    const big = imageOf(9, () => 1);
    const r45 = rotateEdit(big, 45);
    expect(rows(r45.mask)[0][0]).toBe(0); // corners (distance 4√2 from the centre) leave the frame
    expect(rows(r45.mask)[0][4]).toBe(1);
    expect(rows(r45.mask)[4][4]).toBe(1);
    tf.dispose([img, big, target, mask, r45.target, r45.mask]);
  });

  it('colorEdit adds α per image and channel; brightnessEdit to all channels', async () => {
    const img = tf.zeros([2, 2, 2, 3]) as tf.Tensor4D;
    const { target, mask } = colorEdit(img, [
      [0.1, -0.2, 0.3],
      [0, 0, 1],
    ]);
    expectClose(tf.slice(target, [1, 1, 1, 0], [1, 1, 1, 3]), [0, 0, 1]);
    expectClose(tf.slice(target, [0, 0, 1, 0], [1, 1, 1, 3]), [0.1, -0.2, 0.3]);
    const b = brightnessEdit(img, [0.5, -0.5]);
    expectClose(tf.mean(b.target, [1, 2, 3]), [0.5, -0.5]);
    expect(() => colorEdit(img, [[1, 2]])).toThrow(/colorEdit: 'alpha' must have shape \[2, 3\] or \[3\]; got \[1, 2\]/);
    tf.dispose([target, mask, b.target, b.mask]);
    await expectNoLeak(() => {
      const r = zoomEdit(img, 1.7);
      const s = rotateEdit(img, 12);
      return [r.target, r.mask, s.target, s.mask];
    });
    img.dispose();
  });
});

describe('α samplers (linear walks, get_train_alpha)', () => {
  it('zoom: coin flip between U(0.25, 1) and U(1, 4), walk gets log α; shift: integer in [1, S/2) with random sign, walk gets α/(S/2); rotate: integer degrees in [1, 45), walk gets α/45', () => {
    const rng = new Random(3);
    let below = 0;
    for (let i = 0; i < 400; i++) {
      const z = sampleZoomAlpha(2, rng);
      expect(z.target).toBeGreaterThanOrEqual(0.25);
      expect(z.target).toBeLessThan(4);
      expect(z.graph).toEqual([[Math.log(z.target)], [Math.log(z.target)]]);
      if (z.target < 1) below++;
      const s = sampleShiftAlpha(1, rng, 16);
      expect(Number.isInteger(s.target) && Math.abs(s.target) >= 1 && Math.abs(s.target) < 8).toBe(true);
      expect(s.graph[0][0]).toBeCloseTo(s.target / 8, 12);
      const r = sampleRotateAlpha(1, rng);
      expect(Number.isInteger(r.target) && Math.abs(r.target) >= 1 && Math.abs(r.target) < 45).toBe(true);
      expect(r.graph[0][0]).toBeCloseTo(r.target / 45, 12);
    }
    expect(below).toBeGreaterThan(150);
    expect(below).toBeLessThan(250);
    const c = sampleColorAlpha(3, rng);
    expect(c.graph.length).toBe(3);
    expect(c.graph.flat().every((v) => v >= -0.5 && v < 0.5)).toBe(true);
    const c1 = sampleColorAlpha(2, rng, 3, 1);
    expect(c1.graph.every((r) => r[0] === 0 && r[2] === 0 && r[1] !== 0)).toBe(true);
  });
});

describe('maskedL2 (TF1 SUM_BY_NONZERO_WEIGHTS)', () => {
  it('is Σ mask·(o − t)² / #nonzero(mask), with a finite-difference-checked gradient', () => {
    const o = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const t = tf.zeros([1, 2, 2, 1]);
    const m = tf.tensor4d([1, 0, 1, 0], [1, 2, 2, 1]);
    expectClose(maskedL2(o, t, m), (1 + 9) / 2);
    const x = randomNormal([2, 3, 3, 2], 1);
    const tgt = randomNormal([2, 3, 3, 2], 2);
    const mask = tf.cast(tf.greater(randomNormal([2, 3, 3, 2], 3), 0), 'float32');
    checkGradients((y) => maskedL2(y, tgt, mask), [x]);
    tf.dispose([o, t, m, x, tgt, mask]);
  });
});

/** A linear toy generator G(z) = reshape(z·M) with M = Q·[E; R]: E holds the per-channel indicator images, so a colour shift is exactly reachable. */
function toyColorGenerator(D: number, S: number, seed: number) {
  const C = 3;
  const P = S * S * C;
  const rng = new Random(seed);
  const ER: number[][] = [];
  for (let c = 0; c < C; c++) ER.push(Array.from({ length: P }, (_, p) => (p % C === c ? 1 : 0)));
  for (let r = C; r < D; r++) ER.push(Array.from(rng.normalArray(P)));
  const Q = Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => rng.normal(0, 0.3) + (i === j ? 1 : 0)));
  const M = new Matrix(Q).mmul(new Matrix(ER));
  const Mt = tf.tensor2d(M.to2DArray());
  const generator = (z: tf.Tensor2D) => tf.reshape(tf.matMul(z, Mt), [z.shape[0], S, S, C]);
  // optimal walk: w_cᵀ M = e_c  ⇔  Qᵀ w_c = unit_c
  const wStar = solve(new Matrix(Q).transpose(), new Matrix(Array.from({ length: D }, (_, i) => [0, 1, 2].map((c) => (i === c ? 1 : 0)))));
  return { generator, Mt, wStar: wStar.to2DArray() };
}

describe('trainLinearWalk', () => {
  it('colour walk on a linear toy generator converges to the closed-form optimum (one slider per channel, cos ≥ 0.999)', () => {
    const D = 6;
    const { generator, Mt, wStar } = toyColorGenerator(D, 2, 11);
    const { w, losses } = trainLinearWalk({ generator, latentDim: D, edit: 'color', steps: 400, batchSize: 4, lr: 0.05, seed: 1 });
    expect(w.shape).toEqual([D, 3]);
    const W = w.arraySync() as number[][];
    for (let c = 0; c < 3; c++) {
      const a = W.map((r) => r[c]);
      const b = wStar.map((r) => r[c]);
      const cos = a.reduce((s, v, i) => s + v * b[i], 0) / (Math.hypot(...a) * Math.hypot(...b));
      expect(cos).toBeGreaterThan(0.999);
      expect(Math.hypot(...a.map((v, i) => v - b[i])) / Math.hypot(...b)).toBeLessThan(0.02);
    }
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.05);
    tf.dispose([w, Mt]);
  });

  it('trainLinearWalkAsync gives the same walk and losses as trainLinearWalk (reads every 7 steps, asynchronously), and leaks nothing', async () => {
    const D = 6;
    const { generator, Mt } = toyColorGenerator(D, 2, 13);
    const options = { generator, latentDim: D, edit: 'color' as const, steps: 20, batchSize: 4, lr: 0.05, seed: 3, readLossEvery: 7 };
    const sync = trainLinearWalk(options);
    const before = tf.memory().numTensors;
    const steps: number[] = [];
    const asyncResult = await trainLinearWalkAsync({ ...options, onStep: (step) => steps.push(step) });
    expect(asyncResult.losses).toEqual(sync.losses);
    expect(steps).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expectClose(asyncResult.w, sync.w, { atol: 0, rtol: 0 });
    tf.dispose([asyncResult.w]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([sync.w, Mt]);
  });

  it('objective mode: a pluggable (G(z), G(z + αw), α) → loss reaches the closed-form walk', () => {
    const D = 5;
    const { generator, Mt, wStar } = toyColorGenerator(D, 2, 12);
    // objective: edited − original should equal α·(red channel indicator)
    const red = tf.tensor4d(
      Array.from({ length: 12 }, (_, p) => (p % 3 === 0 ? 1 : 0)),
      [1, 2, 2, 3],
    );
    const objective = (orig: tf.Tensor, edited: tf.Tensor, alpha: tf.Tensor2D) => tf.mean(tf.square(tf.sub(tf.sub(edited, orig), tf.mul(tf.reshape(alpha, [-1, 1, 1, 1]), red)))) as tf.Scalar;
    const { w } = trainLinearWalk({ generator, latentDim: D, objective, steps: 300, batchSize: 4, lr: 0.05, seed: 2 });
    expectClose(
      w,
      wStar.map((r) => [r[0]]),
      { rtol: 0.02, atol: 0.02 },
    );
    tf.dispose([w, Mt, red]);
  });

  it('the walk loss has a finite-difference-checked gradient in w', () => {
    const D = 4;
    const { generator, Mt } = toyColorGenerator(D, 2, 13);
    const z = randomNormal([3, D], 4) as tf.Tensor2D;
    const alpha = randomNormal([3, 3], 5) as tf.Tensor2D;
    const target = randomNormal([3, 2, 2, 3], 6);
    const mask = tf.onesLike(target);
    checkGradients((w) => maskedL2(generator(tf.add(z, tf.matMul(alpha, w, false, true)) as tf.Tensor2D), target, mask), [randomNormal([D, 3], 7)]);
    tf.dispose([Mt, z, alpha, target, mask]);
  });

  it('accepts a tfjs-layers model as the generator and leaves its weights untouched', () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 12, activation: 'tanh' }), tfl.layers.reshape({ targetShape: [2, 2, 3] })] });
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const { w, losses } = trainLinearWalk({ generator: model, latentDim: 4, edit: 'color', steps: 30, lr: 0.05, seed: 4 });
    expect(w.shape).toEqual([4, 3]);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(model.getWeights().map((x) => Array.from(x.dataSync()))).toEqual(before);
    w.dispose();
    model.dispose();
  });

  it('runs a zoom walk through a non-linear generator without leaking tensors and never touches G', async () => {
    const D = 4;
    const M = randomNormal([D, 64], 8);
    const before = Array.from(M.dataSync());
    const generator = (z: tf.Tensor2D) => tf.reshape(tf.tanh(tf.matMul(z, M)), [z.shape[0], 8, 8, 1]);
    await expectNoLeak(() => trainLinearWalk({ generator, latentDim: D, edit: 'zoom', steps: 2, batchSize: 2, seed: 3 }).w);
    expect(Array.from(M.dataSync())).toEqual(before);
    expect(() => trainLinearWalk({ generator, latentDim: D, steps: 1 })).toThrow(/trainLinearWalk: give exactly one of 'edit' or 'objective'/);
    M.dispose();
  });
});

describe('trainLinearWalk default learning rates', () => {
  it("use the reference's per-edit rate (gan_steerability config/biggan_<edit>_linear.yml: color, zoom 1e-4; shift, rotate 1e-3)", () => {
    expect(LINEAR_WALK_LEARNING_RATES).toMatchObject({ color: 1e-4, zoom: 1e-4, shiftx: 1e-3, shifty: 1e-3, rotate2d: 1e-3 });
    const D = 4;
    const M = randomNormal([D, 8 * 8 * 3], 6);
    const generator = (z: tf.Tensor2D) => tf.reshape(tf.tanh(tf.matMul(z, M)), [z.shape[0], 8, 8, 3]);
    const run = (edit: 'color' | 'shiftx', lr?: number) => {
      const { w } = trainLinearWalk({ generator, latentDim: D, edit, steps: 2, seed: 4, lr });
      const out = w.arraySync();
      w.dispose();
      return out;
    };
    for (const edit of ['color', 'shiftx'] as const) {
      const byDefault = run(edit);
      expect(byDefault).toEqual(run(edit, LINEAR_WALK_LEARNING_RATES[edit]));
      expect(byDefault).not.toEqual(run(edit, edit === 'color' ? 1e-3 : 1e-4));
    }
    M.dispose();
  });
});

describe('applyLinearWalk', () => {
  it('is z + α·wᵀ with α per row and slider, per slider, or scalar; same kind as z', () => {
    const z = [
      [1, 1],
      [0, 0],
    ];
    const w = [
      [1, 0],
      [0, 2],
    ]; // [D = 2, S = 2]
    expectClose(
      applyLinearWalk(z, w, [
        [1, 0],
        [0, 1],
      ]),
      [
        [2, 1],
        [0, 2],
      ],
    );
    expectClose(applyLinearWalk(z, w, [1, 1]), [
      [2, 3],
      [1, 2],
    ]);
    expectClose(applyLinearWalk(z, w, 0.5), [
      [1.5, 2],
      [0.5, 1],
    ]);
    const zt = tf.tensor2d(z);
    const out = applyLinearWalk(zt, tf.tensor2d(w), 1);
    expect(out).toBeInstanceOf(tf.Tensor);
    tf.dispose([zt, out]);
    expect(() => applyLinearWalk(z, [[1, 2, 3]], 1)).toThrow(/applyLinearWalk: 'w' must be \[D = 2, nSliders\]; got \[1, 3\]/);
  });
});

describe('inversion', () => {
  const D = 4;
  const M = new Random(21);
  const Mt = tf.tensor2d(Array.from(M.normalArray(D * 10)), [D, 10]);
  const generator = (z: tf.Tensor2D) => tf.matMul(z, Mt);
  const zStar = tf.tensor2d([
    [0.5, -1, 0.3, 2],
    [1, 0, -0.5, 0.2],
  ]);

  it('invertByOptimization recovers the latents of a linear generator (rel. error < 1e-2)', () => {
    const images = generator(zStar);
    const { z, losses } = invertByOptimization(generator, images, { latentDim: D, steps: 400, lr: 0.05, seed: 1 });
    expectClose(z, zStar, { rtol: 1e-2, atol: 1e-2 });
    expect(losses[losses.length - 1]).toBeLessThan(1e-4);
    tf.dispose([images, z]);
  });

  it('invertWithEncoder starts from the encoder (an exact pseudo-inverse gives ~0 loss at step 0); trainInversionEncoder learns one', async () => {
    const images = generator(zStar);
    const pinv = tf.tidy(() => {
      const m = new Matrix(Mt.arraySync() as number[][]);
      return tf.tensor2d(
        m
          .transpose()
          .mmul(solve(m.mmul(m.transpose()), Matrix.eye(D)))
          .to2DArray(),
      );
    });
    const r = invertWithEncoder(generator, (x) => tf.matMul(x, pinv), images, { steps: 2, lr: 1e-3 });
    expect(r.losses[0]).toBeLessThan(1e-8);
    r.z.dispose();
    const P = tf.variable(tf.zeros([10, D]));
    const { losses } = trainInversionEncoder({ generator, encoder: (x) => tf.matMul(x, P), variables: [P], latentDim: D, steps: 300, batchSize: 16, lr: 0.05 });
    expect(losses[losses.length - 1]).toBeLessThan(1e-3);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 100);
    await expectNoLeak(() => invertByOptimization(generator, images, { latentDim: D, steps: 2 }).z);
    expect(() => invertByOptimization(generator, images, { latentDim: 3, steps: 1 })).toThrow(/invertByOptimization/);
    tf.dispose([images, pinv, P]);
  });
});

describe('NonlinearWalk / trainNonlinearWalk (NNz)', () => {
  it('Z-space steps keep ‖z‖, 0 steps is the identity, negative steps use the reverse chain', () => {
    const walk = new NonlinearWalk(6, { seed: 1 });
    const z = randomNormal([3, 6], 2) as tf.Tensor2D;
    const norms = (t: tf.Tensor) => Array.from(tf.tidy(() => tf.norm(t, 'euclidean', 1)).dataSync());
    const f3 = walk.apply(z, 3);
    expectClose(norms(f3), norms(z), { rtol: 1e-5 });
    expectClose(walk.apply(z, 0), z);
    const b1 = walk.apply(z, -1);
    const f1 = walk.apply(z, 1);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(b1, f1)))).dataSync()[0]).toBeGreaterThan(1e-3);
    tf.dispose([z, f3, b1, f1]);
    walk.dispose();
  });

  it('one step equals the closed form z + T2(ReLU(T1 z)) rescaled (Z) or truncated towards w̄ by ψ (W), with finite-difference-checked gradients', () => {
    const z = randomNormal([2, 4], 3) as tf.Tensor2D;
    const w1 = randomNormal([4, 4], 4, 0.5) as tf.Tensor2D;
    const w2 = randomNormal([4, 4], 5, 0.5) as tf.Tensor2D;
    const b1 = tf.tensor1d([0.1, -0.2, 0.3, 0.05]);
    const b2 = tf.tensor1d([0, 0.1, 0, -0.1]);
    const wMean = tf.tensor1d([1, 0, -1, 0.5]);
    const step = tf.tidy(() => tf.add(z, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(z, w1), b1)), w2), b2)));
    const zn = tf.tidy(() => tf.norm(z, 'euclidean', 1, true));
    const outZ = nonlinearWalkStep(z, w1, b1, w2, b2, { space: 'z', targetNorm: zn });
    expectClose(
      outZ,
      tf.tidy(() => tf.mul(step, tf.div(zn, tf.norm(step, 'euclidean', 1, true)))),
      { rtol: 1e-5 },
    );
    const outW = nonlinearWalkStep(z, w1, b1, w2, b2, { space: 'w', wMean, psi: 0.7 });
    expectClose(
      outW,
      tf.tidy(() => tf.add(wMean, tf.mul(0.7, tf.sub(step, wMean)))),
      { rtol: 1e-5 },
    );
    checkGradients((a, b) => tf.sum(tf.sin(nonlinearWalkStep(z, a as tf.Tensor2D, b1, b as tf.Tensor2D, b2, { space: 'z', targetNorm: zn }))) as tf.Scalar, [w1, w2]);
    tf.dispose([z, w1, w2, b1, b2, wMean, step, zn, outZ, outW]);
  });

  it('steps the optimizer on every batch, α = 0 included, with a zero gradient (the reference runs train_step on w[N_f])', () => {
    const D = 4;
    const M = randomNormal([D, 16], 5);
    const generator = (z: tf.Tensor2D) => tf.reshape(tf.tanh(tf.matMul(z, M)), [z.shape[0], 4, 4, 1]);
    const optimizer = tf.train.adam(0.01);
    const calls: number[] = [];
    const apply = optimizer.applyGradients.bind(optimizer);
    optimizer.applyGradients = (g) => {
      const list = (Array.isArray(g) ? g.map((x) => x.tensor) : Object.values(g)).filter((t) => t != null);
      calls.push(Math.max(...list.map((t) => tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]))));
      apply(g);
    };
    const { walk, losses } = trainNonlinearWalk({ generator, latentDim: D, edit: 'brightness', steps: 16, nSteps: 1, seed: 3, optimizer });
    expect(calls).toHaveLength(16);
    const zeroSteps = losses.map((l, i) => (l === 0 ? i : -1)).filter((i) => i >= 0);
    expect(zeroSteps.length).toBeGreaterThan(0);
    for (const i of zeroSteps) expect(calls[i]).toBe(0);
    walk.dispose();
    optimizer.dispose();
    M.dispose();
  });

  it('trainNonlinearWalk learns a brightness walk on a toy generator where one step can add ε·w* exactly (W space, ψ = 1), without leaking', async () => {
    const D = 6;
    const { generator, Mt } = toyColorGenerator(D, 2, 14);
    const { walk, losses } = trainNonlinearWalk({ generator, latentDim: D, edit: 'brightness', steps: 150, lr: 0.01, seed: 1, space: 'w', wMean: new Array(D).fill(0) });
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const nz = (xs: number[]) => xs.filter((v) => v > 0);
    expect(avg(nz(losses.slice(-30)))).toBeLessThan(0.2 * avg(nz(losses.slice(0, 30))));
    walk.dispose();
    const M8 = randomNormal([D, 64], 9);
    const g8 = (z: tf.Tensor2D) => tf.reshape(tf.tanh(tf.matMul(z, M8)), [z.shape[0], 8, 8, 1]);
    await expectNoLeak(() => {
      const r = trainNonlinearWalk({ generator: g8, latentDim: D, edit: 'zoom', steps: 3, seed: 2 });
      r.walk.dispose();
    });
    tf.dispose([Mt, M8]);
  });
});

describe("trainLinearWalk with document 000's steering objective (gankit/losses steeringObjective)", () => {
  it('plugs in as the objective and approaches the least-squares walk argmin ‖[RM; EM]w − [t; 0]‖', () => {
    const D = 3; // 3 unknowns, 4 equations: a unique least-squares walk
    const P = 10;
    const rng = new Random(31);
    const M = tf.tensor2d(Array.from(rng.normalArray(D * P)), [D, P]);
    const E = tf.tensor2d(Array.from(rng.normalArray(P * 2)), [P, 2]); // identity embedding: 2-D
    const R = tf.tensor2d(Array.from(rng.normalArray(P * 2)), [P, 2]); // AU regressor: 2 AUs
    const t = tf.tensor2d([[1, -0.5]]);
    const generator = (z: tf.Tensor2D) => tf.matMul(z, M);
    const objective = steeringObjective({
      embedding: (x) => tf.matMul(x, E),
      auRegressor: (x) => tf.mul(0.05, tf.matMul(x, R)),
      target: (alpha) => tf.matMul(alpha, t),
    });
    const { w, losses } = trainLinearWalk({ generator, latentDim: D, objective, steps: 400, batchSize: 16, lr: 0.02, seed: 5 });
    // closed form (expectation over z, α): minimise α²(‖0.05·R ᵀ-map(Mw) − t‖² + ‖E-map(Mw)‖²)
    const At = tf.tidy(() => tf.concat([tf.mul(0.05, tf.matMul(M, R)), tf.matMul(M, E)], 1));
    const A = new Matrix(At.arraySync() as number[][]); // [D, 4]
    At.dispose();
    const rhs = new Matrix([[1, -0.5, 0, 0]]);
    const wStar = solve(A.transpose(), rhs.transpose(), true).to1DArray(); // least squares Aᵀ w = rhsᵀ
    const wl = Array.from(w.dataSync());
    const cos = wl.reduce((s, v, i) => s + v * wStar[i], 0) / (Math.hypot(...wl) * Math.hypot(...wStar));
    expect(cos).toBeGreaterThan(0.999);
    expect(losses.slice(-20).reduce((a, b) => a + b, 0)).toBeLessThan(losses.slice(0, 20).reduce((a, b) => a + b, 0));
    tf.dispose([M, E, R, t, w]);
  });
});

describe('latent training loops: per-step losses read every readLossEvery steps', () => {
  /** Run `train` with readLossEvery K: host reads during the call, the losses and the onStep calls. */
  function measure(train: (readLossEvery: number, onStep: (step: number, loss: number) => void) => { losses: number[]; dispose?: () => void }, K: number) {
    const calls: [number, number][] = [];
    let out!: { losses: number[]; dispose?: () => void };
    const reads = countHostReads(() => {
      out = train(K, (s, l) => void calls.push([s, l]));
    });
    out.dispose?.();
    return { reads, losses: out.losses, calls };
  }

  function expectDeferred(train: Parameters<typeof measure>[0]) {
    const every = measure(train, 1);
    const once = measure(train, 10);
    const windows = measure(train, 4);
    // 10 steps, K = 10: one host read in all; K = 4: reads after steps 4, 8 and at the end (10)
    // (a window whose values are all known on the host, e.g. NNz's α = 0 steps, reads nothing)
    const hostOnly = every.losses.filter((l) => l === 0).length;
    expect(once.reads).toBe(1);
    expect(windows.reads).toBe(hostOnly === 0 ? 3 : windows.reads);
    expect(windows.reads).toBeLessThanOrEqual(3);
    expect(every.reads).toBe(10 - hostOnly);
    // the same loss history and the same onStep calls, in step order
    expect(every.losses).toHaveLength(10);
    expect(once.losses).toEqual(every.losses);
    expect(windows.losses).toEqual(every.losses);
    expect(once.calls).toEqual(every.calls);
    expect(every.calls.map(([s]) => s)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }

  it('trainLinearWalk', async () => {
    const D = 6;
    const { generator, Mt } = toyColorGenerator(D, 2, 11);
    const train = (readLossEvery: number, onStep: (step: number, loss: number) => void) => {
      const r = trainLinearWalk({ generator, latentDim: D, edit: 'color', steps: 10, batchSize: 2, lr: 0.05, seed: 1, readLossEvery, onStep });
      return { losses: r.losses, dispose: () => r.w.dispose() };
    };
    expectDeferred(train);
    await expectNoLeak(() => trainLinearWalk({ generator, latentDim: D, edit: 'color', steps: 5, batchSize: 2, seed: 1, readLossEvery: 3 }).w);
    expect(() => trainLinearWalk({ generator, latentDim: D, edit: 'color', steps: 1, readLossEvery: 0 })).toThrow(/trainLinearWalk: 'readLossEvery' must be a positive integer or 'auto'; got 0/);
    Mt.dispose();
  });

  it('trainNonlinearWalk (α = 0 steps report 0 without a tensor)', async () => {
    const D = 4;
    const M = randomNormal([D, 16], 5);
    const generator = (z: tf.Tensor2D) => tf.reshape(tf.tanh(tf.matMul(z, M)), [z.shape[0], 4, 4, 1]);
    const train = (readLossEvery: number, onStep: (step: number, loss: number) => void) => {
      const r = trainNonlinearWalk({ generator, latentDim: D, edit: 'brightness', steps: 10, nSteps: 1, seed: 3, readLossEvery, onStep });
      return { losses: r.losses, dispose: () => r.walk.dispose() };
    };
    expectDeferred(train);
    expect(measure(train, 10).losses.some((l) => l === 0)).toBe(true);
    await expectNoLeak(() => trainNonlinearWalk({ generator, latentDim: D, edit: 'brightness', steps: 5, nSteps: 1, seed: 3, readLossEvery: 3 }).walk.dispose());
    M.dispose();
  });

  it('invertByOptimization and trainInversionEncoder', async () => {
    const D = 4;
    const Mt = randomNormal([D, 10], 21);
    const generator = (z: tf.Tensor2D) => tf.matMul(z, Mt);
    const images = generator(tf.tidy(() => randomNormal([2, D], 22)) as tf.Tensor2D);
    expectDeferred((readLossEvery, onStep) => {
      const r = invertByOptimization(generator, images, { latentDim: D, steps: 10, seed: 1, readLossEvery, onStep });
      return { losses: r.losses, dispose: () => r.z.dispose() };
    });
    const P = tf.variable(tf.zeros([10, D]));
    expectDeferred((readLossEvery, onStep) => {
      P.assign(tf.zeros([10, D]));
      return trainInversionEncoder({ generator, encoder: (x) => tf.matMul(x, P), variables: [P], latentDim: D, steps: 10, batchSize: 4, readLossEvery, onStep });
    });
    await expectNoLeak(() => invertByOptimization(generator, images, { latentDim: D, steps: 5, readLossEvery: 2 }).z);
    await expectNoLeak(() => void trainInversionEncoder({ generator, encoder: (x) => tf.matMul(x, P), variables: [P], latentDim: D, steps: 5, readLossEvery: 2 }));
    tf.dispose([Mt, images, P]);
  });
});

describe('asynchronous drivers (trainNonlinearWalkAsync, invertByOptimizationAsync, invertWithEncoderAsync, trainInversionEncoderAsync)', () => {
  const D = 4;

  it('trainNonlinearWalkAsync gives the same walk and losses as trainNonlinearWalk (reads every 3 steps, asynchronously), and leaks nothing', async () => {
    const M = randomNormal([D, 16], 5);
    const generator = (z: tf.Tensor2D) => tf.reshape(tf.tanh(tf.matMul(z, M)), [z.shape[0], 4, 4, 1]);
    const options = { generator, latentDim: D, edit: 'brightness' as const, steps: 12, nSteps: 1, lr: 0.01, seed: 3, readLossEvery: 3 };
    const sync = trainNonlinearWalk(options);
    const before = tf.memory().numTensors;
    const steps: number[] = [];
    const asyncResult = await trainNonlinearWalkAsync({ ...options, onStep: (step) => steps.push(step) });
    expect(asyncResult.losses).toEqual(sync.losses);
    expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => i));
    asyncResult.walk.variables.forEach((v, i) => expectClose(v, sync.walk.variables[i], { atol: 0, rtol: 0 }));
    asyncResult.walk.dispose();
    expect(tf.memory().numTensors).toBe(before);
    sync.walk.dispose();
    M.dispose();
  });

  it('frees the walk, the optimizer and the pending losses when onStep throws (sync and async)', async () => {
    const M = randomNormal([D, 16], 6);
    const generator = (z: tf.Tensor2D) => tf.reshape(tf.tanh(tf.matMul(z, M)), [z.shape[0], 4, 4, 1]);
    const onStep = (step: number) => {
      if (step === 4) throw new Error('stop at step 4');
    };
    const options = { generator, latentDim: D, edit: 'brightness' as const, steps: 10, nSteps: 1, seed: 3, readLossEvery: 2, onStep };
    const before = tf.memory().numTensors;
    expect(() => trainNonlinearWalk(options)).toThrow(/stop at step 4/);
    expect(tf.memory().numTensors).toBe(before);
    await expect(trainNonlinearWalkAsync(options)).rejects.toThrow(/stop at step 4/);
    expect(tf.memory().numTensors).toBe(before);
    M.dispose();
  });

  it('invertByOptimizationAsync, invertWithEncoderAsync and trainInversionEncoderAsync match their synchronous twins exactly, and leak nothing', async () => {
    const Mt = randomNormal([D, 10], 21);
    const generator = (z: tf.Tensor2D) => tf.matMul(z, Mt);
    const images = generator(tf.tidy(() => randomNormal([2, D], 22)) as tf.Tensor2D);
    const options = { latentDim: D, steps: 9, seed: 1, readLossEvery: 4 };
    const sync = invertByOptimization(generator, images, options);
    const before = tf.memory().numTensors;
    const inverted = await invertByOptimizationAsync(generator, images, options);
    expect(inverted.losses).toEqual(sync.losses);
    expectClose(inverted.z, sync.z, { atol: 0, rtol: 0 });
    inverted.z.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const encoder = (x: tf.Tensor) => tf.matMul(x, tf.transpose(Mt));
    const hybridSync = invertWithEncoder(generator, encoder, images, { steps: 5, readLossEvery: 2 });
    const hybrid = await invertWithEncoderAsync(generator, encoder, images, { steps: 5, readLossEvery: 2 });
    expect(hybrid.losses).toEqual(hybridSync.losses);
    expectClose(hybrid.z, hybridSync.z, { atol: 0, rtol: 0 });
    tf.dispose([hybrid.z, hybridSync.z]);

    const P = tf.variable(tf.zeros([10, D]));
    const encoderOptions = { generator, encoder: (x: tf.Tensor) => tf.matMul(x, P), variables: [P], latentDim: D, steps: 8, batchSize: 4, readLossEvery: 3 };
    const trainedSync = trainInversionEncoder(encoderOptions);
    const weightsSync = P.clone();
    P.assign(tf.zeros([10, D]));
    const beforeEncoder = tf.memory().numTensors;
    const trained = await trainInversionEncoderAsync(encoderOptions);
    expect(trained.losses).toEqual(trainedSync.losses);
    expectClose(P, weightsSync, { atol: 0, rtol: 0 });
    expect(tf.memory().numTensors).toBe(beforeEncoder);
    tf.dispose([Mt, images, sync.z, P, weightsSync]);
  });
});
