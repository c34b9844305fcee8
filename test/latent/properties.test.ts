/**
 * Properties and closed forms of the latent tools: orthogonality after Gram–Schmidt, TL-GAN locking,
 * InterFaceGAN projection (1, 2, K conditions; the reference's exact formulas) and
 * linear_interpolate distances, slerp norms, sampling, arithmetic, pcaEdit, and bad-input errors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectNoLeak, Random } from '../helpers/index.js';
import {
  applyAttribute,
  attributeRange,
  attributeVector,
  axisSimilarity,
  disentangleAxes,
  gramSchmidt,
  lerp,
  linearInterpolate,
  pca,
  pcaEdit,
  pcaTargetEdit,
  projectBoundary,
  projectOnAttribute,
  regressionAxes,
  sampleLatents,
  slerp,
  trainBoundary,
} from '../../src/latent/index.js';

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const nrm = (a: number[]) => Math.sqrt(dot(a, a));
const unit = (a: number[]) => a.map((v) => v / nrm(a));
const randVec = (d: number, seed: number) => Array.from(new Random(seed).normalArray(d));
const randUnit = (d: number, seed: number) => unit(randVec(d, seed));
const columns = (m: number[][]) => m[0].map((_, j) => m.map((r) => r[j]));

describe('gramSchmidt', () => {
  it('returns orthonormal columns (|QᵀQ − I| ≤ 1e-5) spanning the input, even for nearly dependent columns', () => {
    const d = 12;
    const base = randVec(d, 1);
    const A = Array.from({ length: d }, (_, i) => [base[i], base[i] + 1e-6 * randVec(d, 2)[i], ...randVec(3, 10 + i)]);
    const Q = columns(gramSchmidt(A));
    for (let i = 0; i < Q.length; i++) for (let j = 0; j < Q.length; j++) expect(Math.abs(dot(Q[i], Q[j]) - (i === j ? 1 : 0))).toBeLessThanOrEqual(1e-5);
    // first column is the normalised first input column
    expectClose(Q[0], unit(columns(A)[0]), { rtol: 1e-12, atol: 1e-12 });
  });

  it('with normalize: false keeps the TL-GAN orthogonalize_vectors lengths (v_i minus its projections)', () => {
    const A = [
      [3, 1],
      [0, 1],
    ];
    // v0 = (3, 0), v1 = (1, 1) − ((1·3)/9)(3, 0) = (0, 1)
    expectClose(
      gramSchmidt(A, { normalize: false }),
      [
        [3, 0],
        [0, 1],
      ],
      { atol: 1e-15 },
    );
  });

  it('accepts and returns Tensors without leaking', async () => {
    const A = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 7],
    ]);
    const Q = gramSchmidt(A);
    expect(Q).toBeInstanceOf(tf.Tensor);
    expect(Q.shape).toEqual([3, 2]);
    Q.dispose();
    await expectNoLeak(() => gramSchmidt(A));
    A.dispose();
  });

  it('rejects dependent columns, more columns than dim, and NaN', () => {
    expect(() =>
      gramSchmidt([
        [1, 2],
        [2, 4],
      ]),
    ).toThrow(/gramSchmidt: column 1 is linearly dependent/);
    expect(() => gramSchmidt([[1, 2, 3]])).toThrow(/gramSchmidt: at most dim = 1 columns/);
    expect(() =>
      gramSchmidt([
        [1, NaN],
        [0, 1],
      ]),
    ).toThrow(/gramSchmidt: 'vectors' must be finite; row 0 column 1 is NaN/);
  });
});

describe('disentangleAxes (TL-GAN locking)', () => {
  const d = 10;
  const axes = columns([randVec(d, 1), randVec(d, 2), randVec(d, 3), randVec(d, 4)].map((c) => unit(c))) as number[][];
  const ax = axes[0].map((_, j) => axes.map((r) => r[j]));
  const A = ax[0].map((_, i) => ax.map((c) => c[i])); // [d, 4]

  it('makes every unlocked axis orthogonal to the span of the locked ones (≤ 1e-10) and keeps unit norms', () => {
    const out = columns(disentangleAxes(A, [2, 0]));
    for (const t of [1, 3]) for (const l of [0, 2]) expect(Math.abs(dot(out[t], out[l]))).toBeLessThan(1e-10);
    for (const c of out) expect(Math.abs(nrm(c) - 1)).toBeLessThan(1e-12);
    // locked axes are Gram–Schmidt'ed in the given order: axis 2 unchanged, axis 0 orthogonal to it
    expectClose(out[2], columns(A)[2], { rtol: 1e-12, atol: 1e-12 });
    expect(Math.abs(dot(out[0], out[2]))).toBeLessThan(1e-12);
  });

  it('with targetIndices leaves other columns unchanged', () => {
    const out = columns(disentangleAxes(A, [0], { targetIndices: [1] }));
    expectClose(out[3], columns(A)[3], { rtol: 1e-12, atol: 1e-12 });
    expect(Math.abs(dot(out[1], out[0]))).toBeLessThan(1e-12);
  });

  /** TL-GAN feature_axis.py, transcribed: orthogonalize_one_vector, orthogonalize_vectors, disentangle_feature_axis(_by_idx), on columns. */
  const tl = (() => {
    const one = (v: number[], b: number[]) => v.map((x, i) => x - (dot(v, b) / dot(b, b)) * b[i]);
    const orth = (vs: number[][]) => {
      const out = vs.map((v) => v.slice());
      for (let i = 0; i < out.length; i++) for (let j = 0; j < i; j++) out[i] = one(out[i], out[j]);
      return out;
    };
    const disentangle = (targets: number[][], base: number[][], ynBaseOrthogonalized: boolean) => {
      const b = ynBaseOrthogonalized ? orth(base) : base; // the inverted flag, as written
      return targets.map((t) => b.reduce((v, u) => one(v, u), t.slice()));
    };
    const norm = (v: number[]) => v.map((x) => x / Math.sqrt(dot(v, v)));
    const byIdx = (cols: number[][], idxBase: number[], idxTarget: number[]) => {
      const baseOrth = orth(idxBase.map((i) => cols[i]));
      const tOrth = disentangle(
        idxTarget.map((i) => cols[i]),
        baseOrth,
        true,
      );
      const out = cols.map((c) => c.slice());
      idxTarget.forEach((i, k) => (out[i] = tOrth[k]));
      idxBase.forEach((i, k) => (out[i] = baseOrth[k]));
      return out.map(norm);
    };
    return { disentangle, byIdx, norm };
  })();

  it("equals TL-GAN's disentangle_feature_axis_by_idx (transcribed), to 1e-12", () => {
    expectClose(columns(disentangleAxes(A, [2, 0])), tl.byIdx(columns(A), [2, 0], [1, 3]), { rtol: 1e-12, atol: 1e-12 });
  });

  it('orthogonalizeLocked: false equals disentangle_feature_axis(target, base, yn_base_orthogonalized=False): the inverted flag leaves the base as given', () => {
    const cols = columns(A);
    const out = columns(disentangleAxes(A, [0, 2], { orthogonalizeLocked: false }));
    const ref = tl.disentangle([cols[1], cols[3]], [cols[0], cols[2]], false).map(tl.norm);
    expectClose([out[1], out[3]], ref, { rtol: 1e-12, atol: 1e-12 });
    expectClose(columns(disentangleAxes(A, [0, 2], { referenceFlagQuirk: true })), out, { rtol: 0, atol: 0 });
    expect(() => disentangleAxes(A, [0], { orthogonalizeLocked: true, referenceFlagQuirk: true })).toThrow(/contradicts the deprecated 'referenceFlagQuirk: true'/);
  });

  it('without Gram–Schmidt of the locked axes, targets keep a component along the locked span', () => {
    const fixed = columns(disentangleAxes(A, [0, 2]));
    const quirk = columns(disentangleAxes(A, [0, 2], { orthogonalizeLocked: false }));
    expectClose(quirk[2], columns(A)[2], { rtol: 1e-12, atol: 1e-12 }); // not orthogonalised
    // sequential removal along non-orthogonal vectors leaves a residual on axis 0
    expect(Math.abs(dot(quirk[1], columns(A)[0]))).toBeGreaterThan(1e-4);
    expect(Math.abs(dot(fixed[1], columns(A)[0]))).toBeLessThan(1e-12);
  });

  it('rejects bad indices', () => {
    expect(() => disentangleAxes(A, [4])).toThrow(/disentangleAxes: 'lockedIndices' entries must be integers in \[0, 4\); got 4/);
    expect(() => disentangleAxes(A, [0], { targetIndices: [0] })).toThrow(/both locked and a target/);
  });
});

