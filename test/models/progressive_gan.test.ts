import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ProgressiveGan, buildProgressiveGan } from '../../src/models/progressive_gan.js';
import { downscale2d, upscale2d } from '../../src/layers/index.js';
import { PGGAN_CPU_SCHEDULE, PGGAN_REFERENCE_SCHEDULE, prepareReals, progressiveStage } from '../../src/models/pggan/schedule.js';
import { countTrainableParams } from '../../src/models/common.js';
import { driftPenalty, gradientPenalty, wassersteinDiscriminatorLoss, wassersteinGeneratorLoss } from '../../src/losses/index.js';
import { checkSecondOrder, expectClose, expectNoLeak, loadFixture, lossBeforeAfter, randomNormal, randomUniform } from '../helpers/index.js';
import { type FixtureTensor, fromFixture, roundTrip } from './model_test_utils.js';

const TINY = { resolution: 16, channels: 1, latentDim: 8, fmapBase: 32, fmapMax: 8, mbstdGroupSize: 2, seed: 3 };

describe('ProgressiveGan (tkarras/progressive_growing_of_gans G_paper / D_paper)', () => {
  it('has the paper parameter counts at 1024×1024 (G 23,079,115; D 23,087,249 — Table 2: 23.1M each)', () => {
    // By hand with nf(s) = min(8192/2^s, 512):
    // G: dense 512·8192 (+512 channel bias) = 4,194,816; 4×4 conv 9·512·512 + 512 = 2,359,808;
    //    8/16/32: 2·2,359,808 each; 64: 1,179,904 + 590,080; 128: 295,040 + 147,584; 256: 73,792 + 36,928;
    //    512: 18,464 + 9,248; 1024: 4,624 + 2,320; ToRGB (nf·3 + 3) at every resolution: 7,659 → 23,079,115.
    // D: FromRGB (4·nf) at every resolution 10,176; blocks 1024..8: 6,960 + 27,744 + 110,784 + 442,752 + 1,770,240 + 3·4,719,616;
    //    4×4: conv 9·513·512 + 512 = 2,364,416 (mbstd channel), dense 8192·512 + 512 = 4,194,816, dense 513 → 23,087,249.
    const pg = buildProgressiveGan({ resolution: 1024 });
    expect(countTrainableParams(pg.generatorAll)).toBe(23_079_115);
    expect(countTrainableParams(pg.discriminatorAll)).toBe(23_087_249);
    expect(pg.generatorAll.outputs.map((o) => o.shape[1])).toEqual([4, 8, 16, 32, 64, 128, 256, 512, 1024]);
    pg.dispose();
  }, 60_000);

  it('computes an independent PyTorch float64 implementation of G_paper / D_paper (fixture: 8×8 and fading 16×16 stages)', () => {
    const fx = loadFixture('models_pggan');
    const pg = buildProgressiveGan(fx.options);
    for (const [name, ws] of Object.entries(fx.weights as Record<string, FixtureTensor[]>)) {
      const model = name.startsWith('g') ? pg.generatorAll : pg.discriminatorAll;
      const values = ws.map(fromFixture);
      model.getLayer(name).setWeights(values);
      tf.dispose(values);
    }
    pg.setAlpha(fx.alpha);
    const z = fromFixture(fx.z);
    const img = fromFixture(fx.image) as tf.Tensor4D;
    const outs = [
      pg.generator(16, true).predict(z) as tf.Tensor,
      pg.generator(8).predict(z) as tf.Tensor,
      pg.discriminator(16, true).predict(img) as tf.Tensor,
      pg.discriminator(8).predict(downscale2d(img)) as tf.Tensor,
    ];
    const expected = [fx.g16fade, fx.g8, fx.d16fade, fx.d8].map(fromFixture);
    outs.forEach((o, i) => expectClose(o, expected[i], { rtol: 1e-4, atol: 1e-5 }));
    tf.dispose([z, img, ...outs, ...expected]);
    pg.dispose();
  });

  it('grows 4×4 → 16×16 with shared weights; stage models have the right shapes', () => {
    const pg = buildProgressiveGan(TINY);
    const z = randomNormal([2, 8], 1);
    for (const r of [4, 8, 16]) {
      const g = pg.generator(r);
      const img = g.predict(z) as tf.Tensor;
      expect(img.shape).toEqual([2, r, r, 1]);
      const score = pg.discriminator(r).predict(img) as tf.Tensor;
      expect(score.shape).toEqual([2, 1]);
      // The stage generator is the matching output of generatorAll (the same weights).
      const all = pg.generatorAll.predict(z) as tf.Tensor[];
      expectClose(img, all[Math.log2(r) - 2], { rtol: 0, atol: 0 });
      tf.dispose([img, score, ...all]);
    }
    expect(pg.generator(8)).toBe(pg.generator(8));
    z.dispose();
    pg.dispose();
  });

  it('fades in as the reference: α = 0 is the upscaled previous stage, α = 1 the new one (G and D)', () => {
    const pg = buildProgressiveGan(TINY);
    const z = randomNormal([2, 8], 2);
    const x = randomUniform([2, 8, 8, 1], 3);
    pg.setAlpha(0);
    const g8f = pg.generator(8, true).predict(z) as tf.Tensor4D;
    const g4 = pg.generator(4).predict(z) as tf.Tensor4D;
    expectClose(g8f, upscale2d(g4), { rtol: 1e-5, atol: 1e-6 });
    const d8f = pg.discriminator(8, true).predict(x) as tf.Tensor;
    const d4 = pg.discriminator(4).predict(downscale2d(x as tf.Tensor4D)) as tf.Tensor;
    expectClose(d8f, d4, { rtol: 1e-5, atol: 1e-5 });
    pg.setAlpha(1);
    expectClose(pg.generator(8, true).predict(z) as tf.Tensor, pg.generator(8).predict(z) as tf.Tensor, { rtol: 1e-5, atol: 1e-6 });
    expectClose(pg.discriminator(8, true).predict(x) as tf.Tensor, pg.discriminator(8).predict(x) as tf.Tensor, { rtol: 1e-5, atol: 1e-5 });
    pg.setAlpha(0.25);
    const g8 = pg.generator(8).predict(z) as tf.Tensor;
    expectClose(pg.generator(8, true).predict(z) as tf.Tensor, tf.add(upscale2d(g4), tf.mul(tf.sub(g8, upscale2d(g4)), 0.25)), { rtol: 1e-5, atol: 1e-6 });
    expect(pg.alpha).toBeCloseTo(0.25, 7);
    expect(() => pg.setAlpha(1.5)).toThrow(/'alpha' must be in \[0, 1\]; got 1.5/);
    tf.dispose([z, x, g8f, g4, d8f, d4, g8]);
    pg.dispose();
  });

  it('follows the reference TrainingSchedule (lod, resolution, α = 1 − frac(lod), minibatch)', () => {
    const ref = { ...PGGAN_REFERENCE_SCHEDULE, finalResolution: 1024 };
    // kimg 0: 4×4 stable, lod 8. kimg 900: halfway into the 4→8 fade: lod 7.5, resolution 8, α 0.5.
    expect(progressiveStage(0, ref)).toMatchObject({ lod: 8, resolution: 4, alpha: 1, minibatch: 128 });
    expect(progressiveStage(900, ref)).toMatchObject({ lod: 7.5, resolution: 8, alpha: 0.5, minibatch: 128 });
    expect(progressiveStage(1200, ref)).toMatchObject({ lod: 7, resolution: 8, alpha: 1 });
    const s = progressiveStage(4 * 1200 + 600 + 150, ref); // phase 4 (64×64 stable done), 150 kimg into the 64→128 fade
    expect(s.lod).toBeCloseTo(3.75, 12);
    expect(s).toMatchObject({ resolution: 128, minibatch: 16 });
    expect(s.alpha).toBeCloseTo(0.25, 12);
    expect(progressiveStage(1e6, ref)).toMatchObject({ lod: 0, resolution: 1024, alpha: 1, minibatch: 16 });
    const cpu = { ...PGGAN_CPU_SCHEDULE, finalResolution: 32 };
    expect(progressiveStage(18, cpu)).toMatchObject({ resolution: 32, alpha: 1, lod: 0 });
    expect(progressiveStage(16.5, cpu)).toMatchObject({ resolution: 32, alpha: 0.5 });
    expect(() => progressiveStage(-1, cpu)).toThrow(/'kimg' must be a finite number ≥ 0; got -1/);
    expect(() => progressiveStage(0, { finalResolution: 48 })).toThrow(/'finalResolution' must be a power of two; got 48/);
  });

  it('prepareReals box-downscales and fades reals like process_reals', () => {
    const x = randomUniform([2, 8, 8, 1], 4);
    const half = downscale2d(x as tf.Tensor4D);
    expectClose(prepareReals(x, 4, 1), half, { rtol: 0, atol: 1e-7 });
    expectClose(prepareReals(x, 8, 0), upscale2d(downscale2d(x as tf.Tensor4D)), { atol: 1e-7 });
    const mix = prepareReals(x, 8, 0.75);
    expectClose(mix, tf.add(x, tf.mul(tf.sub(upscale2d(half), x), 0.25)), { atol: 1e-6 });
    // A 2×2 box mean by hand.
    const v = x.arraySync() as number[][][][];
    expect(half.arraySync()[1][2][3][0]).toBeCloseTo((v[1][4][6][0] + v[1][4][7][0] + v[1][5][6][0] + v[1][5][7][0]) / 4, 6);
    expect(() => prepareReals(x, 3, 1)).toThrow(/prepareReals: 'resolution' must be the image size 8 divided by a power of two; got 3/);
    tf.dispose([x, half, mix]);
  });

  it('is twice differentiable for WGAN-GP (fading D at 8×8 with mbstd)', () => {
    const pg = buildProgressiveGan({ ...TINY, fmapBase: 8, fmapMax: 2, latentDim: 2 });
    pg.setAlpha(0.4);
    const d = pg.discriminator(8, true);
    const x = randomUniform([2, 8, 8, 1], 5);
    // eps 1e-3: larger steps cross LeakyReLU kinks, where finite differences of the piecewise-linear parts are not the Hessian.
    checkSecondOrder((y) => tf.sum(d.apply(y) as tf.Tensor) as tf.Scalar, x, { maxElements: 16, eps: 1e-3 });
    x.dispose();
    pg.dispose();
  });

  it('one WGAN-GP + drift D step and one G step lower their losses on a fixed batch (8×8 fading stage)', () => {
    const pg = buildProgressiveGan(TINY);
    pg.setAlpha(0.5);
    const g = pg.generator(8, true);
    const d = pg.discriminator(8, true);
    const { generator: gVars, discriminator: dVars } = pg.stageVariables(8, true);
    const z = randomNormal([4, 8], 6);
    const reals = prepareReals(randomUniform([4, 16, 16, 1], 7), 8, 0.5);
    const fake = g.predict(z) as tf.Tensor;
    const critic = (v: tf.Tensor) => d.apply(v) as tf.Tensor;
    const dLoss = () =>
      tf.tidy(() => {
        const r = critic(reals);
        const f = critic(fake);
        return tf.addN([wassersteinDiscriminatorLoss(r, f), gradientPenalty(critic, reals, fake, { seed: 1 }), driftPenalty(r)]) as tf.Scalar;
      });
    const opt = tf.train.adam(1e-3, 0, 0.99, 1e-8);
    const [d0, d1] = lossBeforeAfter(opt, dLoss, dVars);
    expect(d1).toBeLessThan(d0);
    const gLoss = () => tf.tidy(() => wassersteinGeneratorLoss(critic(g.apply(z) as tf.Tensor)));
    const gOpt = tf.train.adam(1e-3, 0, 0.99, 1e-8);
    const [g0, g1] = lossBeforeAfter(gOpt, gLoss, gVars);
    expect(g1).toBeLessThan(g0);
    expect(gVars.length).toBeLessThan(pg.generatorVariables().length); // the 16×16 block is not part of this stage
    tf.dispose([z, reals, fake]);
    opt.dispose();
    gOpt.dispose();
    pg.dispose();
  });

  it('conditions on labels as the reference label_size: G([z, y]); D → [score, label logits]; an AC-GAN D step lowers its loss', async () => {
    const plain = buildProgressiveGan(TINY);
    const cond = buildProgressiveGan({ ...TINY, labelSize: 3 });
    // By hand: G's 4×4 dense gains 3·(16·nf(1)) = 3·128 = 384 weights; D's last dense gains 3·(nf(0) + 1) = 27.
    expect(countTrainableParams(cond.generatorAll) - countTrainableParams(plain.generatorAll)).toBe(384);
    expect(countTrainableParams(cond.discriminatorAll) - countTrainableParams(plain.discriminatorAll)).toBe(27);
    plain.dispose();
    cond.setAlpha(0.5);
    const z = randomNormal([4, 8], 20);
    const y0 = tf.oneHot(tf.tensor1d([0, 0, 0, 0], 'int32'), 3);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    const a = cond.generator(8, true).predict([z, y0]) as tf.Tensor;
    const b = cond.generator(8, true).predict([z, y]) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-6);
    const d = cond.discriminator(8, true);
    const [score, logits] = d.predict(b) as tf.Tensor[];
    expect([score.shape, logits.shape]).toEqual([
      [4, 1],
      [4, 3],
    ]);
    const real = randomUniform([4, 8, 8, 1], 21);
    const critic = (v: tf.Tensor) => (d.apply(v) as tf.Tensor[])[0];
    const loss = () =>
      tf.tidy(() => {
        const [rs, rl] = d.apply(real) as tf.Tensor[];
        const [fs, fl] = d.apply(b) as tf.Tensor[];
        const ce = (l: tf.Tensor) => tf.mean(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(l)), 1)));
        return tf.addN([wassersteinDiscriminatorLoss(rs, fs), gradientPenalty(critic, real, b, { seed: 3 }), driftPenalty(rs), ce(rl), ce(fl)]) as tf.Scalar;
      });
    const opt = tf.train.adam(1e-3, 0, 0.99, 1e-8);
    const [l0, l1] = lossBeforeAfter(opt, loss, cond.stageVariables(8, true).discriminator);
    expect(l1).toBeLessThan(l0);
    const loaded = ProgressiveGan.fromModels(await roundTrip(cond.generatorAll), await roundTrip(cond.discriminatorAll));
    loaded.setAlpha(0.5);
    expectClose(loaded.generator(8, true).predict([z, y]) as tf.Tensor, b, { rtol: 0, atol: 0 });
    expect(() => buildProgressiveGan({ ...TINY, labelSize: -1 })).toThrow(/'labelSize' must be an integer ≥ 0; got -1/);
    tf.dispose([z, y0, y, a, b, score, logits, real]);
    opt.dispose();
    cond.dispose();
    loaded.dispose();
  });

  it('round-trips generatorAll / discriminatorAll through saveModel / loadModel and rebuilds the stages', async () => {
    const pg = buildProgressiveGan(TINY);
    const z = randomNormal([2, 8], 8);
    pg.setAlpha(0.3);
    const before = pg.generator(16, true).predict(z) as tf.Tensor;
    const dBefore = pg.discriminator(16, true).predict(before) as tf.Tensor;
    const loaded = ProgressiveGan.fromModels(await roundTrip(pg.generatorAll), await roundTrip(pg.discriminatorAll));
    expect(loaded.options).toEqual(pg.options);
    loaded.setAlpha(0.3);
    expectClose(loaded.generator(16, true).predict(z) as tf.Tensor, before, { rtol: 0, atol: 0 });
    expectClose(loaded.discriminator(16, true).predict(before) as tf.Tensor, dBefore, { rtol: 0, atol: 0 });
    tf.dispose([z, before, dBefore]);
    pg.dispose();
    loaded.dispose();
  });

  it('does not leak in stage forward passes and a D step', async () => {
    const pg = buildProgressiveGan(TINY);
    const z = randomNormal([2, 8], 9);
    const x = randomUniform([2, 8, 8, 1], 10);
    const opt = tf.train.adam(1e-3, 0, 0.99);
    const d = pg.discriminator(8, true);
    const vars = pg.stageVariables(8, true).discriminator;
    await expectNoLeak(() => {
      const f = pg.generator(8, true).predict(z) as tf.Tensor;
      opt.minimize(() => tf.tidy(() => wassersteinDiscriminatorLoss(d.apply(x) as tf.Tensor, d.apply(f) as tf.Tensor)), true, vars)?.dispose();
      f.dispose();
    });
    tf.dispose([z, x]);
    opt.dispose();
    pg.dispose();
  });

  it('rejects bad options, resolutions and inputs clearly', () => {
    expect(() => buildProgressiveGan({ resolution: 24 })).toThrow(/ProgressiveGan: 'resolution' must be a power of two ≥ 4; got 24/);
    const pg = buildProgressiveGan(TINY);
    expect(() => pg.generator(32)).toThrow(/ProgressiveGan.generator: 'resolution' must be a power of two in \[4, 16\]; got 32/);
    const bad = tf.zeros([2, 9]);
    expect(() => pg.generator(4).predict(bad)).toThrow(/expected z to have shape \[null,8\] but got array with shape \[2,9\]/);
    bad.dispose();
    pg.dispose();
  });
});
