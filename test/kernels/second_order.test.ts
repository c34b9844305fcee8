import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkGradients, expectClose, checkSecondOrder, describeEachBackend, expectNoLeak, randomNormal } from '../helpers/index.js';

// Inputs kept away from the kinks (|x| ≥ 0.1) so finite differences are valid.
function awayFromZero(shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const z = randomNormal(shape, seed);
    return tf.add(z, tf.mul(tf.sign(z), 0.1));
  });
}

describeEachBackend('second-order gradients through piecewise-linear activations', () => {
  let x: tf.Tensor;
  let w: tf.Tensor;
  beforeAll(() => {
    x = awayFromZero([2, 5], 3);
    w = randomNormal([5, 3], 4);
  });
  afterAll(() => tf.dispose([x, w]));
  // A tiny critic: the gradient penalty differentiates ∇ₓ f, so f must be twice differentiable.
  const critic = (act: (h: tf.Tensor) => tf.Tensor) => (y: tf.Tensor) => tf.sum(tf.square(act(tf.matMul(y, w)))) as tf.Scalar;

  it('leakyRelu (WGAN-GP inside a critic) matches finite differences of the gradient', () => {
    checkSecondOrder(
      critic((h) => tf.leakyRelu(h, 0.2)),
      x,
    );
  });
  it('maximum and minimum against a constant', () => {
    checkSecondOrder(
      critic((h) => tf.maximum(h, tf.mul(h, 0.3))),
      x,
    );
    checkSecondOrder(
      critic((h) => tf.minimum(h, tf.mul(h, 0.3))),
      x,
    );
  });
  it('relu6, selu, clipByValue, prelu, abs and elu', () => {
    checkSecondOrder(
      critic((h) => tf.relu6(tf.mul(h, 3))),
      x,
    );
    checkSecondOrder(
      critic((h) => tf.selu(h)),
      x,
    );
    checkSecondOrder(
      critic((h) => tf.clipByValue(h, -0.7, 0.9)),
      x,
    );
    checkSecondOrder(
      critic((h) => tf.prelu(h, tf.tensor1d([0.1, 0.2, 0.3]))),
      x,
    );
    checkSecondOrder(
      critic((h) => tf.abs(h)),
      x,
    );
    checkSecondOrder(
      critic((h) => tf.elu(h)),
      x,
    );
  });
  it('tanh, sigmoid, exp and softmax (stock gradients lost the path through their saved output)', () => {
    checkSecondOrder(
      critic((h) => tf.tanh(h)),
      x,
    );
    checkSecondOrder(
      critic((h) => tf.sigmoid(h)),
      x,
    );
    checkSecondOrder(
      critic((h) => tf.exp(tf.mul(h, 0.5))),
      x,
    );
    checkSecondOrder(
      critic((h) => tf.softmax(h)),
      x,
    );
    // d²/dx² Σ eˣ = eˣ: the stock gradient threw "Cannot compute gradient" here.
    const p = tf.tensor1d([-0.5, 0.7]);
    const g2 = tf.grad((y: tf.Tensor) => tf.sum(tf.grad((z: tf.Tensor) => tf.sum(tf.exp(z)) as tf.Scalar)(y)) as tf.Scalar)(p);
    expectClose(g2, [Math.exp(-0.5), Math.exp(0.7)]);
    tf.dispose([p, g2]);
  });
  it('the gradient of a gradient penalty with respect to the weights matches finite differences', () => {
    // gp(w) = ‖∇ₓ f(x; w)‖² with f = Σ leakyRelu(x·w)²
    const gp = (ww: tf.Tensor) => {
      const f = (y: tf.Tensor) => tf.sum(tf.square(tf.leakyRelu(tf.matMul(y, ww), 0.2))) as tf.Scalar;
      return tf.sum(tf.square(tf.grad(f)(x))) as tf.Scalar;
    };
    checkGradients(gp, [w]);
  });
  it('comparison ops have a zero gradient for both inputs', () => {
    const a = tf.tensor2d([[1, -2, 3]]);
    const b = tf.tensor1d([0.5, 0.5, 4]);
    for (const op of [tf.greater, tf.less, tf.lessEqual, tf.equal, tf.notEqual]) {
      const [ga, gb] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.cast(op(p, q), 'float32')) as tf.Scalar)([a, b]);
      expect(ga.shape).toEqual([1, 3]);
      expect(gb.shape).toEqual([3]);
      expect(Array.from(ga.dataSync())).toEqual([0, 0, 0]);
      expect(Array.from(gb.dataSync())).toEqual([0, 0, 0]);
      tf.dispose([ga, gb]);
    }
    tf.dispose([a, b]);
  });
  it('leaks no tensors', async () => {
    await expectNoLeak(() => tf.tidy(() => tf.grad((y: tf.Tensor) => tf.sum(tf.square(tf.grad(critic((h) => tf.leakyRelu(h, 0.2)))(y))) as tf.Scalar)(x)));
  });
});