describe('axisSimilarity', () => {
  it('is the cosine-similarity matrix (and Pearson with centered)', () => {
    const A = [
      [1, 1, 2],
      [0, 1, 4],
      [0, 0, 6],
    ];
    const c = axisSimilarity(A);
    expectClose(
      c,
      [
        [1, Math.SQRT1_2, 2 / Math.sqrt(56)],
        [Math.SQRT1_2, 1, 6 / Math.sqrt(2 * 56)],
        [2 / Math.sqrt(56), 6 / Math.sqrt(2 * 56), 1],
      ],
      { rtol: 1e-12 },
    );
    const p = axisSimilarity(A, { centered: true });
    expectClose(p[2][2], 1);
    expectClose(p[0][2], -0.8660254037844386, { rtol: 1e-12 }); // corrcoef([1,0,0],[2,4,6])
  });
});

describe('projectBoundary (InterFaceGAN project_boundary)', () => {
  const D = 16;
  const n = randUnit(D, 1);
  const c1 = randUnit(D, 2);
  const c2 = randUnit(D, 3);

  it('0 conditions returns the primal; 1 condition: n − (n·c)c normalised', () => {
    expectClose(projectBoundary([n]), [n]);
    const p = projectBoundary([n], [c1]) as number[][];
    const e = unit(n.map((v, i) => v - dot(n, c1) * c1[i]));
    expectClose(p[0], e, { rtol: 1e-12, atol: 1e-14 });
    expect(Math.abs(dot(p[0], c1))).toBeLessThan(1e-12);
  });

  it('2 conditions: the reference α/β formula with its +1e-8, removing both components', () => {
    const p = projectBoundary(n, c1, c2) as number[];
    const n1 = dot(n, c1);
    const n2 = dot(n, c2);
    const c12 = dot(c1, c2);
    const alpha = (n1 - n2 * c12) / (1 - c12 ** 2 + 1e-8);
    const beta = (n2 - n1 * c12) / (1 - c12 ** 2 + 1e-8);
    expectClose(p, unit(n.map((v, i) => v - alpha * c1[i] - beta * c2[i])), { rtol: 1e-12, atol: 1e-14 });
    expect(Math.abs(dot(p, c1))).toBeLessThan(1e-7);
    expect(Math.abs(dot(p, c2))).toBeLessThan(1e-7);
  });

  it('K = 4 conditions: solves (CCᵀ)x = Cn and removes every condition component (≤ 1e-10)', () => {
    const cs = [2, 3, 4, 5].map((s) => randUnit(D, s));
    const p = projectBoundary(n, ...cs) as number[];
    for (const c of cs) expect(Math.abs(dot(p, c))).toBeLessThan(1e-10);
    expect(Math.abs(nrm(p) - 1)).toBeLessThan(1e-12);
    expect(dot(p, n)).toBeGreaterThan(0);
  });

  it('keeps Tensor layout ([1, D] in → [1, D] out) without leaking', async () => {
    const t = tf.tensor2d([n]);
    const c = tf.tensor2d([c1]);
    const out = projectBoundary(t, c);
    expect(out.shape).toEqual([1, D]);
    expect(Math.abs(dot(Array.from(out.dataSync()), c1))).toBeLessThan(1e-6);
    out.dispose();
    await expectNoLeak(() => projectBoundary(t, c));
    tf.dispose([t, c]);
  });

  it('throws on a condition parallel to the primal, mismatched dims, non-unit input, dependent conditions', () => {
    expect(() =>
      projectBoundary(
        n,
        n.map((v) => -v),
      ),
    ).toThrow(/projectBoundary: 'primal' lies in the span of the conditions/);
    expect(() => projectBoundary(n, randUnit(D + 1, 2))).toThrow(/projectBoundary: 'conditions\[0\]' must have dimension D = 16 like 'primal'; got 17/);
    expect(() =>
      projectBoundary(
        n.map((v) => 2 * v),
        c1,
      ),
    ).toThrow(/'primal' must be unit-norm/);
    expect(() => projectBoundary(n, c1, c2, c1)).toThrow(/linearly dependent/);
  });
});

