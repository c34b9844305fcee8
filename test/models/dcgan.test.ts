import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { buildDcganDiscriminator, buildDcganGenerator } from '../../src/models/dcgan.js';
import { buildAcganDiscriminator, buildAcganGenerator, buildConditionalDcganDiscriminator, buildConditionalDcganGenerator } from '../../src/models/conditional_dcgan.js';
import { buildEncoder, encoderLoss, encoderTrainStep, encoderTrainStepTensor } from '../../src/models/encoder.js';
import { countHostReads } from '../../src/util/index.js';
import { countTrainableParams, trainableVariables } from '../../src/models/common.js';
import { checkGradients, expectClose, expectNoLeak, loadFixture, lossBeforeAfter, randomNormal, randomUniform } from '../helpers/index.js';
import { type FixtureTensor, fromFixture, roundTrip, setLayerWeights } from './model_test_utils.js';

const fx = loadFixture('models_dcgan_vae').dcgan;

/** Least-squares D loss of document 002: mean (D(x) − 1)² + mean D(G(z))². */
function lsganD(d: tfl.LayersModel, real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  const r = d.apply(real, { training: true }) as tf.Tensor;
  const f = d.apply(fake, { training: true }) as tf.Tensor;
  return tf.add(tf.mean(tf.square(tf.sub(r, 1))), tf.mean(tf.square(f))) as tf.Scalar;
}

function lossAfterSteps(loss: () => tf.Scalar, vars: tf.Variable[], steps: number, lr = 2e-3): [number, number] {
  const opt = tf.train.adam(lr, 0.5);
  const result = lossBeforeAfter(opt, loss, vars, steps);
  opt.dispose();
  return result;
}

