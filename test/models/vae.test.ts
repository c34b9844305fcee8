import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Vae, buildVae } from '../../src/models/vae.js';
import { countTrainableParams } from '../../src/models/common.js';
import { expectClose, expectNoLeak, loadFixture, lossBeforeAfter, randomNormal, randomUniform } from '../helpers/index.js';
import { type FixtureTensor, fromFixture, roundTrip, setLayerWeights } from './model_test_utils.js';

const fx = loadFixture('models_dcgan_vae').vae;

/** PyTorch-VAE VanillaVAE.loss_function with kld_weight w: mse(mean) + w·mean_b(−½Σ(1 + lv − μ² − e^lv)). */
function elbo(vae: Vae, x: tf.Tensor, seed: number, kldWeight = 0.01): tf.Scalar {
  const { recon, mu, logVar } = vae.forward(x, seed, true);
  const rec = tf.mean(tf.square(tf.sub(recon, x)));
  const kld = tf.mean(tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mu)), tf.exp(logVar)), 1)));
  return tf.add(rec, tf.mul(kldWeight, kld)) as tf.Scalar;
}

describe('buildVae (AntixK/PyTorch-VAE conv architecture)', () => {
  it('has the reference parameter counts at 64×64 (encoder 2,095,104; decoder 1,842,531)', () => {
    // Encoder by hand: convs Σ(9·c_in·c_out + c_out) over 3→32→64→128→256→512 = 1,568,576; BN 2·992 = 1,984;
    // fc_mu + fc_var 2·(2048·128 + 128) = 524,544 → 2,095,104.
    // Decoder: 128·2048 + 2048 = 264,192; ConvT 512→256→128→64→32: 1,179,904 + 295,040 + 73,792 + 18,464; BN 2·480 = 960;
    // final ConvT 32→32: 9,248 + BN 64; Conv 32→3: 867 → 1,842,531.
    const vae = buildVae();
    expect(countTrainableParams(vae.encoder)).toBe(2_095_104);
    expect(countTrainableParams(vae.decoder)).toBe(1_842_531);
    expect(fx.referenceEncoderParams).toBe(2_095_104);
    expect(fx.referenceDecoderParams).toBe(1_842_531);
    expect(vae.encoder.outputs.map((o) => o.shape)).toEqual([
      [null, 128],
      [null, 128],
    ]);
    expect(vae.decoder.outputs[0].shape).toEqual([null, 64, 64, 3]);
    vae.dispose();
  });

  it('encodes and decodes exactly as the PyTorch reference (fixture, eval mode, 16×16, PyTorch padding)', () => {
    const vae = buildVae({ imageSize: fx.imageSize, channels: fx.channels, hiddenDims: fx.hiddenDims, latentDim: fx.latentDim });
    setLayerWeights(vae.encoder, fx.encoderWeights as FixtureTensor[][]);
    setLayerWeights(vae.decoder, fx.decoderWeights as FixtureTensor[][]);
    const x = fromFixture(fx.x);
    const z = fromFixture(fx.z);
    const { mu, logVar } = vae.encode(x);
    expectClose(mu, fromFixture(fx.mu), { rtol: 1e-4, atol: 1e-4 });
    expectClose(logVar, fromFixture(fx.logVar), { rtol: 1e-4, atol: 1e-4 });
    expectClose(vae.decode(z), fromFixture(fx.decoded), { rtol: 1e-4, atol: 1e-5 });
    tf.dispose([x, z, mu, logVar]);
    vae.dispose();
  });

  it("initialises as PyTorch's defaults: weights U(±1/√fan_in) (kaiming-uniform a = √5), biases U(±1/√fan_in)", () => {
    const vae = buildVae({ imageSize: 16, channels: 3, hiddenDims: [32, 32], latentDim: 4, seed: 9 });
    const conv2 = vae.encoder.layers.filter((l) => l.getClassName() === 'Conv2D')[1];
    const [k, b] = conv2.getWeights();
    const bound = 1 / Math.sqrt(9 * 32);
    const kv = Array.from(k.dataSync());
    expect(Math.max(...kv.map(Math.abs))).toBeLessThanOrEqual(bound + 1e-7);
    const std = Math.sqrt(kv.reduce((a, v) => a + v * v, 0) / kv.length);
    expect(std).toBeGreaterThan(0.9 * (bound / Math.sqrt(3)));
    expect(std).toBeLessThan(1.1 * (bound / Math.sqrt(3)));
    const bv = Array.from(b.dataSync());
    expect(Math.max(...bv.map(Math.abs))).toBeLessThanOrEqual(bound + 1e-7);
    expect(Math.max(...bv.map(Math.abs))).toBeGreaterThan(0.3 * bound);
    vae.dispose();
  });

  it('reparameterizes as μ + ε·exp(½ logvar) with seeded ε', () => {
    const vae = buildVae({ imageSize: 8, channels: 1, hiddenDims: [2], latentDim: 3 });
    const mu = tf.tensor2d([[1, 2, 3]]);
    const lv = tf.tensor2d([[0, Math.log(4), -100]]);
    const eps = tf.randomNormal([1, 3], 0, 1, 'float32', 7);
    const z = vae.reparameterize(mu, lv, 7);
    expectClose(z, tf.add(mu, tf.mul(eps, tf.tensor2d([[1, 2, 0]]))), { rtol: 1e-5, atol: 1e-6 });
    expectClose(vae.reparameterize(mu, lv, 7), z, { rtol: 0, atol: 0 });
    tf.dispose([mu, lv, eps, z]);
    vae.dispose();
  });

  it('a few Adam steps on the ELBO lower it on a fixed batch; sample has the image shape', () => {
    const vae = buildVae({ imageSize: 8, channels: 1, hiddenDims: [2, 4], latentDim: 2, seed: 3 });
    const x = randomUniform([4, 8, 8, 1], 1, -0.8, 0.8);
    const opt = tf.train.adam(5e-3);
    const vars = vae.trainableVariables();
    const [before, after] = lossBeforeAfter(opt, () => elbo(vae, x, 11), vars, 4);
    expect(after).toBeLessThan(before);
    const s = vae.sample(3, 1);
    expect(s.shape).toEqual([3, 8, 8, 1]);
    tf.dispose([x, s]);
    opt.dispose();
    vae.dispose();
  });

  it('round-trips encoder and decoder through saveModel / loadModel', async () => {
    const vae = buildVae({ imageSize: 8, channels: 1, hiddenDims: [2, 4], latentDim: 2, outputActivation: 'sigmoid', seed: 4 });
    const x = randomUniform([2, 8, 8, 1], 2);
    const before = vae.reconstruct(x);
    const loaded = new Vae(await roundTrip(vae.encoder), await roundTrip(vae.decoder));
    expectClose(loaded.reconstruct(x), before, { rtol: 0, atol: 0 });
    tf.dispose([x, before]);
    vae.dispose();
    loaded.dispose();
  });

  it('does not leak in forward, sample and training steps', async () => {
    const vae = buildVae({ imageSize: 8, channels: 1, hiddenDims: [2], latentDim: 2, seed: 5 });
    const x = randomNormal([2, 8, 8, 1], 3);
    const opt = tf.train.sgd(1e-3);
    await expectNoLeak(() => {
      const f = vae.forward(x, 1);
      tf.dispose([f.recon, f.mu, f.logVar, f.z]);
      vae.sample(2, 3).dispose();
      opt.minimize(() => elbo(vae, x, 2), true, vae.trainableVariables())?.dispose();
    });
    x.dispose();
    opt.dispose();
    vae.dispose();
  });

  it('rejects bad options and wrong shapes clearly', () => {
    expect(() => buildVae({ imageSize: 20, hiddenDims: [2, 2, 2] })).toThrow(/buildVae: 'imageSize' must be divisible by 2\^3.*got 20/);
    expect(() => buildVae({ hiddenDims: [] })).toThrow(/'hiddenDims' must be a non-empty array/);
    const vae = buildVae({ imageSize: 8, channels: 1, hiddenDims: [2], latentDim: 2 });
    const bad = tf.zeros([1, 8, 8, 3]);
    expect(() => vae.encode(bad)).toThrow(/Vae.encode: 'x' must have shape \[\*, 8, 8, 1\]; got \[1, 8, 8, 3\]/);
    const zBad = tf.zeros([1, 5]);
    expect(() => vae.decode(zBad)).toThrow(/Vae.decode: 'z' must have shape \[\*, 2\]; got \[1, 5\]/);
    expect(() => vae.reparameterize(zBad, zBad, 1)).toThrow(/'mu' and 'logVar' must both have shape \[\*, 2\]/);
    tf.dispose([bad, zBad]);
    vae.dispose();
  });
});