describe('linearInterpolate (InterFaceGAN linear_interpolate)', () => {
  const D = 8;
  const b = randUnit(D, 7);
  const code = [randVec(D, 8).map((v) => v * 3)];

  it('Z/W codes are projected onto the plane first: output i lies at signed distance linspace(start, end, steps)_i', () => {
    const out = linearInterpolate(code, [b], { start: -2, end: 4, steps: 7 }) as number[][];
    expect(out.length).toBe(7);
    out.forEach((row, i) => expect(dot(row, b)).toBeCloseTo(-2 + i, 12));
    // the in-plane part of the code is kept
    const inPlane = (v: number[]) => v.map((x, i) => x - dot(v, b) * b[i]);
    expectClose(inPlane(out[3]), inPlane(code[0]), { rtol: 1e-12, atol: 1e-12 });
  });

  it('per-layer (W+) codes are offset by linspace_i·n on every layer, without projection', () => {
    const wp = [[code[0], code[0].map((v) => -v), randVec(D, 9)]];
    const out = linearInterpolate(wp, b) as number[][][];
    expect(out.length).toBe(10);
    const steps = Array.from({ length: 10 }, (_, i) => -3 + (6 * i) / 9);
    out.forEach((layers, i) =>
      layers.forEach((row, l) =>
        expectClose(
          row,
          wp[0][l].map((v, k) => v + steps[i] * b[k]),
          { rtol: 1e-12, atol: 1e-12 },
        ),
      ),
    );
  });

  it('Tensor in → Tensor out of shape [steps, D] / [steps, L, D]', () => {
    const t = tf.tensor2d(code);
    const out = linearInterpolate(t, b, { steps: 4 });
    expect(out.shape).toEqual([4, D]);
    expect(dot(Array.from(out.dataSync().slice(0, D)), b)).toBeCloseTo(-3, 4);
    const t3 = tf.zeros([1, 2, D]);
    const out3 = linearInterpolate(t3, b, { steps: 3 });
    expect(out3.shape).toEqual([3, 2, D]);
    tf.dispose([t, out, t3, out3]);
  });

  it('rejects a batch of codes, mismatched dims and non-unit boundaries', () => {
    expect(() => linearInterpolate([code[0], code[0]], b)).toThrow(/linearInterpolate: 'code' must have shape \[1, D\] \(Z\/W\) or \[1, L, D\] \(W\+\); got \[2, 8\]/);
    expect(() => linearInterpolate(code, randUnit(D - 1, 1))).toThrow(/'boundary' must have dimension D = 8/);
    expect(() =>
      linearInterpolate(
        code,
        b.map((v) => v * 2),
      ),
    ).toThrow(/unit-norm/);
  });
});

