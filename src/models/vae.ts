import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger } from '../util/validate.js';
import { SeedStream, ap, assertModelInput, trainableVariables } from './common.js';

/**
 * The convolutional VAE of AntixK/PyTorch-VAE (models/vanilla_vae.py, beta_vae.py, dfcvae.py share
 * it; algorithms.md §7), for the plain VAE, β-VAE (H and B) and DFC-VAE — they differ only in the
 * loss (src/losses), not in the networks.
 *
 * Encoder: per hidden width h: Conv2d(k3, s2, p1) + BatchNorm + LeakyReLU(0.01) → flatten →
 * fc_mu, fc_var (log-variance). Decoder: Linear(latent → h_last·s·s) → view [s, s, h_last] →
 * per reversed width: ConvTranspose2d(k3, s2, p1, output_padding 1) + BN + LeakyReLU → final
 * ConvTranspose2d(h_first → h_first, same recipe) + BN + LeakyReLU → Conv2d(k3, p1 → channels) → Tanh.
 * Reparameterisation z = μ + ε·exp(½·logvar).
 *
 * PyTorch's padding is reproduced exactly (NHWC): the stride-2 conv pads 1 on every side then
 * runs 'valid'; the transposed conv runs 'valid' and crops the first row and column (padding 1)
 * — TF's 'same' would shift the grid by one pixel. Checked against a PyTorch fixture.
 * Initialisation follows PyTorch's defaults (weights kaiming-uniform(a = √5), biases U(±1/√fan_in)).
 */
export interface VaeOptions {
  /** Input side (default 64); must be divisible by 2^hiddenDims.length. */
  imageSize?: number;
  channels?: number;
  /** Encoder widths (default [32, 64, 128, 256, 512]); the decoder mirrors them. */
  hiddenDims?: number[];
  latentDim?: number;
  /** 'tanh' (reference), 'sigmoid' (PyTorch-VAE PR #63, for [0, 1] data) or 'linear'. */
  outputActivation?: 'tanh' | 'sigmoid' | 'linear';
  /** LeakyReLU slope (PyTorch default 0.01). */
  leak?: number;
  bnMomentum?: number;
  bnEpsilon?: number;
  seed?: number;
}

function torchConvS2(seeds: SeedStream, inChannels: number, filters: number): tfl.layers.Layer[] {
  return [
    tfl.layers.zeroPadding2d({
      padding: [
        [1, 1],
        [1, 1],
      ],
    }),
    tfl.layers.conv2d({ filters, kernelSize: 3, strides: 2, padding: 'valid', kernelInitializer: seeds.torchDefault(), biasInitializer: seeds.torchBias(9 * inChannels) }),
  ];
}

function torchConvTS2(seeds: SeedStream, filters: number): tfl.layers.Layer[] {
  return [
    // PyTorch's ConvTranspose2d fan_in is computed from weight dim 1 (= out channels)·k·k.
    tfl.layers.conv2dTranspose({ filters, kernelSize: 3, strides: 2, padding: 'valid', kernelInitializer: seeds.torchDefault(), biasInitializer: seeds.torchBias(9 * filters) }),
    tfl.layers.cropping2D({
      cropping: [
        [1, 0],
        [1, 0],
      ],
    }),
  ];
}

/**
 * Build the encoder ([B, S, S, C] → [mu, logVar], each [B, latent]) and decoder ([B, latent] →
 * [B, S, S, C]) of the PyTorch-VAE architecture.
 * Reference size (64×64×3, [32, 64, 128, 256, 512], latent 128): encoder 2,095,104 and decoder
 * 1,842,531 trainable parameters — 3,937,635 in all, as `sum(p.numel() for p in VanillaVAE(3, 128).parameters())`.
 */