describe('buildDcganGenerator / buildDcganDiscriminator (document 002; pytorch/examples dcgan)', () => {
  it('has the reference parameter counts at 64×64 (G 3,576,704; D 2,765,568)', () => {
    // By hand: G = 100·512·16 + 512·256·16 + 256·128·16 + 128·64·16 + 64·3·16 (bias-free ConvT) + 2·(512+256+128+64) (BN γ, β) = 3,576,704.
    // D = 3·64·16 + 64·128·16 + 128·256·16 + 256·512·16 + 512·16 + 2·(128+256+512) = 2,765,568.
    const g = buildDcganGenerator();
    const d = buildDcganDiscriminator();
    expect(countTrainableParams(g)).toBe(3_576_704);
    expect(countTrainableParams(d)).toBe(2_765_568);
    expect(fx.referenceGeneratorParams).toBe(3_576_704);
    expect(fx.referenceDiscriminatorParams).toBe(2_765_568);
    expect(g.outputs[0].shape).toEqual([null, 64, 64, 3]);
    expect(g.layers.filter((l) => l.getClassName() === 'Conv2DTranspose').length).toBe(5);
    g.dispose();
    d.dispose();
  });

  it('computes the PyTorch reference functions (fixture, eval mode, 16×16)', () => {
    const g = buildDcganGenerator({ latentDim: fx.latentDim, filters: fx.filters, imageSize: fx.imageSize, channels: fx.channels });
    const d = buildDcganDiscriminator({ filters: fx.filters, imageSize: fx.imageSize, channels: fx.channels });
    setLayerWeights(g, fx.generatorWeights as FixtureTensor[][]);
    setLayerWeights(d, fx.discriminatorWeights as FixtureTensor[][]);
    const [z, x] = [fromFixture(fx.z), fromFixture(fx.x)];
    const gz = g.predict(z) as tf.Tensor;
    const dx = d.predict(x) as tf.Tensor;
    expectClose(gz, fromFixture(fx.generated), { rtol: 1e-4, atol: 1e-5 });
    expectClose(dx, fromFixture(fx.logits), { rtol: 1e-4, atol: 1e-4 });
    tf.dispose([z, x, gz, dx]);
    g.dispose();
    d.dispose();
  });

  it('one least-squares D step and G step lower their losses on a fixed batch (8×8)', () => {
    const g = buildDcganGenerator({ latentDim: 4, filters: 4, imageSize: 8, channels: 1, seed: 1 });
    const d = buildDcganDiscriminator({ filters: 4, imageSize: 8, channels: 1, seed: 2 });
    const z = randomNormal([4, 4], 3);
    const real = randomUniform([4, 8, 8, 1], 4);
    const fake = g.predict(z) as tf.Tensor;
    const [d0, d1] = lossAfterSteps(() => lsganD(d, real, fake), trainableVariables(d), 3);
    expect(d1).toBeLessThan(d0);
    const gLoss = () => tf.mean(tf.square(tf.sub(d.apply(g.apply(z, { training: true }) as tf.Tensor, { training: false }) as tf.Tensor, 1))) as tf.Scalar;
    const dBefore = d.getWeights().map((w) => w.dataSync().slice());
    const [g0, g1] = lossAfterSteps(gLoss, trainableVariables(g), 3);
    expect(g1).toBeLessThan(g0);
    // The G step must not touch D (explicit variable lists).
    d.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(dBefore[i])));
    tf.dispose([z, real, fake]);
    g.dispose();
    d.dispose();
  });

  it('round-trips through saveModel / loadModel', async () => {
    const g = buildDcganGenerator({ latentDim: 4, filters: 4, imageSize: 8, channels: 1, seed: 5 });
    const z = randomNormal([2, 4], 6);
    const before = g.predict(z) as tf.Tensor;
    const loaded = await roundTrip(g);
    const after = loaded.predict(z) as tf.Tensor;
    expectClose(after, before, { rtol: 0, atol: 0 });
    tf.dispose([z, before, after]);
    g.dispose();
    loaded.dispose();
  });

  it('does not leak tensors in forward and training steps', async () => {
    const g = buildDcganGenerator({ latentDim: 4, filters: 2, imageSize: 8, channels: 1, seed: 1 });
    const d = buildDcganDiscriminator({ filters: 2, imageSize: 8, channels: 1, seed: 2 });
    const z = randomNormal([2, 4], 3);
    const real = randomUniform([2, 8, 8, 1], 4);
    const opt = tf.train.adam(1e-3, 0.5);
    await expectNoLeak(() => {
      const fake = g.predict(z) as tf.Tensor;
      opt.minimize(() => lsganD(d, real, fake), true, trainableVariables(d))?.dispose();
      fake.dispose();
    });
    tf.dispose([z, real]);
    opt.dispose();
    g.dispose();
    d.dispose();
  });

  it('with minibatchStdDevGroup, the last conv also sees the batch-variance channel (PGGAN §3): 16 more weights, and D(x) depends on the rest of its group', () => {
    const plain = buildDcganDiscriminator({ imageSize: 8, channels: 1, filters: 2, seed: 3 });
    const mbstd = buildDcganDiscriminator({ imageSize: 8, channels: 1, filters: 2, seed: 3, minibatchStdDevGroup: 2 });
    // The final 4×4 conv gains one input channel: 4·4·1 weights.
    expect(countTrainableParams(mbstd) - countTrainableParams(plain)).toBe(16);
    const a = randomNormal([2, 8, 8, 1], 1);
    const b = tf.concat([tf.slice(a, 0, 1), randomNormal([1, 8, 8, 1], 2)]);
    const da = (mbstd.predict(a) as tf.Tensor).arraySync() as number[][];
    const db = (mbstd.predict(b) as tf.Tensor).arraySync() as number[][];
    // Same first image, a different partner in its group: the first logit changes.
    expect(Math.abs(da[0][0] - db[0][0])).toBeGreaterThan(1e-6);
    expect(() => buildDcganDiscriminator({ minibatchStdDevGroup: 1.5 })).toThrow(/buildDcganDiscriminator: 'minibatchStdDevGroup' must be a positive integer/);
    tf.dispose([a, b]);
    plain.dispose();
    mbstd.dispose();
  });

  it('rejects bad sizes and wrong input shapes with clear errors', () => {
    expect(() => buildDcganGenerator({ imageSize: 48 })).toThrow(/buildDcganGenerator: 'imageSize' must be 4·2\^k.*got 48/);
    expect(() => buildDcganDiscriminator({ outputActivation: 'relu' as never })).toThrow(/'outputActivation' must be 'linear' or 'sigmoid'/);
    const g = buildDcganGenerator({ latentDim: 4, filters: 2, imageSize: 8, channels: 1 });
    const bad = tf.zeros([2, 5]);
    expect(() => g.predict(bad)).toThrow(/expected z to have shape \[null,4\] but got array with shape \[2,5\]/);
    bad.dispose();
    g.dispose();
  });
});