describe('lerp / slerp', () => {
  it('lerp is (1 − t)a + tb, stacked for a list of t', () => {
    expectClose(lerp([0, 2], [4, 6], 0.25), [1, 3]);
    expectClose(lerp([[0, 2]], [[4, 6]], [0, 1]), [[[0, 2]], [[4, 6]]]);
  });

  it('slerp keeps the norm of equal-norm endpoints and moves at constant angular speed', () => {
    const a = randVec(32, 1);
    const b0 = randVec(32, 2);
    const b = b0.map((v) => (v * nrm(a)) / nrm(b0));
    const ts = [0, 0.1, 0.3, 0.5, 0.9, 1];
    const out = slerp(a, b, ts) as unknown as number[][];
    const omega = Math.acos(dot(a, b) / (nrm(a) * nrm(b)));
    out.forEach((v, i) => {
      expect(Math.abs(nrm(v) - nrm(a)) / nrm(a)).toBeLessThan(1e-12);
      expect(Math.acos(Math.min(1, dot(v, a) / (nrm(v) * nrm(a))))).toBeCloseTo(ts[i] * omega, 6);
    });
    expectClose(out[0], a, { rtol: 1e-12, atol: 1e-12 });
    expectClose(out[5], b, { rtol: 1e-12, atol: 1e-12 });
  });

  it('slerp is correct for nearly parallel vectors (angle 1e-9): finite, norm-preserving, between the endpoints', () => {
    const a = randUnit(16, 3);
    const perp = unit(randVec(16, 4).map((v, i) => v - dot(randVec(16, 4), a) * a[i]));
    const eps = 1e-9;
    const b = a.map((v, i) => Math.cos(eps) * v + Math.sin(eps) * perp[i]);
    const mid = slerp(a, b, 0.5) as number[];
    const expected = a.map((v, i) => Math.cos(eps / 2) * v + Math.sin(eps / 2) * perp[i]);
    expectClose(mid, expected, { rtol: 1e-12, atol: 1e-15 });
    const same = slerp(a, a, 0.3) as number[];
    expectClose(same, a, { rtol: 1e-14, atol: 1e-15 });
  });

  it('slerp works row-wise on Tensors and rejects antiparallel rows and shape mismatches', () => {
    const a = tf.tensor2d([
      [1, 0],
      [0, 2],
    ]);
    const b = tf.tensor2d([
      [0, 1],
      [2, 0],
    ]);
    const out = slerp(a, b, 0.5);
    expectClose(
      out,
      tf.tensor2d([
        [Math.SQRT1_2, Math.SQRT1_2],
        [Math.SQRT2, Math.SQRT2],
      ]),
      { rtol: 1e-6 },
    );
    tf.dispose([a, b, out]);
    expect(() => slerp([1, 0], [-1, 0], 0.5)).toThrow(/slerp: row 0 of 'a' and 'b' are antiparallel/);
    expect(() => slerp([1, 0], [1, 0, 0], 0.5)).toThrow(/slerp: 'a' and 'b' must have the same shape/);
  });
});

