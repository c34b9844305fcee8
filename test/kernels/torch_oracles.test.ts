import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import { describeEachBackend, expectClose, expectNoLeak, loadFixture } from '../helpers/index.js';

// Fixture: scripts/fixtures/kernels_torch.py (PyTorch, float64). Independent of tfjs's own kernels.
interface Arr {
  shape: number[];
  data: number[];
}
const fx = loadFixture('kernels_torch');
const T = (a: Arr) => tf.tensor(a.data, a.shape);
const TOL = { rtol: 1e-4, atol: 1e-4 };

/** Value of f and the gradients of ⟨f(…), v⟩ with respect to every input. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], v: tf.Tensor): { y: tf.Tensor; grads: tf.Tensor[] } {
  const y = f(...inputs);
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), v)))(inputs);
  return { y, grads };
}

describeEachBackend('kernels and gradients against PyTorch (float64 fixtures)', () => {
  it('conv2dTranspose k4 s2 same: value, input and filter gradients (= F.conv_transpose2d, padding 1)', () => {
    const c = fx.conv2d_transpose;
    const [x, w, v] = [T(c.x), T(c.filter), T(c.v)];
    const { y, grads } = valueAndGrads((a, b) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, c.outputShape, 2, 'same'), [x, w], v);
    expectClose(y, T(c.y), TOL);
    expectClose(grads[0], T(c.dx), TOL);
    expectClose(grads[1], T(c.dfilter), TOL);
    tf.dispose([x, w, v, y, ...grads]);
  });

  it('conv3dTranspose k3 s2 same (HoloGAN): value and both gradients (stock wasm: wrong values; both backends: no gradient)', () => {
    const c = fx.conv3d_transpose;
    const [x, w, v] = [T(c.x), T(c.filter), T(c.v)];
    const { y, grads } = valueAndGrads((a, b) => tf.conv3dTranspose(a as tf.Tensor5D, b as tf.Tensor5D, c.outputShape, 2, 'same'), [x, w], v);
    expectClose(y, T(c.y), TOL);
    expectClose(grads[0], T(c.dx), TOL);
    expectClose(grads[1], T(c.dfilter), TOL);
    tf.dispose([x, w, v, y, ...grads]);
  });

  it('conv3d k3 s2 same: value, input and filter gradients (stock wasm: wrong gradients)', () => {
    const c = fx.conv3d;
    const [x, w, v] = [T(c.x), T(c.filter), T(c.v)];
    const { y, grads } = valueAndGrads((a, b) => tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, 2, 'same'), [x, w], v);
    expectClose(y, T(c.y), TOL);
    expectClose(grads[0], T(c.dx), TOL);
    expectClose(grads[1], T(c.dfilter), TOL);
    tf.dispose([x, w, v, y, ...grads]);
  });

  it('resizeBilinear with half-pixel centres, up and down, batch 2: value and gradient (= F.interpolate align_corners=False)', () => {
    for (const c of fx.resize_bilinear_half_pixel) {
      const [x, v] = [T(c.x), T(c.v)];
      const { y, grads } = valueAndGrads((a) => tf.image.resizeBilinear(a as tf.Tensor4D, c.size, false, true), [x], v);
      expectClose(y, T(c.y), TOL);
      expectClose(grads[0], T(c.dx), TOL);
      tf.dispose([x, v, y, ...grads]);
    }
  });

  it('resizeNearestNeighbor, batch 2: value and gradient (= F.interpolate nearest)', () => {
    const c = fx.resize_nearest_batch2;
    const [x, v] = [T(c.x), T(c.v)];
    const { y, grads } = valueAndGrads((a) => tf.image.resizeNearestNeighbor(a as tf.Tensor4D, c.size), [x], v);
    expectClose(y, T(c.y), TOL);
    expectClose(grads[0], T(c.dx), TOL);
    tf.dispose([x, v, y, ...grads]);
  });

  it("mirrorPad 'reflect': value and gradient (= F.pad reflect)", () => {
    const c = fx.mirror_pad_reflect;
    const [x, v] = [T(c.x), T(c.v)];
    const { y, grads } = valueAndGrads((a) => tf.mirrorPad(a, c.paddings, 'reflect'), [x], v);
    expectClose(y, T(c.y), TOL);
    expectClose(grads[0], T(c.dx), TOL);
    tf.dispose([x, v, y, ...grads]);
  });

  it('maxPool 2×2 s2 on all-negative inputs: value and gradient (= F.max_pool2d)', () => {
    const c = fx.max_pool_negative;
    const [x, v] = [T(c.x), T(c.v)];
    const { y, grads } = valueAndGrads((a) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), [x], v);
    expectClose(y, T(c.y), TOL);
    expectClose(grads[0], T(c.dx), TOL);
    tf.dispose([x, v, y, ...grads]);
  });

  it('leaks no tensors', async () => {
    const c = fx.conv3d_transpose;
    const [x, w, v] = [T(c.x), T(c.filter), T(c.v)];
    await expectNoLeak(() => {
      const r = valueAndGrads((a, b) => tf.conv3dTranspose(a as tf.Tensor5D, b as tf.Tensor5D, c.outputShape, 2, 'same'), [x, w], v);
      return [r.y, ...r.grads];
    });
    tf.dispose([x, w, v]);
  });
});