describe('conditional DCGAN (document 003: one-hot y concatenated to z, tiled into D)', () => {
  it('has the reference parameter counts (G 3,634,048; D 2,772,736 with 7 classes)', () => {
    // G: 3,576,704 + 7·512·16 (label rows of the first ConvT kernel); D: 2,765,568 + 7·64·16 (label channels of the first conv).
    const g = buildConditionalDcganGenerator();
    const d = buildConditionalDcganDiscriminator();
    expect(countTrainableParams(g)).toBe(3_634_048);
    expect(countTrainableParams(d)).toBe(2_772_736);
    g.dispose();
    d.dispose();
  });

  it('conditions on the label: output depends on y, D sees the tiled label, and one step lowers the D loss', () => {
    const g = buildConditionalDcganGenerator({ latentDim: 3, numClasses: 2, filters: 4, imageSize: 8, channels: 1, seed: 1 });
    const d = buildConditionalDcganDiscriminator({ numClasses: 2, filters: 4, imageSize: 8, channels: 1, seed: 2 });
    const z = randomNormal([2, 3], 1);
    const y0 = tf.tensor2d([
      [1, 0],
      [1, 0],
    ]);
    const y1 = tf.tensor2d([
      [0, 1],
      [0, 1],
    ]);
    const [a, b] = [g.predict([z, y0]) as tf.Tensor, g.predict([z, y1]) as tf.Tensor];
    expect(a.shape).toEqual([2, 8, 8, 1]);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-4);
    const real = randomUniform([2, 8, 8, 1], 2);
    const loss = () => tf.add(tf.mean(tf.square(tf.sub(d.apply([real, y0], { training: true }) as tf.Tensor, 1))), tf.mean(tf.square(d.apply([a, y1], { training: true }) as tf.Tensor))) as tf.Scalar;
    const [l0, l1] = lossAfterSteps(loss, trainableVariables(d), 3);
    expect(l1).toBeLessThan(l0);
    expect(() => g.predict([z, tf.zeros([2, 3])])).toThrow(/expected label to have shape \[null,2\]/);
    tf.dispose([z, y0, y1, a, b, real]);
    g.dispose();
    d.dispose();
  });

  it("with labelInjection 'conditional-bn', every hidden BatchNorm of G gets class-dependent γ, β (G 3,647,488 at the reference size); y changes the image through them", () => {
    const g = buildConditionalDcganGenerator({ labelInjection: 'conditional-bn' });
    expect(countTrainableParams(g)).toBe(3_647_488);
    g.dispose();
    const small = buildConditionalDcganGenerator({ latentDim: 4, filters: 2, imageSize: 8, channels: 1, numClasses: 3, labelInjection: 'conditional-bn', seed: 5 });
    expect(small.layers.filter((l) => l.getClassName() === 'GankitClassConditionalAffine')).toHaveLength(1);
    // Make class 2's γ of the affine large: only samples of class 2 change.
    const affine = small.layers.find((l) => l.getClassName() === 'GankitClassConditionalAffine')!;
    const [gamma, beta] = affine.getWeights();
    const z = randomNormal([2, 4], 6);
    const y = tf.tensor2d([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const before = small.predict([z, y]) as tf.Tensor;
    const bumped = tf.tidy(() => tf.concat([tf.slice(gamma, 0, 2), tf.mul(tf.slice(gamma, 2, 1), 5)]));
    affine.setWeights([bumped, beta]);
    const after = small.predict([z, y]) as tf.Tensor;
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(after, before)), [1, 2, 3]).arraySync() as number[]);
    expect(diff[0]).toBe(0);
    expect(diff[1]).toBeGreaterThan(1e-4);
    // Training mode (batch statistics) runs too: tfjs-layers' BatchNormalization needs its own γ, β there.
    const trainingOut = small.apply([z, y], { training: true }) as tf.Tensor;
    expect(trainingOut.shape).toEqual([2, 8, 8, 1]);
    tf.dispose([z, y, before, after, bumped, trainingOut]);
    small.dispose();
  });

  it("with labelInjection 'every-layer', adds K input channels to every later kernel (G 3,684,560; D 2,873,200)", () => {
    // G: + 7·16·(256 + 128 + 64 + 3); D: + 7·16·(128 + 256 + 512 + 1).
    const g = buildConditionalDcganGenerator({ labelInjection: 'every-layer' });
    const d = buildConditionalDcganDiscriminator({ labelInjection: 'every-layer' });
    expect(countTrainableParams(g)).toBe(3_684_560);
    expect(countTrainableParams(d)).toBe(2_873_200);
    g.dispose();
    d.dispose();
  });

  it("with labelInjection 'every-layer', the label reaches the last layers: zeroing the first kernel's label rows leaves y's effect", () => {
    const g = buildConditionalDcganGenerator({ latentDim: 3, numClasses: 2, filters: 4, imageSize: 8, channels: 1, seed: 1, labelInjection: 'every-layer' });
    const d = buildConditionalDcganDiscriminator({ numClasses: 2, filters: 4, imageSize: 8, channels: 1, seed: 2, labelInjection: 'every-layer' });
    // Cut y out of G's first ConvT and D's first conv: any remaining effect of y comes from the later injections.
    const cut = (m: tfl.LayersModel, rows: (k: tf.Tensor) => tf.Tensor) => {
      const layer = m.layers.find((l) => l.getClassName().startsWith('Conv'))!;
      const [k, ...rest] = layer.getWeights();
      const zeroed = rows(k);
      layer.setWeights([zeroed, ...rest]);
      zeroed.dispose();
    };
    // ConvT kernel [k, k, out, in]: the label is the last 2 of in = 3 + 2; conv kernel [k, k, in, out]: the last 2 of in = 1 + 2.
    cut(g, (k) => tf.concat([tf.slice(k, [0, 0, 0, 0], [-1, -1, -1, 3]), tf.zerosLike(tf.slice(k, [0, 0, 0, 3], [-1, -1, -1, 2]))], 3));
    cut(d, (k) => tf.concat([tf.slice(k, [0, 0, 0, 0], [-1, -1, 1, -1]), tf.zerosLike(tf.slice(k, [0, 0, 1, 0], [-1, -1, 2, -1]))], 2));
    const z = randomNormal([2, 3], 1);
    const x = randomUniform([2, 8, 8, 1], 2);
    const y0 = tf.tensor2d([
      [1, 0],
      [1, 0],
    ]);
    const y1 = tf.tensor2d([
      [0, 1],
      [0, 1],
    ]);
    const gap = (m: tfl.LayersModel, input: tf.Tensor) => {
      const [a, b] = [m.predict([input, y0]) as tf.Tensor, m.predict([input, y1]) as tf.Tensor];
      const v = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
      tf.dispose([a, b]);
      return v;
    };
    expect(gap(g, z)).toBeGreaterThan(1e-4);
    expect(gap(d, x)).toBeGreaterThan(1e-4);
    // The same cut on the 'input' construction removes y entirely.
    const gIn = buildConditionalDcganGenerator({ latentDim: 3, numClasses: 2, filters: 4, imageSize: 8, channels: 1, seed: 1 });
    cut(gIn, (k) => tf.concat([tf.slice(k, [0, 0, 0, 0], [-1, -1, -1, 3]), tf.zerosLike(tf.slice(k, [0, 0, 0, 3], [-1, -1, -1, 2]))], 3));
    expect(gap(gIn, z)).toBe(0);
    expect(() => buildConditionalDcganGenerator({ labelInjection: 'everywhere' as never })).toThrow(
      /buildConditionalDcganGenerator: 'labelInjection' must be 'input', 'every-layer' or 'conditional-bn'; got everywhere/,
    );
    tf.dispose([z, x, y0, y1]);
    [g, d, gIn].forEach((m) => m.dispose());
  });

  it('with projection, adds ⟨V·y, φ(x)⟩ to the logit (Miyato & Koyama 2018 eq. 3): K·|φ| more parameters, logit − plain logit = V[y]·φ(x)', () => {
    // φ(x) = the last block's 4×4×(ndf·8) features at 64 px: 7·4·4·512 = 57,344 embedding weights.
    expect(countTrainableParams(buildConditionalDcganDiscriminator({ projection: true }))).toBe(2_772_736 + 57_344);
    const opts = { numClasses: 3, filters: 2, imageSize: 8, channels: 1, seed: 4 };
    const plain = buildConditionalDcganDiscriminator(opts);
    const proj = buildConditionalDcganDiscriminator({ ...opts, projection: true });
    // the same trunk weights (the embedding is the projection model's last weight), then check the added term in closed form
    const shape = proj.getWeights().find((w) => w.shape[0] === 3 && w.shape.length === 2)!.shape;
    const embedding = randomNormal(shape, 7); // std 1, so that the term is far above float error
    proj.setWeights([...plain.getWeights(), embedding]);
    const x = randomUniform([2, 8, 8, 1], 6);
    const y = tf.tensor2d([
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const features = tfl.model({ inputs: plain.inputs, outputs: plain.layers.filter((l) => l.getClassName() === 'LeakyReLU').at(-1)!.output as tfl.SymbolicTensor });
    const phi = tf.reshape(features.predict([x, y]) as tf.Tensor, [2, -1]);
    const expected = tf.add(plain.predict([x, y]) as tf.Tensor, tf.sum(tf.mul(tf.matMul(y, embedding), phi), 1, true));
    expectClose(proj.predict([x, y]) as tf.Tensor, expected, { atol: 1e-6 });
    checkGradients((xs) => tf.sum(proj.apply([xs, y]) as tf.Tensor) as tf.Scalar, [x], { atol: 2e-3 });
    expect(tf.max(tf.abs(tf.sub(expected, plain.predict([x, y]) as tf.Tensor))).dataSync()[0]).toBeGreaterThan(1e-2);
    tf.dispose([x, y, phi, expected, embedding]);
    [plain, proj].forEach((m) => m.dispose());
  });

  it('round-trips through saveModel / loadModel', async () => {
    const d = buildConditionalDcganDiscriminator({ numClasses: 2, filters: 2, imageSize: 8, channels: 1, seed: 3 });
    const x = randomUniform([2, 8, 8, 1], 5);
    const y = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const before = d.predict([x, y]) as tf.Tensor;
    const loaded = await roundTrip(d);
    expectClose(loaded.predict([x, y]) as tf.Tensor, before, { rtol: 0, atol: 0 });
    tf.dispose([x, y, before]);
    d.dispose();
    loaded.dispose();
  });
});