describe('sampleLatents', () => {
  it('is reproducible by seed and has the requested distribution', () => {
    const a = sampleLatents(2000, 8, { seed: 5, output: 'array' });
    const b = sampleLatents(2000, 8, { seed: 5, output: 'array' });
    expect(a).toEqual(b);
    const flat = a.flat();
    const mean = flat.reduce((s, v) => s + v, 0) / flat.length;
    const v = flat.reduce((s, x) => s + (x - mean) ** 2, 0) / flat.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
    const t = sampleLatents(500, 4, { distribution: 'truncated', truncation: 0.5, seed: 1, output: 'array' }).flat();
    expect(Math.max(...t.map(Math.abs))).toBeLessThanOrEqual(1.0);
    // truncnorm(−2, 2) has variance 0.7737; ×0.5 → 0.1934
    const tv = t.reduce((s, x) => s + x * x, 0) / t.length;
    expect(Math.abs(tv - 0.1934)).toBeLessThan(0.02);
    const u = sampleLatents(500, 4, { distribution: 'uniform', seed: 1, output: 'array' }).flat();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThan(1);
    const tens = sampleLatents(3, 4, { seed: 5 });
    expect(tens.shape).toEqual([3, 4]);
    tens.dispose();
    expect(() => sampleLatents(0, 4)).toThrow(/sampleLatents: 'n' must be a positive integer; got 0/);
  });
});

