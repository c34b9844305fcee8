import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { buildGanimationCritic, buildGanimationGenerator, ganimationCompose } from '../../src/models/ganimation.js';
import { countTrainableParams, trainableVariables } from '../../src/models/common.js';
import { gradientPenalty } from '../../src/losses/index.js';
import { checkGradients, checkSecondOrder, expectClose, expectNoLeak, loadFixture, lossBeforeAfter, randomUniform } from '../helpers/index.js';
import { type FixtureTensor, fromFixture, roundTrip, setLayerWeights } from './model_test_utils.js';

const G_TINY = { imageSize: 8, numAus: 3, convDim: 2, repeatNum: 1, seed: 1 };
const D_TINY = { imageSize: 8, numAus: 3, convDim: 2, repeatNum: 2, seed: 2 };

describe('GANimation generator and critic (albertpumarola/GANimation)', () => {
  it('has the reference parameter counts at 128×128 with 17 AUs (G 8,471,296; critic 44,860,352)', () => {
    // G by hand (bias-free convs, IN γ, β): 7·7·20·64 = 62,720 + 128; 4·4·64·128 = 131,072 + 256; 4·4·128·256 = 524,288 + 512;
    //   6 residual blocks × (2·9·256·256 + 2·512) = 7,084,032; ConvT 4·4·256·128 = 524,288 + 256; 4·4·128·64 = 131,072 + 128;
    //   heads 7·7·64·3 = 9,408 and 7·7·64·1 = 3,136 → 8,471,296.
    // Critic: convs with bias 3→64→…→2048: 3,136 + 131,200 + 524,544 + 2,097,664 + 8,389,632 + 33,556,480;
    //   patch head 9·2048 = 18,432; AU head 2·2·2048·17 = 139,264 → 44,860,352.
    const g = buildGanimationGenerator();
    expect(countTrainableParams(g)).toBe(8_471_296);
    expect(g.outputs.map((o) => o.shape)).toEqual([
      [null, 128, 128, 3],
      [null, 128, 128, 1],
    ]);
    g.dispose();
    const d = buildGanimationCritic();
    expect(countTrainableParams(d)).toBe(44_860_352);
    expect(d.outputs.map((o) => o.shape)).toEqual([
      [null, 2, 2, 1],
      [null, 17],
    ]);
    d.dispose();
  }, 60_000);

  it('computes the PyTorch reference generator (fixture: generator_wasserstein_gan.py at 8×8, 1 residual block)', () => {
    const fx = loadFixture('models_ganimation');
    const g = buildGanimationGenerator(fx.config);
    setLayerWeights(g, fx.weights as FixtureTensor[][]);
    const [color, attention] = g.predict([fromFixture(fx.image), fromFixture(fx.aus)]) as tf.Tensor[];
    // The fixture is the exact (float64) forward on the same float32 weights. A float32 forward
    // through 9 convs and instance norms is ~5e-5 away from it on every engine (PyTorch's own
    // float32 forward: 3.7e-5; wasm: 4.8e-5; gankit cpu: 2.8e-6), hence atol 1e-4.
    expectClose(color, fromFixture(fx.color), { rtol: 1e-4, atol: 1e-4 });
    expectClose(attention, fromFixture(fx.attention), { rtol: 1e-4, atol: 1e-4 });
    tf.dispose([color, attention]);
    g.dispose();
  });

  it('composes A·I + (1 − A)·C (reference code) and conditions on the AUs', () => {
    const g = buildGanimationGenerator(G_TINY);
    const img = randomUniform([2, 8, 8, 3], 1);
    const au0 = randomUniform([2, 3], 2, 0, 1);
    const au1 = randomUniform([2, 3], 3, 0, 1);
    const out = ganimationCompose(g, img, au0);
    expect(out.color.shape).toEqual([2, 8, 8, 3]);
    expect(out.attention.shape).toEqual([2, 8, 8, 1]);
    expectClose(out.composed, tf.add(tf.mul(out.attention, img), tf.mul(tf.sub(1, out.attention), out.color)), { atol: 1e-6 });
    const paper = ganimationCompose(g, img, au0, { convention: 'paper' });
    expectClose(paper.composed, tf.add(tf.mul(out.attention, out.color), tf.mul(tf.sub(1, out.attention), img)), { atol: 1e-6 });
    const other = ganimationCompose(g, img, au1);
    expect(tf.max(tf.abs(tf.sub(other.color, out.color))).dataSync()[0]).toBeGreaterThan(1e-7);
    tf.dispose([img, au0, au1, out.color, out.attention, out.composed, paper.color, paper.attention, paper.composed, other.color, other.attention, other.composed]);
    g.dispose();
  });

  it('one critic step (WGAN + AU MSE + GP) and one G step (adversarial + AU + cycle + mask) lower their losses', () => {
    const g = buildGanimationGenerator(G_TINY);
    const d = buildGanimationCritic(D_TINY);
    const real = randomUniform([2, 8, 8, 3], 4);
    const realAu = randomUniform([2, 3], 5, 0, 1);
    const desired = randomUniform([2, 3], 6, 0, 1);
    const fake = ganimationCompose(g, real, desired).composed;
    const critic = (x: tf.Tensor) => (d.apply(x) as tf.Tensor[])[0];
    const dLoss = () =>
      tf.tidy(() => {
        const [pr, ar] = d.apply(real) as tf.Tensor[];
        const [pf] = d.apply(fake) as tf.Tensor[];
        const wgan = tf.add(tf.neg(tf.mean(pr)), tf.mean(pf));
        const cond = tf.div(tf.mean(tf.square(tf.sub(ar, realAu))), 2);
        return tf.addN([wgan, tf.mul(4000, cond), gradientPenalty(critic, real, fake, { seed: 1 })]) as tf.Scalar;
      });
    const opt = tf.train.adam(1e-4, 0.5, 0.999);
    const [d0, d1] = lossBeforeAfter(opt, dLoss, trainableVariables(d));
    expect(d1).toBeLessThan(d0);
    const gLoss = () =>
      tf.tidy(() => {
        const f = ganimationCompose(g, real, desired, { training: true });
        const [pf, af] = d.apply(f.composed) as tf.Tensor[];
        const rec = ganimationCompose(g, f.composed, realAu, { training: true });
        return tf.addN([
          tf.neg(tf.mean(pf)),
          tf.mul(4000, tf.div(tf.mean(tf.square(tf.sub(af, desired))), 2)),
          tf.mul(10, tf.mean(tf.abs(tf.sub(rec.composed, real)))),
          tf.mul(0.1, tf.add(tf.mean(f.attention), tf.mean(rec.attention))),
        ]) as tf.Scalar;
      });
    const gOpt = tf.train.adam(1e-3, 0.5, 0.999);
    const [g0, g1] = lossBeforeAfter(gOpt, gLoss, trainableVariables(g));
    expect(g1).toBeLessThan(g0);
    tf.dispose([real, realAu, desired, fake]);
    opt.dispose();
    gOpt.dispose();
    g.dispose();
    d.dispose();
  });

  it('the critic is twice differentiable (second-order finite differences, for the gradient penalty)', () => {
    const d = buildGanimationCritic({ ...D_TINY, convDim: 1 });
    const x = randomUniform([1, 8, 8, 3], 11);
    checkSecondOrder((v) => tf.sum((d.apply(v) as tf.Tensor[])[0]) as tf.Scalar, x, { maxElements: 12, eps: 1e-3 });
    x.dispose();
    d.dispose();
  });

  it('round-trips G and the critic through saveModel / loadModel; no leaks', async () => {
    const g = buildGanimationGenerator(G_TINY);
    const d = buildGanimationCritic(D_TINY);
    const img = randomUniform([2, 8, 8, 3], 7);
    const au = randomUniform([2, 3], 8, 0, 1);
    const [c, a] = g.predict([img, au]) as tf.Tensor[];
    const g2 = await roundTrip(g);
    const [c2, a2] = g2.predict([img, au]) as tf.Tensor[];
    expectClose(c2, c, { rtol: 0, atol: 0 });
    expectClose(a2, a, { rtol: 0, atol: 0 });
    const [p] = d.predict(img) as tf.Tensor[];
    const d2 = await roundTrip(d);
    expectClose((d2.predict(img) as tf.Tensor[])[0], p, { rtol: 0, atol: 0 });
    await expectNoLeak(() => {
      const o = ganimationCompose(g, img, au);
      tf.dispose([o.color, o.attention, o.composed]);
      tf.dispose(d.predict(img) as tf.Tensor[]);
    });
    tf.dispose([img, au, c, a, c2, a2, p]);
    g.dispose();
    g2.dispose();
    d.dispose();
    d2.dispose();
  });

  it("with upsampling 'resize-conv', each decoder stage is nearest ×2 + 3×3 conv (Odena et al. 2016): parameter count by hand, finite-difference gradients through it", () => {
    const g = buildGanimationGenerator({ ...G_TINY, upsampling: 'resize-conv' });
    const t = buildGanimationGenerator(G_TINY);
    // The two ConvTranspose 4·4·c·c/2 become 3·3·c·c/2 (c = 8 → 4, 4 → 2): (16 − 9)·(32 + 8) = 280 fewer.
    expect(countTrainableParams(t) - countTrainableParams(g)).toBe(280);
    expect(g.layers.filter((l) => l.getClassName() === 'UpSampling2D')).toHaveLength(2);
    expect(g.layers.filter((l) => l.getClassName() === 'Conv2DTranspose')).toHaveLength(0);
    expect(g.outputs.map((o) => o.shape)).toEqual([
      [null, 8, 8, 3],
      [null, 8, 8, 1],
    ]);
    const img = randomUniform([1, 8, 8, 3], 3);
    const au = randomUniform([1, 3], 4, 0, 1);
    const w = randomUniform([1, 8, 8, 3], 5);
    checkGradients((x) => tf.sum(tf.mul((g.apply([x, au], { training: true }) as tf.Tensor[])[0], w)) as tf.Scalar, [img], { maxElements: 24 });
    expect(() => buildGanimationGenerator({ ...G_TINY, upsampling: 'bilinear' as never })).toThrow(/'upsampling' must be 'transpose' or 'resize-conv'; got bilinear/);
    tf.dispose([img, au, w]);
    g.dispose();
    t.dispose();
  });

  it('rejects bad sizes and wrong inputs clearly', () => {
    expect(() => buildGanimationGenerator({ imageSize: 10 })).toThrow(/buildGanimationGenerator: 'imageSize' must be divisible by 4.*got 10/);
    const g = buildGanimationGenerator(G_TINY);
    const img = tf.zeros([2, 8, 8, 3]);
    const badAu = tf.zeros([2, 4]);
    expect(() => ganimationCompose(g, img, badAu)).toThrow(/ganimationCompose: 'aus' must have shape \[\*, 3\]; got \[2, 4\]/);
    const oneAu = tf.zeros([1, 3]);
    expect(() => ganimationCompose(g, img, oneAu)).toThrow(/'image' and 'aus' must have the same batch; got 2 and 1/);
    tf.dispose([img, badAu, oneAu]);
    g.dispose();
  });
});