describe('ACGAN generator / discriminator (tfjs-examples mnist-acgan)', () => {
  it('has the reference parameter counts (G 2,657,321 trainable; D 525,835)', () => {
    // G: Embedding 10·100 + Dense 100·3456 + 3456 + ConvT 5·5·384·192 + 192 + BN 2·192 + ConvT 5·5·192·96 + 96 + BN 2·96 + ConvT 5·5·96·1 + 1 = 2,657,321.
    // D: (9·1·32 + 32) + (9·32·64 + 64) + (9·64·128 + 128) + (9·128·256 + 256) + (12544 + 1) + (12544·10 + 10) = 525,835.
    const g = buildAcganGenerator();
    const d = buildAcganDiscriminator();
    expect(countTrainableParams(g)).toBe(2_657_321);
    expect(g.countParams()).toBe(2_657_897);
    expect(countTrainableParams(d)).toBe(525_835);
    expect(g.outputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(d.outputs.map((o) => o.shape)).toEqual([
      [null, 1],
      [null, 10],
    ]);
    g.dispose();
    d.dispose();
  });

  it('multiplies the class embedding into z: classes give different images; a D step lowers BCE + class CE', () => {
    const g = buildAcganGenerator({ latentDim: 4, numClasses: 3, baseSize: 1, seed: 1 });
    expect(g.outputs[0].shape).toEqual([null, 20, 20, 1]);
    const z = randomUniform([2, 4], 1);
    const c0 = tf.tensor2d([[0], [0]]);
    const c2 = tf.tensor2d([[2], [2]]);
    const [a, b] = [g.predict([z, c0]) as tf.Tensor, g.predict([z, c2]) as tf.Tensor];
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-5);
    const d = buildAcganDiscriminator({ imageSize: 8, numClasses: 3, dropout: 0, seed: 2 });
    const x = randomUniform([2, 8, 8, 1], 3);
    const labels = tf.oneHot(tf.tensor1d([1, 2], 'int32'), 3);
    const loss = () =>
      tf.tidy(() => {
        const [p, q] = d.apply(x, { training: true }) as tf.Tensor[];
        const bce = tf.neg(tf.mean(tf.log(tf.add(p, 1e-7))));
        const ce = tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.log(tf.add(q, 1e-7))), 1)));
        return tf.add(bce, ce) as tf.Scalar;
      });
    const [l0, l1] = lossAfterSteps(loss, trainableVariables(d), 2);
    expect(l1).toBeLessThan(l0);
    tf.dispose([z, c0, c2, a, b, x, labels]);
    g.dispose();
    d.dispose();
  });
});