export function buildVae(options: VaeOptions = {}): Vae {
  const where = 'buildVae';
  const imageSize = options.imageSize ?? 64;
  const channels = options.channels ?? 3;
  const hidden = options.hiddenDims ?? [32, 64, 128, 256, 512];
  const latentDim = options.latentDim ?? 128;
  const act = options.outputActivation ?? 'tanh';
  const leak = options.leak ?? 0.01;
  const momentum = options.bnMomentum ?? 0.9;
  const epsilon = options.bnEpsilon ?? 1e-5;
  for (const [k, v] of Object.entries({ imageSize, channels, latentDim })) assertPositiveInteger(where, k, v);
  if (!Array.isArray(hidden) || hidden.length === 0) throw new Error(`${where}: 'hiddenDims' must be a non-empty array of positive integers; got ${JSON.stringify(hidden)}`);
  hidden.forEach((h, i) => assertPositiveInteger(where, `hiddenDims[${i}]`, h));
  if (!['tanh', 'sigmoid', 'linear'].includes(act)) throw new Error(`${where}: 'outputActivation' must be 'tanh', 'sigmoid' or 'linear'; got ${String(act)}`);
  const s = imageSize / 2 ** hidden.length;
  if (!Number.isInteger(s) || s < 1) throw new Error(`${where}: 'imageSize' must be divisible by 2^${hidden.length} (one halving per hidden width); got ${imageSize}`);
  const seeds = new SeedStream(options.seed ?? 0);
  const bn = () => tfl.layers.batchNormalization({ momentum, epsilon });
  const lrelu = () => tfl.layers.leakyReLU({ alpha: leak });

  const x = tfl.input({ shape: [imageSize, imageSize, channels], name: 'image' });
  let h: tfl.SymbolicTensor = x;
  let cin = channels;
  for (const width of hidden) {
    for (const l of [...torchConvS2(seeds, cin, width), bn(), lrelu()]) h = ap(l, h);
    cin = width;
  }
  // PyTorch flattens NCHW; transpose so fc weights index the same way as torch.flatten(start_dim=1).
  h = ap(tfl.layers.permute({ dims: [3, 1, 2] }), h);
  h = ap(tfl.layers.flatten(), h);
  const flat = hidden[hidden.length - 1] * s * s;
  const mu = ap(tfl.layers.dense({ units: latentDim, kernelInitializer: seeds.torchDefault(), biasInitializer: seeds.torchBias(flat), name: 'fc_mu' }), h);
  const logVar = ap(tfl.layers.dense({ units: latentDim, kernelInitializer: seeds.torchDefault(), biasInitializer: seeds.torchBias(flat), name: 'fc_var' }), h);
  const encoder = tfl.model({ inputs: x, outputs: [mu, logVar], name: 'vae_encoder' });

  const z = tfl.input({ shape: [latentDim], name: 'z' });
  const last = hidden[hidden.length - 1];
  let d = ap(tfl.layers.dense({ units: last * s * s, kernelInitializer: seeds.torchDefault(), biasInitializer: seeds.torchBias(latentDim), name: 'decoder_input' }), z);
  d = ap(tfl.layers.reshape({ targetShape: [last, s, s] }), d);
  d = ap(tfl.layers.permute({ dims: [2, 3, 1] }), d);
  const rev = [...hidden].reverse();
  for (let i = 0; i < rev.length - 1; i++) {
    for (const l of [...torchConvTS2(seeds, rev[i + 1]), bn(), lrelu()]) d = ap(l, d);
  }
  for (const l of [...torchConvTS2(seeds, hidden[0]), bn(), lrelu()]) d = ap(l, d);
  d = ap(tfl.layers.conv2d({ filters: channels, kernelSize: 3, padding: 'same', kernelInitializer: seeds.torchDefault(), biasInitializer: seeds.torchBias(9 * hidden[0]) }), d);
  if (act !== 'linear') d = ap(tfl.layers.activation({ activation: act }), d);
  const decoder = tfl.model({ inputs: z, outputs: d, name: 'vae_decoder' });
  return new Vae(encoder, decoder);
}

export interface VaeForward {
  recon: tf.Tensor;
  mu: tf.Tensor;
  logVar: tf.Tensor;
  z: tf.Tensor;
}

/** A VAE as an encoder/decoder pair with the PyTorch-VAE API (encode, reparameterize, decode, forward, sample). */
export class Vae {
  readonly latentDim: number;
  constructor(
    readonly encoder: tfl.LayersModel,
    readonly decoder: tfl.LayersModel,
  ) {
    if (encoder.outputs.length !== 2) throw new Error(`Vae: 'encoder' must have two outputs [mu, logVar]; got ${encoder.outputs.length}`);
    const latent = encoder.outputs[0].shape[1];
    const dIn = decoder.inputs[0].shape;
    if (latent == null || dIn.length !== 2 || dIn[1] !== latent) {
      throw new Error(`Vae: the decoder input must be [*, ${latent}] to match the encoder; got [${dIn.join(', ')}]`);
    }
    this.latentDim = latent;
  }

  /** x → {mu, logVar} (PyTorch-VAE `encode`). */
  encode(x: tf.Tensor, training = false): { mu: tf.Tensor; logVar: tf.Tensor } {
    assertModelInput('Vae.encode', 'x', x, this.encoder);
    const [mu, logVar] = this.encoder.apply(x, { training }) as tf.Tensor[];
    return { mu, logVar };
  }

  /** z = μ + ε·exp(½·logVar), ε ~ N(0, I) drawn with `seed`. */
  reparameterize(mu: tf.Tensor, logVar: tf.Tensor, seed: number): tf.Tensor {
    if (mu.rank !== 2 || mu.shape[1] !== this.latentDim || !tf.util.arraysEqual(mu.shape, logVar.shape)) {
      throw new Error(`Vae.reparameterize: 'mu' and 'logVar' must both have shape [*, ${this.latentDim}]; got [${mu.shape.join(', ')}] and [${logVar.shape.join(', ')}]`);
    }
    return tf.tidy(() => tf.add(mu, tf.mul(tf.randomNormal(mu.shape, 0, 1, 'float32', seed), tf.exp(tf.mul(0.5, logVar)))));
  }

  /** z [B, latent] → x̂ (PyTorch-VAE `decode`). */
  decode(z: tf.Tensor, training = false): tf.Tensor {
    assertModelInput('Vae.decode', 'z', z, this.decoder);
    return this.decoder.apply(z, { training }) as tf.Tensor;
  }

  /** encode → reparameterize → decode (PyTorch-VAE `forward`). */
  forward(x: tf.Tensor, seed: number, training = false): VaeForward {
    return tf.tidy(() => {
      const { mu, logVar } = this.encode(x, training);
      const z = this.reparameterize(mu, logVar, seed);
      return { recon: this.decode(z, training), mu, logVar, z };
    }) as unknown as VaeForward;
  }

  /** Decode `n` draws z ~ N(0, I) (PyTorch-VAE `sample`). */
  sample(n: number, seed: number): tf.Tensor {
    assertPositiveInteger('Vae.sample', 'n', n);
    return tf.tidy(() => this.decode(tf.randomNormal([n, this.latentDim], 0, 1, 'float32', seed)));
  }

  /** Reconstruct through the means (PyTorch-VAE `generate` uses forward; this is the deterministic variant). */
  reconstruct(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.decode(this.encode(x).mu));
  }

  trainableVariables(): tf.Variable[] {
    return [...trainableVariables(this.encoder), ...trainableVariables(this.decoder)];
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}
