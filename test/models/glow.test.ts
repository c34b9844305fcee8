import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Glow, type GlowConfig, buildGlow, glowPostprocess, glowPreprocess } from '../../src/models/glow/glow.js';
import * as tfl from '@tensorflow/tfjs-layers';
import { GlowLayer, squeeze2d, unsqueeze2d } from '../../src/layers/glow/index.js';
import { GlowLayer as LegacyGlowLayer } from '../../src/models/glow/glow.js';
import { matrixInverse, logAbsDet, logAbsDetOp, luFactors, randomOrthogonal } from '../../src/linalg/index.js';
import { countTrainableParams } from '../../src/models/common.js';
import { Random, checkGradients, expectClose, expectNoLeak, loadFixture, lossBeforeAfter, randomNormal, randomUniform } from '../helpers/index.js';
import { countHostReads } from '../../src/util/index.js';
import { type FixtureTensor, fromFixture, roundTrip } from './model_test_utils.js';

/** Add N(0, std) noise to every trainable weight so zero-initialised convs and identities are exercised. */
function perturb(glow: Glow, seed: number, std = 0.1): void {
  const rng = new Random(seed);
  const layer = glow.layer;
  const vals = layer.getWeights();
  // getWeights returns the variables' own tensors: never dispose them.
  const next = vals.map((w, i) => {
    if (!layer.weights[i].trainable) return w.clone();
    return tf.tidy(() => tf.add(w, tf.tensor(rng.normalArray(w.size, 0, std), w.shape)));
  });
  layer.setWeights(next);
  tf.dispose(next);
}

/**
 * A tiny Glow whose zero-initialised couplings and priors are perturbed (so every component is a
 * non-trivial map), then data-initialised so activations stay well scaled.
 */
function tinyGlow(shape: [number, number, number], cfg: GlowConfig, seed = 1): Glow {
  const glow = buildGlow(shape, { levels: 2, depth: 2, width: 4, seed, ...cfg });
  perturb(glow, seed + 7, 0.05);
  const x = randomUniform([4, ...shape], seed + 100, -0.5, 0.5);
  glow.initialize(x);
  x.dispose();
  return glow;
}

/** Determinant in float64 of a row-major n×n matrix via the library-independent Gaussian elimination below. */
function logAbsDetNaive(m: number[][]): number {
  const n = m.length;
  const a = m.map((r) => r.slice());
  let s = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i][k]) > Math.abs(a[p][k])) p = i;
    [a[k], a[p]] = [a[p], a[k]];
    s += Math.log(Math.abs(a[k][k]));
    for (let i = k + 1; i < n; i++) {
      const f = a[i][k] / a[k][k];
      for (let j = k; j < n; j++) a[i][j] -= f * a[k][j];
    }
  }
  return s;
}

/** Jacobian rows ∂f_i/∂x by reverse-mode autodiff, one gradient per output. */
function jacobian(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): number[][] {
  const out = tf.tidy(() => f(x));
  const n = out.size;
  out.dispose();
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const g = tf.tidy(() => tf.grad((y: tf.Tensor) => tf.sum(tf.mul(tf.reshape(f(y), [-1]), tf.oneHot(i, n))) as tf.Scalar)(x));
    rows.push(Array.from(g.dataSync()));
    g.dispose();
  }
  return rows;
}

/** Jacobian by central finite differences (independent of autodiff). */
function jacobianFd(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, eps = 2e-3): number[][] {
  const base = Float32Array.from(x.dataSync());
  const cols: number[][] = [];
  for (let j = 0; j < base.length; j++) {
    const at = (d: number) =>
      tf.tidy(() => {
        const v = base.slice();
        v[j] += d;
        return Array.from(f(tf.tensor(v, x.shape)).dataSync());
      });
    const [p, m] = [at(eps), at(-eps)];
    cols.push(p.map((pv, i) => (pv - m[i]) / (2 * eps)));
  }
  return cols[0].map((_, i) => cols.map((c) => c[i]));
}

