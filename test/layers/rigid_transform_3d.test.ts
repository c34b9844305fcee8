import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { rigidTransform3d, RigidTransform3D, hologanRotationMatrix } from '../../src/layers/rigid_transform_3d.js';
import { resolveTrilinearImplementation, trilinearSample } from '../../src/layers/trilinear_sample.js';
import { sampleViews, HOLOGAN_CELEBA_VIEW_RANGES } from '../../src/layers/view_sampling.js';
import { saveModel, loadModel } from '../../src/io/model_io.js';
import { checkGradients, expectClose, expectNoLeak, loadFixture, randomNormal, randomUniform, closeness } from '../helpers/index.js';

interface RigidCase {
  name: string;
  volumeShape: number[];
  volume: number[];
  view: number[];
  outputSize: [number, number, number];
  [key: string]: unknown;
}
const fixture = loadFixture<{ cases: RigidCase[] }>('layers_rigid_transform');
const deg = Math.PI / 180;

/** Compare only where mask = 1 (samples not within 1e-4 of the reference rule's jump to zero). */
function expectCloseMasked(actual: tf.Tensor, expected: number[], mask: number[], channels: number, atol: number): number {
  const a = actual.dataSync();
  expect(a.length).toBe(expected.length);
  let compared = 0;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (mask[Math.floor(i / channels)] !== 1) continue;
    compared++;
    worst = Math.max(worst, Math.abs(a[i] - expected[i]));
  }
  expect(worst, `max |diff| over ${compared} compared values`).toBeLessThan(atol);
  return compared;
}