describe('attributeVector / applyAttribute (Glow, DFC-VAE)', () => {
  it('is mean(with) − mean(without), scaled; applyAttribute adds f·v; projectOnAttribute reads z·v/‖v‖²', () => {
    const z = [
      [1, 2],
      [3, 4],
      [0, 0],
      [2, -2],
    ];
    const v = attributeVector(z, [1, 1, -1, -1]);
    expectClose(v, [1, 4]); // (2, 3) − (1, −1)
    expectClose(attributeVector(z, [true, true, false, false], { scale: 1.6 }), [1.6, 6.4]);
    expectClose(
      applyAttribute(
        [
          [0, 0],
          [1, 1],
        ],
        v,
        [1, -2],
      ),
      [
        [1, 4],
        [-1, -7],
      ],
    );
    expectClose(
      projectOnAttribute(
        [
          [1, 4],
          [2, 8],
        ],
        v,
      ),
      [1, 2],
    );
    expect(() => attributeVector(z, [1, 1, 1, 1])).toThrow(/attributeVector: need latents with and without the attribute; got 4 with and 0 without/);
    expect(() => attributeVector(z, [1, 0])).toThrow(/'labels' must have one entry per latent \(4\); got 2/);
    expect(() => applyAttribute(z, [1, 2, 3], 1)).toThrow(/applyAttribute: 'v' must have dimension D = 2 like 'z'; got 3/);
  });

  it('attributeRange is the Glow strip z + α·v, α = linspace(−1, 1, points)', () => {
    expectClose(attributeRange([1, 1], [2, 0], 3), [
      [-1, 1],
      [1, 1],
      [3, 1],
    ]);
    const t = tf.tensor2d([[0, 0]]);
    const r = attributeRange(t, [1, 1], 2) as tf.Tensor;
    expectClose(
      r,
      tf.tensor2d([
        [-1, -1],
        [1, 1],
      ]),
    );
    tf.dispose([t, r]);
    expect(() => attributeRange([1, 1], [1], 3)).toThrow(/attributeRange: 'v' must have dimension D = 2 like 'z'; got 1/);
  });

  it('Tensor in → Tensor out', () => {
    const z = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const v = attributeVector(z, tf.tensor1d([1, 0]));
    expect(v.shape).toEqual([2]);
    const z2 = applyAttribute(z, v, 0.5);
    expectClose(
      z2,
      tf.tensor2d([
        [0, 1],
        [2, 3],
      ]),
    );
    tf.dispose([z, v, z2]);
  });
});