describeEachBackend('second-order gradients through pooling, resizing and depthwise convs (gradient penalty in a conv critic)', () => {
  let x: tf.Tensor;
  let dw: tf.Tensor;
  beforeAll(() => {
    x = randomNormal([2, 6, 6, 2], 11);
    dw = randomNormal([3, 3, 2, 1], 12);
  });
  afterAll(() => tf.dispose([x, dw]));
  const penaltyOf = (f: (y: tf.Tensor) => tf.Tensor) => (y: tf.Tensor) => tf.sum(tf.square(f(y))) as tf.Scalar;
  it.each([
    ['maxPool', (y: tf.Tensor) => tf.maxPool(y as tf.Tensor4D, 2, 2, 'valid')],
    ['maxPool (overlapping, same)', (y: tf.Tensor) => tf.maxPool(y as tf.Tensor4D, 3, 2, 'same')],
    ['avgPool3d', (y: tf.Tensor) => tf.avgPool3d(tf.reshape(y, [2, 6, 6, 2, 1]) as tf.Tensor5D, 2, 2, 'valid')],
    ['resizeBilinear (half-pixel)', (y: tf.Tensor) => tf.image.resizeBilinear(y as tf.Tensor4D, [9, 7], false, true)],
    ['resizeNearestNeighbor', (y: tf.Tensor) => tf.image.resizeNearestNeighbor(y as tf.Tensor4D, [12, 9])],
  ] as const)('%s', (_name, f) => {
    checkSecondOrder(penaltyOf(f), x, { maxElements: 16 });
  });
  it('depthwiseConv2d and separableConv2d (input and filter paths)', () => {
    checkSecondOrder(
      penaltyOf((y) => tf.depthwiseConv2d(y as tf.Tensor4D, dw as tf.Tensor4D, 2, 'same')),
      x,
      { maxElements: 16 },
    );
    checkSecondOrder((w) => tf.sum(tf.square(tf.grad((y: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(y as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'))))(x))) as tf.Scalar, dw);
  });
  it('cumsum along a non-last axis: first order matches the closed form (stock transposed it)', () => {
    const a = randomNormal([3, 3], 13);
    const v = randomNormal([3, 3], 14);
    const g = tf.grad((y: tf.Tensor) => tf.sum(tf.mul(tf.cumsum(y, 0), v)))(a);
    // ∂/∂a[i][j] = Σ_{k ≥ i} v[k][j]
    const vs = v.arraySync() as number[][];
    const want = vs.map((_, i) => vs[0].map((__, j) => vs.slice(i).reduce((s, row) => s + row[j], 0)));
    expectClose(g, want);
    tf.dispose([a, v, g]);
  });
});

describeEachBackend('gradient penalty of a strided conv critic (WGAN-GP / R1 on a DCGAN discriminator)', () => {
  it('∂/∂θ ‖∇ₓD(x)‖² matches finite differences for the conv weights', () => {
    const x = randomNormal([2, 8, 8, 3], 21);
    const w1 = randomNormal([4, 4, 3, 4], 22, 0.3);
    const w2 = randomNormal([4, 4, 4, 2], 23, 0.3);
    const critic = (img: tf.Tensor, k1: tf.Tensor, k2: tf.Tensor) => {
      // Smooth activations: with leakyRelu the penalty jumps where a unit changes sign, and finite
      // differences across a jump are meaningless (leakyRelu itself is covered above).
      const h = tf.softplus(tf.conv2d(img as tf.Tensor4D, k1 as tf.Tensor4D, 2, 'same'));
      return tf.sum(tf.tanh(tf.conv2d(h, k2 as tf.Tensor4D, 2, 'same'))) as tf.Scalar;
    };
    const penalty = (k1: tf.Tensor, k2: tf.Tensor) => tf.sum(tf.square(tf.grad((img: tf.Tensor) => critic(img, k1, k2))(x))) as tf.Scalar;
    checkGradients(penalty, [w1, w2], { maxElements: 24 });
    tf.dispose([x, w1, w2]);
  });
});