describe('buildEncoder / encoderLoss / encoderTrainStep (document 003 §2.2.2)', () => {
  it('has the reference parameter count at 64×64 (3,576,676) and maps images to latents', () => {
    // convs 3·64·16 + 64·128·16 + 128·256·16 + 256·512·16 = 2,755,584; BN 2·(128+256+512) = 1,792; dense 8192·100 + 100 = 819,300.
    const e = buildEncoder();
    expect(countTrainableParams(e)).toBe(3_576_676);
    expect(e.outputs[0].shape).toEqual([null, 100]);
    e.dispose();
  });

  it('computes ‖x − G(E(x))‖² and ‖z − E(G(z))‖² (closed form from the models) and a step lowers it without touching G', () => {
    const g = buildDcganGenerator({ latentDim: 3, filters: 2, imageSize: 8, channels: 1, seed: 1 });
    const e = buildEncoder({ latentDim: 3, filters: 2, imageSize: 8, channels: 1, seed: 2 });
    const x = randomUniform([3, 8, 8, 1], 3, -0.5, 0.5);
    const z = randomNormal([3, 3], 4);
    const manual = tf.tidy(() => {
      const rec = g.apply(e.apply(x, { training: true }) as tf.Tensor, { training: false }) as tf.Tensor;
      const zr = e.apply(g.apply(z, { training: false }) as tf.Tensor, { training: true }) as tf.Tensor;
      return tf.add(tf.mean(tf.square(tf.sub(x, rec))), tf.mul(0.5, tf.mean(tf.square(tf.sub(z, zr))))).dataSync()[0];
    });
    const l = encoderLoss({ encoder: e, generator: g, x, z, latentWeight: 0.5 });
    expect(l.dataSync()[0]).toBeCloseTo(manual, 5);
    l.dispose();
    const sumLoss = encoderLoss({ encoder: e, generator: g, x, reduction: 'sum' });
    const meanLoss = encoderLoss({ encoder: e, generator: g, x });
    expect(sumLoss.dataSync()[0]).toBeCloseTo(meanLoss.dataSync()[0] * 64, 3);
    tf.dispose([sumLoss, meanLoss]);
    const gBefore = g.getWeights().map((w) => Array.from(w.dataSync()));
    const opt = tf.train.adam(5e-3, 0.5);
    const first = encoderTrainStep(opt, { encoder: e, generator: g, x, z });
    let last = first;
    for (let i = 0; i < 3; i++) last = encoderTrainStep(opt, { encoder: e, generator: g, x, z });
    expect(last).toBeLessThan(first);
    g.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(gBefore[i]));
    opt.dispose();
    tf.dispose([x, z]);
    g.dispose();
    e.dispose();
  });

  it('encoderTrainStepTensor: the same steps and losses as encoderTrainStep, as tensors, with no host read', () => {
    const g = buildDcganGenerator({ latentDim: 3, filters: 2, imageSize: 8, channels: 1, seed: 1 });
    const x = randomUniform([3, 8, 8, 1], 3, -0.5, 0.5);
    const z = randomNormal([3, 3], 4);
    const losses = (tensor: boolean) => {
      const e = buildEncoder({ latentDim: 3, filters: 2, imageSize: 8, channels: 1, seed: 2 });
      const opt = tf.train.adam(5e-3, 0.5);
      let out: number[];
      if (tensor) {
        const kept: tf.Scalar[] = [];
        expect(countHostReads(() => Array.from({ length: 4 }, () => kept.push(encoderTrainStepTensor(opt, { encoder: e, generator: g, x, z }))))).toBe(0);
        const stacked = tf.stack(kept);
        out = Array.from(stacked.dataSync()); // one read for the four steps
        tf.dispose([stacked, ...kept]);
      } else out = Array.from({ length: 4 }, () => encoderTrainStep(opt, { encoder: e, generator: g, x, z }));
      opt.dispose();
      e.dispose();
      return out;
    };
    expect(losses(true)).toEqual(losses(false));
    tf.dispose([x, z]);
    g.dispose();
  });

  it('passes labels to a conditional generator; does not leak; round-trips', async () => {
    const g = buildConditionalDcganGenerator({ latentDim: 3, numClasses: 2, filters: 2, imageSize: 8, channels: 1, seed: 1 });
    const e = buildEncoder({ latentDim: 3, filters: 2, imageSize: 8, channels: 1, seed: 2 });
    const x = randomUniform([2, 8, 8, 1], 3);
    const y = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const opt = tf.train.sgd(1e-3);
    await expectNoLeak(() => encoderTrainStep(opt, { encoder: e, generator: g, x, labels: y }));
    const before = e.predict(x) as tf.Tensor;
    const loaded = await roundTrip(e);
    expectClose(loaded.predict(x) as tf.Tensor, before, { rtol: 0, atol: 0 });
    tf.dispose([x, y, before]);
    opt.dispose();
    g.dispose();
    e.dispose();
    loaded.dispose();
  });

  it('rejects wrong shapes and missing arguments clearly', () => {
    const g = buildDcganGenerator({ latentDim: 3, filters: 2, imageSize: 8, channels: 1 });
    const e = buildEncoder({ latentDim: 3, filters: 2, imageSize: 8, channels: 1 });
    const bad = tf.zeros([2, 16, 16, 1]);
    expect(() => encoderLoss({ encoder: e, generator: g, x: bad })).toThrow(/encoderLoss: 'x' must have shape \[\*, 8, 8, 1\]; got \[2, 16, 16, 1\]/);
    expect(() => encoderLoss({ encoder: e, generator: g })).toThrow(/give 'x'.*'z'/);
    const zBad = tf.zeros([2, 4]);
    expect(() => encoderLoss({ encoder: e, generator: g, z: zBad })).toThrow(/'z' must have shape \[\*, 3\]; got \[2, 4\]/);
    tf.dispose([bad, zBad]);
    g.dispose();
    e.dispose();
  });
});