describe.each(['javascript', 'tensor-ops'] as const)('rigidTransform3d (HoloGAN tools/rotation_utils.py tf_3D_transform), %s implementation', (implementation) => {
  for (const c of fixture.cases) {
    for (const matchImage of [false, true]) {
      const key = matchImage ? 'match' : 'plain';
      it(`matches an independent PyTorch port of the reference formula: ${c.name}, matchImage ${matchImage}`, () => {
        tf.tidy(() => {
          const volume = tf.tensor(c.volume, c.volumeShape);
          const view = tf.tensor2d(c.view, [c.volumeShape[0], 6]);
          const out = rigidTransform3d(volume, view, { implementation, matchImage, outputSize: c.outputSize });
          expect(out.shape).toEqual(c[`reference_${key}_shape`]);
          const mask = c[`reference_${key}_mask`] as number[];
          const compared = expectCloseMasked(out, c[`reference_${key}`] as number[], mask, c.volumeShape[4], 2e-4);
          // The ambiguity mask must leave most of the output to compare.
          expect(compared).toBeGreaterThan(0.6 * out.size);
        });
      });
      it(`boundary 'zeros' matches torch grid_sample(trilinear, zeros, align_corners=True): ${c.name}, matchImage ${matchImage}`, () => {
        tf.tidy(() => {
          const volume = tf.tensor(c.volume, c.volumeShape);
          const view = tf.tensor2d(c.view, [c.volumeShape[0], 6]);
          const out = rigidTransform3d(volume, view, { implementation, matchImage, outputSize: c.outputSize, boundary: 'zeros' });
          expectClose(out, c[`zeros_${key}`] as number[], { atol: 2e-4, rtol: 1e-4 });
        });
      });
    }
    it(`gradients w.r.t. volume and view match torch autograd through grid_sample: ${c.name}`, () => {
      tf.tidy(() => {
        const volume = tf.tensor(c.volume, c.volumeShape);
        const view = tf.tensor2d(c.view, [c.volumeShape[0], 6]);
        const outShape = c['reference_match_shape'] as number[];
        const w = tf.tensor(c['grad_weights'] as number[], outShape);
        const [gv, gview] = tf.grads((v: tf.Tensor, p: tf.Tensor) => tf.sum(tf.mul(rigidTransform3d(v, p, { implementation, outputSize: c.outputSize, boundary: 'zeros' }), w)))([volume, view]);
        expectClose(gv, c['zeros_grad_volume'] as number[], { atol: 2e-4, rtol: 1e-4 });
        // Views that put every sample on an integer lattice point (multiples of 90° azimuth, no
        // elevation/scale/shift) sit on the kinks of trilinear interpolation, where the view
        // gradient is one-sided and implementation-defined: compare the generic rows only.
        const views = view.arraySync();
        const expected = c['zeros_grad_view'] as number[];
        const rows = gview.arraySync() as number[][];
        let compared = 0;
        views.forEach(([a, e, s, x, y, z], b) => {
          const lattice = Math.abs(Math.sin(2 * a)) < 1e-6 && e === 0 && s === 1 && x === 0 && y === 0 && z === 0;
          if (lattice) return;
          // Without a shift, samples on the rotation axis keep integer coordinates: the scale and
          // shift gradients touch those kinks, the angle gradients do not (the axis does not move).
          const shifted = x !== 0 || y !== 0 || z !== 0;
          const n = shifted ? 6 : 2;
          expectClose(rows[b].slice(0, n), expected.slice(6 * b, 6 * b + n), { atol: 2e-2, rtol: 2e-3 });
          compared++;
        });
        expect(compared).toBeGreaterThan(0);
      });
    });
  }

  it('the identity view (azimuth π/2, elevation 0, scale 1, no shift) reproduces the input exactly', () => {
    tf.tidy(() => {
      const v = randomNormal([2, 4, 5, 6, 3], 11);
      const view = tf.tensor2d([90 * deg, 0, 1, 0, 0, 0, 90 * deg, 0, 1, 0, 0, 0], [2, 6]);
      // 'zeros' boundary: every voxel, bit for bit.
      expect(Array.from(rigidTransform3d(v, view, { implementation, matchImage: false, boundary: 'zeros' }).dataSync())).toEqual(Array.from(v.dataSync()));
      // Reference boundary: every voxel except the last index along each axis, which the reference rule zeroes.
      const ref = rigidTransform3d(v, view, { implementation, matchImage: false });
      const interior = tf.slice(v, [0, 0, 0, 0, 0], [2, 3, 4, 5, 3]);
      expect(Array.from(tf.slice(ref, [0, 0, 0, 0, 0], [2, 3, 4, 5, 3]).dataSync())).toEqual(Array.from(interior.dataSync()));
      const lastZ = tf.slice(ref, [0, 3, 0, 0, 0], [2, 1, 5, 6, 3]);
      const lastX = tf.slice(ref, [0, 0, 0, 5, 0], [2, 4, 5, 1, 3]);
      expect(tf.max(tf.abs(lastZ)).dataSync()[0]).toBe(0);
      expect(tf.max(tf.abs(lastX)).dataSync()[0]).toBe(0);
      // matchImage: the reference's transpose(0, 2, 1, 3, 4) + reverse(axis 1) of the input.
      const matched = rigidTransform3d(v, view, { implementation, boundary: 'zeros' });
      expect(matched.shape).toEqual([2, 5, 4, 6, 3]);
      expect(Array.from(matched.dataSync())).toEqual(Array.from(tf.reverse(tf.transpose(v, [0, 2, 1, 3, 4]), 1).dataSync()));
    });
  });

  it('+90° then −90° of azimuth recovers the interior voxels', () => {
    tf.tidy(() => {
      const v = randomNormal([1, 8, 8, 8, 2], 12);
      const there = rigidTransform3d(v, tf.tensor2d([[180 * deg, 0, 1, 0, 0, 0]]), { implementation, matchImage: false, boundary: 'zeros' });
      const back = rigidTransform3d(there, tf.tensor2d([[0, 0, 1, 0, 0, 0]]), { implementation, matchImage: false, boundary: 'zeros' });
      // The azimuth turns the x–z plane about voxel coordinate 4: x, z in [1, 7] map inside the grid.
      const inner = (t: tf.Tensor) => tf.slice(t, [0, 1, 0, 1, 0], [1, 7, 8, 7, 2]);
      expectClose(inner(back), inner(v), { atol: 1e-5 });
      // …and the turn itself is not the identity.
      expect(closeness(inner(there), inner(v), { atol: 1e-3 }).worst).toBeGreaterThan(0);
    });
  });

  it('+θ then −θ (azimuth 20°, elevation 10°) recovers the interior of a linear field exactly', () => {
    tf.tidy(() => {
      const n = 10;
      const data = new Float32Array(n * n * n);
      for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) data[(z * n + y) * n + x] = 0.3 + 0.5 * x - 0.2 * y + 0.7 * z;
      const v = tf.tensor(data, [1, n, n, n, 1]);
      const a = 20 * deg;
      const e = 10 * deg;
      // R = Rz(e)·Ry(a−π/2); the inverse rotation Ry(−(a−π/2))·Rz(−e) is applied as two transforms.
      const step1 = rigidTransform3d(v, tf.tensor2d([[a + Math.PI / 2, e, 1, 0, 0, 0]]), { implementation, matchImage: false });
      const step2 = rigidTransform3d(step1, tf.tensor2d([[Math.PI / 2, -e, 1, 0, 0, 0]]), { implementation, matchImage: false });
      const step3 = rigidTransform3d(step2, tf.tensor2d([[-a + Math.PI / 2, 0, 1, 0, 0, 0]]), { implementation, matchImage: false });
      const inner = (t: tf.Tensor) => tf.slice(t, [0, 4, 4, 4, 0], [1, 3, 3, 3, 1]);
      expectClose(inner(step3), inner(v), { atol: 2e-4 });
      expect(closeness(inner(step1), inner(v), { atol: 1e-2 }).worst).toBeGreaterThan(0);
    });
  });

  it('builds R = Rot_Z(elevation)·Rot_Y(azimuth − π/2)', () => {
    tf.tidy(() => {
      const a = 0.7;
      const e = -0.3;
      const r = hologanRotationMatrix(tf.tensor2d([[a, e]])).arraySync()[0];
      const ar = a - Math.PI / 2;
      const rz = [
        [Math.cos(e), Math.sin(e), 0],
        [-Math.sin(e), Math.cos(e), 0],
        [0, 0, 1],
      ];
      const ry = [
        [Math.cos(ar), 0, -Math.sin(ar)],
        [0, 1, 0],
        [Math.sin(ar), 0, Math.cos(ar)],
      ];
      const expected = rz.map((row) => [0, 1, 2].map((j) => row.reduce((s, v, k) => s + v * ry[k][j], 0)));
      expectClose(r, expected, { atol: 1e-6 });
      // shapenet_viewer skips the −π/2.
      const rs = hologanRotationMatrix(tf.tensor2d([[0, 0]]), true).arraySync()[0];
      expectClose(
        rs,
        [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        { atol: 1e-7 },
      );
    });
  });

  it('has finite-difference gradients w.r.t. the volume (reference boundary) and the view (zeros boundary)', () => {
    const v = randomNormal([1, 4, 4, 4, 2], 13);
    const w = randomNormal([1, 4, 4, 4, 2], 14);
    const view = tf.tensor2d([[1.93, 0.17, 1.07, 0.11, -0.23, 0.16]]);
    checkGradients((x) => tf.sum(tf.mul(rigidTransform3d(x, view, { implementation }), w)), [v]);
    checkGradients((p) => tf.sum(tf.mul(rigidTransform3d(v, p, { implementation, boundary: 'zeros' }), w)), [view], { eps: 1e-3, rtol: 3e-2, atol: 2e-2 });
    tf.dispose([v, w, view]);
  });

  it('is twice differentiable along the volume path (the volume gradient is the adjoint of sampling)', () => {
    const v = randomNormal([1, 3, 3, 3, 2], 15);
    const w = randomNormal([1, 3, 3, 3, 2], 16);
    const view = tf.tensor2d([[1.8, 0.1, 1.0, 0.1, 0, -0.1]]);
    // h(v) = Σ (∂/∂v Σ w·T(v)²)·u is a quadratic form in v: its gradient must match finite differences.
    const f = (x: tf.Tensor) => tf.sum(tf.mul(tf.square(rigidTransform3d(x, view, { implementation, boundary: 'zeros' })), w)) as tf.Scalar;
    const u = randomNormal([1, 3, 3, 3, 2], 17);
    checkGradients((x) => tf.sum(tf.mul(tf.grad(f)(x), u)), [v]);
    tf.dispose([v, w, view, u]);
  });

  it('rejects bad inputs naming the argument and the expected and actual shapes', () => {
    const v = tf.zeros([2, 4, 4, 4, 3]);
    const good = tf.tensor2d([
      [1, 0, 1, 0, 0, 0],
      [1, 0, 1, 0, 0, 0],
    ]);
    expect(() => rigidTransform3d(tf.zeros([2, 4, 4, 3]), good)).toThrow(/rigidTransform3d: 'volume' must have rank 5; got rank 4 with shape \[2, 4, 4, 3\]/);
    expect(() => rigidTransform3d(v, tf.zeros([2, 5]))).toThrow(/rigidTransform3d: 'view' must have shape \[2, 6\].*got \[2, 5\]/);
    expect(() => rigidTransform3d(v, tf.zeros([3, 6]))).toThrow(/'view' must have shape \[2, 6\].*got \[3, 6\]/);
    expect(() =>
      rigidTransform3d(
        v,
        tf.tensor2d([
          [NaN, 0, 1, 0, 0, 0],
          [1, 0, 1, 0, 0, 0],
        ]),
      ),
    ).toThrow(/rigidTransform3d: 'view' must be finite; element 0 is NaN/);
    expect(() =>
      rigidTransform3d(
        v,
        tf.tensor2d([
          [1, 0, 0, 0, 0, 0],
          [1, 0, 1, 0, 0, 0],
        ]),
      ),
    ).toThrow(/scale.*non-zero/);
    expect(() => trilinearSample(v, tf.zeros([2, 5, 2]), 'reference', implementation)).toThrow(/trilinearSample: 'coords' must have shape \[2, N, 3\].*got \[2, 5, 2\]/);
    tf.dispose([v, good]);
  });

  it('does not leak tensors (forward and backward)', async () => {
    const v = randomNormal([2, 4, 4, 4, 2], 18);
    const view = sampleViews(2, {}, 3);
    await expectNoLeak(() => rigidTransform3d(v, view, { implementation }));
    await expectNoLeak(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(rigidTransform3d(a, b, { implementation })))([v, view]));
    tf.dispose([v, view]);
  });
});