describe('pcaEdit (GANSpace layer-wise edit)', () => {
  it('adds component·sigma·stdev to layers [start, end) only', () => {
    const codes = [
      [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    ];
    const out = pcaEdit(codes, [1, 2], 2, { layers: [1, 3], stdev: 0.5 }) as number[][][];
    expect(out).toEqual([
      [
        [0, 0],
        [1, 2],
        [1, 2],
        [0, 0],
      ],
    ]);
    expectClose(pcaEdit([[1, 1]], [1, 0], -1), [[0, 1]]);
    const t = tf.zeros([2, 3, 2]);
    const te = pcaEdit(t, [1, 1], 1, { layers: [0, 1] });
    expect(te.shape).toEqual([2, 3, 2]);
    expectClose(
      te,
      tf.tensor3d([
        [
          [1, 1],
          [0, 0],
          [0, 0],
        ],
        [
          [1, 1],
          [0, 0],
          [0, 0],
        ],
      ]),
    );
    tf.dispose([t, te]);
    expect(() => pcaEdit(codes, [1, 2], 1, { layers: [2, 5] })).toThrow(/pcaEdit: 'layers' must be \[start, end\) with 0 ≤ start < end ≤ 4; got \[2, 5\)/);
    expect(() => pcaEdit(codes, [1, 2, 3], 1)).toThrow(/'component' must have length D = 2; got 3/);
  });
});

describe('bad input across the toolkit', () => {
  const X = sampleLatents(30, 5, { seed: 2, output: 'array' });
  it('k > dim, NaN rows, ragged rows, mismatched lengths', () => {
    expect(() => pca(X, 6)).toThrow(/pca: 'k' must be an integer in \[1, dim = 5\]; got 6/);
    const bad = X.map((r) => r.slice());
    bad[7][2] = NaN;
    expect(() => pca(bad, 2)).toThrow(/pca: 'X' must be finite; row 7 column 2 is NaN/);
    expect(() =>
      regressionAxes(
        bad,
        X.map((r) => r[0]),
      ),
    ).toThrow(/regressionAxes: 'z' must be finite; row 7/);
    expect(() => regressionAxes(X, [1, 2, 3])).toThrow(/regressionAxes: 'y' must have one row per latent \(30\); got 3/);
    expect(() => pca([[1, 2], [3]], 1)).toThrow(/pca: 'X' must be rectangular; row 0 has 2 entries but row 1 has 1/);
    expect(() => trainBoundary(X, [1, 2])).toThrow(/trainBoundary: 'scores' must be \[N, 1\] with N = 30; got 2 scores/);
    expect(() =>
      trainBoundary(
        X,
        X.map((r) => r[0]),
        { chosenNumOrRatio: 0 },
      ),
    ).toThrow(/'chosenNumOrRatio' must be positive; got 0/);
    expect(() => pca(X, 2, { method: 'incremental', batchSize: 1 })).toThrow(/'batchSize' must be an integer ≥ k = 2; got 1/);
  });
});

describe('pcaTargetEdit (GANSpace teaser edits)', () => {
  it('sets the scaled coordinate ((w − mean)·comp)/stdev to the target on the chosen layers', () => {
    const comp = [0.6, 0.8];
    const mean = [1, 1];
    const codes = [
      [
        [1, 1],
        [2, 3],
        [2, 3],
      ],
      [
        [0, 0],
        [0, 0],
        [5, 5],
      ],
    ];
    const out = pcaTargetEdit(codes, comp, { mean, stdev: 2, target: 3, layers: [1, 3] }) as number[][][];
    const coord = (w: number[]) => ((w[0] - mean[0]) * comp[0] + (w[1] - mean[1]) * comp[1]) / 2;
    expect(coord(out[0][1])).toBeCloseTo(3, 12);
    expect(coord(out[1][1])).toBeCloseTo(3, 12);
    expect(out[0][0]).toEqual([1, 1]); // layer 0 untouched
    // layer 2 gets the same offset as layer 1 (computed from the first edited layer)
    expectClose(
      out[1][2].map((v, i) => v - codes[1][2][i]),
      out[1][1].map((v, i) => v - codes[1][1][i]),
      { atol: 1e-12 },
    );
    const t = tf.tensor2d([
      [1, 1],
      [3, 2],
    ]);
    const ot = pcaTargetEdit(t, comp, { mean, stdev: 1, target: -1 });
    const rows = ot.arraySync() as number[][];
    rows.forEach((w) => expect((w[0] - 1) * 0.6 + (w[1] - 1) * 0.8).toBeCloseTo(-1, 5));
    tf.dispose([t, ot]);
  });
});