describe('Glow ops', () => {
  it('squeeze2d puts pixel (2i+dy, 2j+dx), channel c at channel c·4 + dy·2 + dx (openai tfops.squeeze2d); unsqueeze2d inverts it', () => {
    const x = tf.tensor4d(
      Array.from({ length: 2 * 4 * 4 * 3 }, (_, i) => i),
      [2, 4, 4, 3],
    );
    const s = squeeze2d(x);
    expect(s.shape).toEqual([2, 2, 2, 12]);
    const xs = x.arraySync() as number[][][][];
    const ss = s.arraySync() as number[][][][];
    for (const [b, i, j, c, dy, dx] of [
      [0, 0, 0, 0, 0, 0],
      [1, 1, 0, 2, 1, 1],
      [0, 1, 1, 1, 0, 1],
      [1, 0, 1, 2, 1, 0],
    ]) {
      expect(ss[b][i][j][c * 4 + dy * 2 + dx]).toBe(xs[b][2 * i + dy][2 * j + dx][c]);
    }
    expectClose(unsqueeze2d(s), x, { rtol: 0, atol: 0 });
    tf.dispose([x, s]);
  });

  it('log|det W| (float64 LU) matches naive elimination and its gradient W⁻ᵀ matches finite differences', () => {
    const rng = new Random(3);
    const w = Array.from({ length: 16 }, () => rng.normal());
    const rows = [0, 1, 2, 3].map((i) => w.slice(i * 4, i * 4 + 4));
    expect(logAbsDet(w, 4)).toBeCloseTo(logAbsDetNaive(rows), 10);
    const inv = matrixInverse(w, 4);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += w[i * 4 + k] * inv[k * 4 + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
    const wt = tf.tensor2d(w, [4, 4]);
    checkGradients((m) => logAbsDetOp(m as tf.Tensor2D), [wt], { eps: 1e-3 });
    wt.dispose();
  });

  it('random orthogonal init is orthogonal and its LU factors (scipy convention A = P·L·U) reproduce it', () => {
    const n = 5;
    const q = randomOrthogonal(n, 9);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += q[k * n + i] * q[k * n + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
    const { p, l, u } = luFactors(q, n);
    const mul = (a: Float64Array, b: Float64Array) => {
      const c = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) c[i * n + j] += a[i * n + k] * b[k * n + j];
      return c;
    };
    const plu = mul(p, mul(l, u));
    plu.forEach((v, i) => expect(v).toBeCloseTo(q[i], 10));
  });
});

interface GlowFixtureCase {
  name: string;
  config: GlowConfig;
  weights: Record<string, FixtureTensor>;
  x: FixtureTensor;
  eps: FixtureTensor[];
  logdet: FixtureTensor;
  logpz: FixtureTensor;
  bitsPerDim: FixtureTensor;
}

describe('Glow against an independent PyTorch float64 re-implementation of openai/glow (scripts/fixtures/models_glow.py)', () => {
  const { cases } = loadFixture<{ cases: GlowFixtureCase[] }>('models_glow');
  for (const c of cases) {
    it(`${c.name}: per-level eps, log-det, log p(z) and bits/dim match`, () => {
      const x = fromFixture(c.x);
      const glow = buildGlow(x.shape.slice(1) as [number, number, number], c.config);
      const layer = glow.layer;
      const values = layer.weights.map((w) => {
        const key = w.originalName.replace(/^glow\//, '');
        if (key === 'initialized') return tf.ones([1]);
        const t = c.weights[key];
        if (!t) throw new Error(`fixture has no weight '${key}'`);
        return fromFixture(t);
      });
      expect(Object.keys(c.weights).length).toBe(layer.weights.length - 1);
      layer.setWeights(values);
      tf.dispose(values);
      const r = layer.flow(x);
      r.eps.forEach((e, i) => expectClose(e, fromFixture(c.eps[i]), { rtol: 2e-4, atol: 2e-4 }));
      expectClose(r.logdet, fromFixture(c.logdet), { rtol: 1e-4, atol: 1e-3 });
      expectClose(r.logpz, fromFixture(c.logpz), { rtol: 1e-4, atol: 1e-3 });
      const bits = glow.bitsPerDim(x);
      expectClose(bits, fromFixture(c.bitsPerDim), { rtol: 1e-5, atol: 1e-5 });
      // And the exact inverse from the reference's eps.
      const back = layer.reverseFlow(c.eps.map(fromFixture));
      expectClose(back, x, { atol: 1e-4 });
      tf.dispose([x, ...r.eps, ...r.zs, r.logdet, r.logpz, bits, back]);
      glow.dispose();
    });
  }
});

describe('buildGlow (openai/glow; rosinality conventions as options)', () => {
  it('has the reference parameter count for the openai CIFAR-10 command (32×32×3, 3 levels, depth 32, width 512, affine, learntop): 44,603,604', () => {
    // By hand, per flow step on C channels (width w = 512, edge-bias adds one input channel to 3×3 convs):
    //   actnorm 2C + invconv C² + coupling [9·(C/2 + 1)·w + 2w (conv+actnorm) + w·w + 2w + 9·(w + 1)·C + 2C (conv2d_zeros W, b, logs)].
    //   C = 12: 352,044; C = 24: 435,576; C = 48: 603,504; ×32 steps each → 11,265,408 + 13,938,432 + 19,312,128.
    // split priors: 9·7·12 + 24 = 780 and 9·13·24 + 48 = 2,856; learned top prior: 9·97·96 + 192 = 84,000. Total 44,603,604.
    const glow = buildGlow([32, 32, 3], { levels: 3, depth: 32, width: 512, coupling: 'affine', learnTop: true });
    expect(countTrainableParams(glow.model)).toBe(44_603_604);
    expect(glow.dimension).toBe(3072);
    glow.dispose();
  }, 60_000);

  const variants: [string, GlowConfig][] = [
    ['additive + plain 1×1 conv (openai defaults)', {}],
    ['affine + LU 1×1 conv + chunked splits (rosinality)', { coupling: 'affine', permutation: 'lu', split: 'chunked', learnTop: true }],
    ['affine + reverse permutation + zero padding', { coupling: 'affine', permutation: 'reverse', edgeBias: false }],
    ['additive + shuffle permutation', { permutation: 'shuffle' }],
  ];

  for (const [name, cfg] of variants) {
    it(`${name}: decode(encode(x)) = x to ≤ 1e-4`, () => {
      const glow = tinyGlow([8, 8, 2], cfg);
      const x = randomUniform([3, 8, 8, 2], 5, -0.5, 0.5);
      const enc = glow.encode(x);
      expect(enc.z.shape).toEqual([3, 128]);
      const back = glow.decode(enc.z);
      expectClose(back, x, { rtol: 0, atol: 1e-4 });
      tf.dispose([x, enc.z, enc.logdet, enc.logpz, enc.bitsPerDim, back]);
      glow.dispose();
    });

    it(`${name}: log-det equals log|det ∂z/∂x| of a brute-force Jacobian on a 4×4×1 input`, () => {
      const glow = tinyGlow([4, 4, 1], cfg, 2);
      const x = randomUniform([1, 4, 4, 1], 6, -0.5, 0.5);
      const rawZ = (y: tf.Tensor) => {
        const r = glow.layer.flow(y);
        const flat = glow.layer.flatten(r.zs);
        tf.dispose([...r.eps, ...r.zs, r.logdet, r.logpz]);
        return flat;
      };
      const r = glow.layer.flow(x);
      const logdet = r.logdet.dataSync()[0];
      const ad = logAbsDetNaive(jacobian(rawZ, x));
      expect(Math.abs(ad - logdet)).toBeLessThan(1e-4 * Math.max(1, Math.abs(logdet)));
      const fd = logAbsDetNaive(jacobianFd(rawZ, x));
      expect(Math.abs(fd - logdet)).toBeLessThan(2e-2);
      // Through the priors too: log p(x) = log N(eps; 0, I) + log|det ∂eps/∂x|.
      const epsFlat = (y: tf.Tensor) => glow.encode(y).z;
      const adEps = logAbsDetNaive(jacobian(epsFlat, x));
      const enc = glow.encode(x);
      const eps = Array.from(enc.z.dataSync());
      const logN = eps.reduce((s, e) => s - 0.5 * (Math.log(2 * Math.PI) + e * e), 0);
      expect(Math.abs(logN + adEps - (logdet + r.logpz.dataSync()[0]))).toBeLessThan(1e-3);
      tf.dispose([x, ...r.eps, ...r.zs, r.logdet, r.logpz, enc.z, enc.logdet, enc.logpz, enc.bitsPerDim]);
      glow.dispose();
    });
  }

  it('data-dependent init makes each first actnorm output zero-mean, unit-variance per channel', () => {
    const glow = buildGlow([4, 4, 2], { levels: 1, depth: 1, width: 4, permutation: 'reverse' });
    const x = randomNormal([8, 4, 4, 2], 1, 3);
    glow.initialize(x);
    const an = (glow.layer as unknown as { steps: { actnorm: { forward(v: tf.Tensor4D): { y: tf.Tensor } } }[][] }).steps[0][0].actnorm;
    const y = tf.tidy(() => an.forward(squeeze2d(x)).y);
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    expectClose(mean, tf.zeros([8]), { atol: 1e-5 });
    expectClose(variance, tf.ones([8]), { rtol: 1e-4, atol: 1e-4 });
    tf.dispose([x, y, mean, variance]);
    glow.dispose();
  });

  it('bits/dim of the identity flow equals (D·log n_bins − Σ log N(x_i; 0, 1)) / (ln 2 · D) (closed form)', () => {
    const glow = buildGlow([4, 4, 1], { levels: 2, depth: 1, width: 4, permutation: 'reverse', nBits: 5 });
    const x = randomUniform([2, 4, 4, 1], 3, -0.5, 0.5);
    glow.initialize(x);
    // Zero every actnorm ⇒ identity; zero-initialised couplings and priors are identities / N(0, 1).
    const layer = glow.layer;
    const ws = layer.getWeights();
    const zeroed = ws.map((w, i) => (layer.weights[i].name.includes('actnorm') ? tf.zerosLike(w) : tf.clone(w)));
    layer.setWeights(zeroed);
    tf.dispose(zeroed);
    const bits = glow.bitsPerDim(x).dataSync();
    const xs = x.arraySync() as number[][][][];
    for (let b = 0; b < 2; b++) {
      const v = xs[b].flat(2);
      const logN = v.reduce((s, e) => s - 0.5 * (Math.log(2 * Math.PI) + e * e), 0);
      const expected = (16 * Math.log(32) - logN) / (Math.LN2 * 16);
      expect(bits[b]).toBeCloseTo(expected, 4);
    }
    x.dispose();
    glow.dispose();
  });

  it('one Adam step lowers bits/dim on a fixed batch; samples decode to the image shape', () => {
    const glow = tinyGlow([4, 4, 2], { coupling: 'affine', permutation: 'lu' }, 3);
    const x = tf.tidy(() => glowPreprocess(tf.mul(randomUniform([4, 4, 4, 2], 4, 0, 1), 255), 5, 1));
    const opt = tf.train.adam(1e-2);
    const [before, after] = lossBeforeAfter(opt, () => glow.loss(x), glow.trainableVariables());
    expect(after).toBeLessThan(before);
    const s = glow.sample(2, 1, 0.7);
    expect(s.shape).toEqual([2, 4, 4, 2]);
    const img = glowPostprocess(s, 5);
    expect(tf.min(img).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(img).dataSync()[0]).toBeLessThanOrEqual(255);
    tf.dispose([x, s, img]);
    opt.dispose();
    glow.dispose();
  });

  it('round-trips through saveModel / loadModel with identical encodings and decodings', async () => {
    const glow = tinyGlow([4, 4, 2], { coupling: 'affine', permutation: 'lu', learnTop: true }, 4);
    const x = randomUniform([2, 4, 4, 2], 8, -0.5, 0.5);
    const a = glow.encode(x);
    const loaded = new Glow(await roundTrip(glow.model));
    expect(loaded.initialized).toBe(true);
    const b = loaded.encode(x);
    expectClose(b.z, a.z, { rtol: 0, atol: 0 });
    expectClose(b.bitsPerDim, a.bitsPerDim, { rtol: 0, atol: 0 });
    const [out] = loaded.model.predict(x) as tf.Tensor[];
    expectClose(out, a.z, { rtol: 0, atol: 0 });
    expectClose(loaded.decode(a.z), x, { atol: 1e-4 });
    tf.dispose([x, a.z, a.logdet, a.logpz, a.bitsPerDim, b.z, b.logdet, b.logpz, b.bitsPerDim, out]);
    glow.dispose();
    loaded.dispose();
  });

  it('does not leak tensors in encode, decode, sample and training steps', async () => {
    const glow = tinyGlow([4, 4, 2], { coupling: 'affine', permutation: 'conv' }, 5);
    const x = randomUniform([2, 4, 4, 2], 9, -0.5, 0.5);
    const opt = tf.train.adam(1e-3);
    await expectNoLeak(() => {
      const e = glow.encode(x);
      const d = glow.decode(e.z);
      tf.dispose([e.z, e.logdet, e.logpz, e.bitsPerDim, d]);
      glow.sample(1, 2).dispose();
      opt.minimize(() => glow.loss(x), true, glow.trainableVariables())?.dispose();
    });
    x.dispose();
    opt.dispose();
    glow.dispose();
  });

  for (const permutation of ['conv', 'lu', 'shuffle', 'reverse'] as const) {
    it(`${permutation}: after the data-dependent init, encode / decode / call read the host 0 times; a training step ${permutation === 'conv' ? 'once per changed W (float64 log-det)' : '0 times'}`, () => {
      const glow = tinyGlow([4, 4, 2], { coupling: 'affine', permutation }, 6);
      const x = randomUniform([2, 4, 4, 2], 10, -0.5, 0.5);
      const opt = tf.train.adam(1e-3);
      const inference = () => {
        const e = glow.encode(x);
        const d = glow.decode(e.z);
        const out = glow.model.apply(x) as tf.Tensor[];
        tf.dispose([e.z, e.logdet, e.logpz, e.bitsPerDim, d, ...out]);
        glow.sample(1, 2).dispose();
      };
      const step = () => opt.minimize(() => glow.loss(x), true, glow.trainableVariables())?.dispose();
      step(); // warm-up (optimizer slots)
      inference(); // host-side values of the new weights
      expect(countHostReads(inference)).toBe(0);
      expect(countHostReads(() => expect(glow.initialized).toBe(true))).toBe(0);
      // a step right after a step: 2 levels × depth 2 plain 1×1 convs, each with a new W
      step();
      expect(countHostReads(step)).toBe(permutation === 'conv' ? 4 : 0);
      x.dispose();
      opt.dispose();
      glow.dispose();
    });
  }

  it('the cached init flag follows setWeights (and loadModel, see the round trip): cleared → not initialised; set again → one read, then none', () => {
    const glow = tinyGlow([4, 4, 2], { coupling: 'affine', permutation: 'lu' }, 6);
    const x = randomUniform([2, 4, 4, 2], 10, -0.5, 0.5);
    expect(countHostReads(() => expect(glow.initialized).toBe(true))).toBe(0);
    const layer = glow.layer;
    const flagIndex = layer.weights.findIndex((w) => w.originalName.endsWith('initialized'));
    expect(flagIndex).toBeGreaterThanOrEqual(0);
    const values = layer.getWeights().map((w, i) => (i === flagIndex ? tf.zeros(w.shape) : w.clone()));
    layer.setWeights(values);
    expect(glow.initialized).toBe(false);
    expect(() => glow.encode(x)).toThrow(/not initialised/);
    const ones = values.map((v, i) => (i === flagIndex ? tf.ones(v.shape) : v));
    layer.setWeights(ones);
    expect(countHostReads(() => expect(glow.initialized).toBe(true))).toBe(1);
    expect(countHostReads(() => expect(glow.initialized).toBe(true))).toBe(0);
    tf.dispose([...values, ones[flagIndex], x]);
    glow.dispose();
  });

  it('rejects bad shapes, options and use before initialisation clearly', () => {
    expect(() => buildGlow([6, 6, 3], { levels: 2 })).toThrow(/buildGlow: H and W must be divisible by 2\^levels = 4; got \[6, 6, 3\]/);
    expect(() => buildGlow([8, 8, 3], { coupling: 'mult' as never })).toThrow(/'coupling' must be 'additive' or 'affine'/);
    const glow = buildGlow([4, 4, 2], { levels: 1, depth: 1, width: 2 });
    const x = tf.zeros([1, 4, 4, 2]);
    expect(() => glow.encode(x)).toThrow(/not initialised; call Glow.initialize/);
    glow.initialize(randomUniform([2, 4, 4, 2], 1));
    const bad = tf.zeros([1, 4, 4, 3]);
    expect(() => glow.encode(bad)).toThrow(/GlowLayer.flow: 'x' must have shape \[\*, 4, 4, 2\]; got \[1, 4, 4, 3\]/);
    const zBad = tf.zeros([1, 31]);
    expect(() => glow.decode(zBad)).toThrow(/latent must have shape \[\*, 32\]; got \[1, 31\]/);
    tf.dispose([x, bad, zBad]);
    glow.dispose();
  });

  it('GlowLayer (src/layers/glow) takes the base LayerArgs, rejects a second input by name, and the old path re-exports it', () => {
    const layer = new GlowLayer({ levels: 1, depth: 1, width: 2, trainable: false, name: 'g' });
    expect(layer.trainable).toBe(false);
    expect(LegacyGlowLayer).toBe(GlowLayer);
    const a = tfl.input({ shape: [4, 4, 2] });
    const b = tfl.input({ shape: [4, 4, 2] });
    expect(() => layer.apply([a, b])).toThrow(/GlowLayer: expects one input tensor; got 2/);
  });
});