describe('RigidTransform3D layer', () => {
  it('round-trips through saveModel/loadModel inside a model with identical outputs', async () => {
    const volumeIn = tfl.input({ shape: [4, 5, 6, 2] });
    const viewIn = tfl.input({ shape: [6] });
    const layer = new RigidTransform3D({ boundary: 'zeros', outputSize: [4, 4, 6] });
    const out = layer.apply([volumeIn, viewIn]) as tfl.SymbolicTensor;
    expect(out.shape).toEqual([null, 4, 4, 6, 2]);
    const model = tfl.model({ inputs: [volumeIn, viewIn], outputs: out });
    const dir = mkdtempSync(path.join(tmpdir(), 'gankit-rigid-'));
    try {
      await saveModel(model, dir);
      const loaded = await loadModel(dir);
      const v = randomNormal([2, 4, 5, 6, 2], 19);
      const view = sampleViews(2, { withScale: true, scaleLow: 0.9, scaleHigh: 1.1, withTranslation: true, xLow: -0.5, xHigh: 0.5, yLow: -0.5, yHigh: 0.5, zLow: -0.5, zHigh: 0.5 }, 4);
      const a = model.predict([v, view]) as tf.Tensor;
      const b = loaded.predict([v, view]) as tf.Tensor;
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      expect(loaded.layers.find((l) => l instanceof RigidTransform3D)?.getConfig()).toMatchObject({ boundary: 'zeros', matchImage: true, outputSize: [4, 4, 6] });
      tf.dispose([v, view, a, b]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a single input', () => {
    expect(() => new RigidTransform3D().apply(tf.zeros([1, 2, 2, 2, 1]))).toThrow(/expects two inputs \[volume, view\]/);
  });
});

describe('sampleViews (HoloGAN generate_random_rotation_translation)', () => {
  it('draws integer degrees in the CelebA ranges: azimuth [220, 320), elevation 90 − [70, 110)', () => {
    const views = sampleViews(400, {}, 7);
    const d = views.arraySync();
    const az = new Set<number>();
    const el = new Set<number>();
    for (const [a, e, s, x, y, z] of d) {
      const ad = a / deg;
      const ed = e / deg;
      expect(Math.abs(ad - Math.round(ad))).toBeLessThan(1e-4);
      expect(Math.abs(ed - Math.round(ed))).toBeLessThan(1e-4);
      az.add(Math.round(ad));
      el.add(Math.round(ed));
      expect([s, x, y, z]).toEqual([1, 0, 0, 0]);
    }
    expect(Math.min(...az)).toBeGreaterThanOrEqual(220);
    expect(Math.max(...az)).toBeLessThanOrEqual(319);
    expect(Math.min(...el)).toBeGreaterThanOrEqual(-19);
    expect(Math.max(...el)).toBeLessThanOrEqual(20);
    expect(az.size).toBeGreaterThan(80);
    expect(el.size).toBeGreaterThan(35);
    expect(HOLOGAN_CELEBA_VIEW_RANGES).toMatchObject({ azimuthLow: 220, azimuthHigh: 320, elevationLow: 70, elevationHigh: 110 });
    views.dispose();
  });

  it('is reproducible from its seed; one scale per batch; shifts only with translation', () => {
    const a = sampleViews(5, { withScale: true, scaleLow: 0.5, scaleHigh: 2, withTranslation: true }, 9);
    const b = sampleViews(5, { withScale: true, scaleLow: 0.5, scaleHigh: 2, withTranslation: true }, 9);
    const c = sampleViews(5, { withScale: true, scaleLow: 0.5, scaleHigh: 2, withTranslation: true }, 10);
    expect(a.arraySync()).toEqual(b.arraySync());
    expect(a.arraySync()).not.toEqual(c.arraySync());
    const rows = a.arraySync();
    const scales = new Set(rows.map((r) => r[2]));
    expect(scales.size).toBe(1);
    expect([...scales][0]).toBeGreaterThanOrEqual(0.5);
    expect([...scales][0]).toBeLessThan(2);
    for (const r of rows) for (const t of r.slice(3)) expect(Math.abs(t)).toBeLessThanOrEqual(3);
    expect(rows.some((r) => r[3] !== 0)).toBe(true);
    tf.dispose([a, b, c]);
    expect(() => sampleViews(0)).toThrow(/sampleViews: 'batch' must be a positive integer; got 0/);
    expect(() => sampleViews(2, { azimuthLow: 10.5 })).toThrow(/'azimuthLow'\/'azimuthHigh' must be integers/);
  });
});

describe('trilinearSample: the tensor-ops implementation (for webgpu/webgl) against the JavaScript one', () => {
  const coordsFor = (seed: number): tf.Tensor => {
    // Interior samples, samples near and beyond every face, and one exactly on the last index.
    const inner = tf.mul(tf.add(randomUniform([2, 20, 3], seed), 1), 2.4); // [0, 4.8) on a 5³ grid
    const edge = tf.tensor3d([
      [
        [-0.5, 1, 1],
        [4, 2, 2],
        [1.5, 4.2, 0.3],
        [3.99, 3.99, 3.99],
        [2, 2, -1.2],
        [0, 0, 0],
      ],
      [
        [4.5, 4.5, 4.5],
        [1, 1, 1],
        [0.25, 3.75, 2.5],
        [-1, -1, -1],
        [2.2, 0.1, 3.9],
        [3, 3, 3],
      ],
    ]);
    return tf.concat([inner, edge], 1);
  };
  for (const boundary of ['reference', 'zeros'] as const) {
    it(`gives the same values and gradients (volume and coordinates), boundary '${boundary}'`, () => {
      tf.tidy(() => {
        const v = randomNormal([2, 5, 5, 5, 3], 21);
        const c = coordsFor(22);
        const w = randomNormal([2, 26, 3], 23);
        const js = trilinearSample(v, c, boundary, 'javascript');
        const ops = trilinearSample(v, c, boundary, 'tensor-ops');
        expectClose(ops, js, { atol: 1e-6, rtol: 1e-6 });
        const f = (impl: 'javascript' | 'tensor-ops') => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(trilinearSample(a, b, boundary, impl), w)) as tf.Scalar;
        const [gvJs, gcJs] = tf.grads(f('javascript'))([v, c]);
        const [gvOps, gcOps] = tf.grads(f('tensor-ops'))([v, c]);
        expectClose(gvOps, gvJs, { atol: 1e-5, rtol: 1e-5 });
        expectClose(gcOps, gcJs, { atol: 1e-5, rtol: 1e-5 });
      });
    });
  }

  it('has finite-difference gradients in the coordinates and a second order through them', () => {
    const v = randomNormal([1, 4, 4, 4, 2], 24);
    const c = tf.tensor3d([
      [
        [1.3, 0.7, 2.2],
        [0.4, 2.6, 1.1],
        [2.5, 1.5, 0.5],
      ],
    ]);
    const w = randomNormal([1, 3, 2], 25);
    checkGradients((x) => tf.sum(tf.mul(trilinearSample(v, x, 'zeros', 'tensor-ops'), w)), [c], { eps: 1e-3, rtol: 2e-2, atol: 2e-3 });
    // The coordinate gradient of Σ w·s(V, c)² is itself differentiable in V (tensor ops all the way).
    const g = (x: tf.Tensor) => tf.sum(tf.mul(tf.grad((cc: tf.Tensor) => tf.sum(tf.mul(tf.square(trilinearSample(x, cc, 'zeros', 'tensor-ops')), w)))(c), tf.onesLike(c))) as tf.Scalar;
    checkGradients(g, [v], { eps: 1e-3, rtol: 2e-2, atol: 2e-3 });
    tf.dispose([v, c, w]);
  });

  it("'auto' picks JavaScript on cpu and wasm, and rejects an unknown implementation", () => {
    expect(resolveTrilinearImplementation('auto')).toBe('javascript');
    const v = tf.zeros([1, 2, 2, 2, 1]);
    const c = tf.zeros([1, 1, 3]);
    expect(() => trilinearSample(v, c, 'reference', 'webgl' as never)).toThrow(/trilinearSample: 'implementation' must be 'auto', 'javascript' or 'tensor-ops'; got 'webgl'/);
    tf.dispose([v, c]);
  });

  it('does not leak tensors (forward and backward)', async () => {
    const v = randomNormal([2, 5, 5, 5, 3], 26);
    const c = coordsFor(27);
    await expectNoLeak(() => trilinearSample(v, c, 'reference', 'tensor-ops'));
    await expectNoLeak(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(trilinearSample(a, b, 'zeros', 'tensor-ops')))([v, c]));
    tf.dispose([v, c]);
  });
});
