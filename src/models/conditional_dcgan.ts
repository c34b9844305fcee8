import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger } from '../util/validate.js';
import { ClassConditionalAffine } from '../layers/class_conditional_affine.js';
import { SeedStream, ap } from './common.js';
import { type DcganDiscriminatorOptions, type DcganGeneratorOptions, dcganDiscriminatorTrunk, dcganGeneratorTrunk, resolveDiscriminatorOptions, resolveGeneratorOptions } from './dcgan.js';

/**
 * Conditional DCGANs.
 *
 * 1. Document 003 (Fan, Liu, Wang: "Human Emotion Generation with GANs", §2.2.1): a DCGAN whose
 *    generator gets the one-hot label y concatenated to z (G(z|y)) and whose discriminator sees y
 *    too (D(x|y)); here y is tiled over H×W and concatenated to the image channels
 *    (the conditional-GAN construction of Mirza & Osindero). `labelInjection: 'every-layer'`
 *    also concatenates the tiled y to every hidden feature map of G and of D. DCGAN-tensorflow's
 *    y_dim path (carpedm20/DCGAN-tensorflow model.py, `conv_cond_concat`), the TensorFlow code
 *    document 003 builds on, does this after every generator layer and after the discriminator's
 *    input and first block, then concatenates y to its fully connected layers. Trunks are the DCGAN ones of ./dcgan.ts.
 * 2. The TensorFlow.js ACGAN example (tensorflow/tfjs-examples mnist-acgan/gan.js): generator
 *    input `Embedding(classes → latent) ⊙ z`; discriminator with a real/fake head and a class head.
 */
/**
 * Where the one-hot label enters: 'input' (default) concatenates it to z in G and tiles it as extra
 * image channels in D; 'every-layer' also tiles it onto every hidden feature map (DCGAN-tensorflow's
 * y_dim construction), so that every convolution sees the label — a stronger signal that keeps G
 * from ignoring y when D is small. 'conditional-bn' (generator only) concatenates y to z and also
 * gives every BatchNorm of G a class-dependent γ, β ({@link ClassConditionalAffine}; the generator
 * of Miyato & Koyama 2018 and BigGAN); a discriminator given it treats it as 'input'.
 */
export type LabelInjection = 'input' | 'every-layer' | 'conditional-bn';

export interface ConditionalDcganGeneratorOptions extends DcganGeneratorOptions {
  /** Number of classes (one-hot length; default 7, the emotions of document 003). */
  numClasses?: number;
  /** Default 'input'. */
  labelInjection?: LabelInjection;
}

export interface ConditionalDcganDiscriminatorOptions extends DcganDiscriminatorOptions {
  numClasses?: number;
  /** Default 'input'. */
  labelInjection?: LabelInjection;
  /**
   * Also add the projection term ⟨V·y, φ(x)⟩ to the logit, with φ(x) the last block's flattened
   * features and V a learned class embedding (Miyato & Koyama 2018, "cGANs with Projection
   * Discriminator", eq. 3; with one-hot y, V·y is the class's row). Default false.
   */
  projection?: boolean;
}

function resolveLabelInjection(where: string, v: LabelInjection | undefined): LabelInjection {
  const r = v ?? 'input';
  if (r !== 'input' && r !== 'every-layer' && r !== 'conditional-bn') throw new Error(`${where}: 'labelInjection' must be 'input', 'every-layer' or 'conditional-bn'; got ${String(v)}`);
  return r;
}

/** y [B, K] → [B, side, side, K]: the label as constant feature maps. */
function tileLabel(y: tfl.SymbolicTensor, side: number, numClasses: number): tfl.SymbolicTensor {
  return ap(tfl.layers.reshape({ targetShape: [side, side, numClasses] }), ap(tfl.layers.repeatVector({ n: side * side }), y));
}

/** The trunk hook that concatenates the tiled label to a feature map. */
function concatLabel(y: tfl.SymbolicTensor, numClasses: number) {
  return (h: tfl.SymbolicTensor, side: number) => ap(tfl.layers.concatenate({ axis: -1 }), [h, tileLabel(y, side, numClasses)]);
}

/**
 * G([z [B, latentDim], y [B, numClasses]]) → image: concat(z, y) then the DCGAN generator trunk.
 * Reference size (nz 100, 7 classes, ngf 64, 64×64×3): 3,634,048 trainable parameters
 * (the DCGAN generator's 3,576,704 plus 7·512·16 for the label rows of the first kernel); with
 * `labelInjection: 'every-layer'` each later ConvT kernel also gets 7 input channels
 * (+ 7·16·(256 + 128 + 64 + 3) = 50,512, 3,684,560 in all); with 'conditional-bn' each hidden
 * BatchNorm is followed by a class affine Γ, B ∈ R^{7×C} (+ 7·2·(512 + 256 + 128 + 64) = 13,440,
 * 3,647,488 in all; BatchNorm keeps its own γ, β, which tfjs-layers needs in training).
 */
export function buildConditionalDcganGenerator(options: ConditionalDcganGeneratorOptions = {}): tfl.LayersModel {
  const where = 'buildConditionalDcganGenerator';
  const o = resolveGeneratorOptions(where, options);
  const numClasses = options.numClasses ?? 7;
  assertPositiveInteger(where, 'numClasses', numClasses);
  const injection = resolveLabelInjection(where, options.labelInjection);
  const z = tfl.input({ shape: [o.latentDim], name: 'z' });
  const y = tfl.input({ shape: [numClasses], name: 'label' });
  const zy = ap(tfl.layers.concatenate({ axis: -1 }), [z, y]);
  const conditionalAffine = injection === 'conditional-bn' ? (h: tfl.SymbolicTensor, seed: number) => ap(new ClassConditionalAffine({ seed }), [h, y]) : undefined;
  const out = dcganGeneratorTrunk(zy, o.latentDim + numClasses, o, injection === 'every-layer' ? concatLabel(y, numClasses) : undefined, conditionalAffine);
  return tfl.model({ inputs: [z, y], outputs: out, name: options.name ?? 'cdcgan_generator' });
}

/**
 * D([image [B, S, S, C], y [B, numClasses]]) → [B, 1]: y tiled to [B, S, S, numClasses] and
 * concatenated to the image channels, then the DCGAN discriminator trunk.
 * Reference size (7 classes, ndf 64, 64×64×3): 2,772,736 trainable parameters
 * (2,765,568 + 7·64·16 for the label channels of the first kernel); with
 * `labelInjection: 'every-layer'` each later conv kernel also gets 7 input channels
 * (+ 7·16·(128 + 256 + 512 + 1) = 100,464, 2,873,200 in all).
 */
export function buildConditionalDcganDiscriminator(options: ConditionalDcganDiscriminatorOptions = {}): tfl.LayersModel {
  const where = 'buildConditionalDcganDiscriminator';
  const o = resolveDiscriminatorOptions(where, options);
  const numClasses = options.numClasses ?? 7;
  assertPositiveInteger(where, 'numClasses', numClasses);
  const injection = resolveLabelInjection(where, options.labelInjection);
  const x = tfl.input({ shape: [o.imageSize, o.imageSize, o.channels], name: 'image' });
  const y = tfl.input({ shape: [numClasses], name: 'label' });
  const xy = ap(tfl.layers.concatenate({ axis: -1 }), [x, tileLabel(y, o.imageSize, numClasses)]);
  const seeds = new SeedStream(o.seed + 7919);
  const projection = options.projection
    ? (features: tfl.SymbolicTensor) => {
        const embedded = ap(tfl.layers.dense({ units: features.shape[1]!, useBias: false, kernelInitializer: seeds.normal(0.02) }), y);
        return ap(tfl.layers.dot({ axes: 1 }), [embedded, features]);
      }
    : undefined;
  const out = dcganDiscriminatorTrunk(xy, o, injection === 'every-layer' ? concatLabel(y, numClasses) : undefined, projection);
  return tfl.model({ inputs: [x, y], outputs: out, name: options.name ?? 'cdcgan_discriminator' });
}

export interface AcganGeneratorOptions {
  /** Latent size (default 100). */
  latentDim?: number;
  /** Number of classes (default 10). */
  numClasses?: number;
  /** Output channels (default 1). */
  channels?: number;
  /** Side of the first feature map (default 3 ⇒ 28×28 output: (3 + 4)·4). */
  baseSize?: number;
  seed?: number;
  name?: string;
}

/**
 * tfjs-examples mnist-acgan `buildGenerator`: inputs latent [latentDim] and class [1] (integer
 * class index as float32/int32); `Embedding(numClasses, latentDim, glorotNormal)` ⊙ latent →
 * Dense(3·3·384, relu) → reshape → ConvT(192, k5, s1, valid, relu) + BN → ConvT(96, k5, s2, same,
 * relu) + BN → ConvT(channels, k5, s2, same, tanh) → [28, 28, 1]. Keras-default batch norm
 * (momentum 0.99, ε 1e-3) as the example.
 * Reference size: 2,657,321 trainable parameters (2,657,897 with the batch-norm moving statistics).
 */
export function buildAcganGenerator(options: AcganGeneratorOptions = {}): tfl.LayersModel {
  const where = 'buildAcganGenerator';
  const latentDim = options.latentDim ?? 100;
  const numClasses = options.numClasses ?? 10;
  const channels = options.channels ?? 1;
  const base = options.baseSize ?? 3;
  for (const [k, v] of Object.entries({ latentDim, numClasses, channels, baseSize: base })) assertPositiveInteger(where, k, v);
  const seeds = new SeedStream(options.seed ?? 0);
  const latent = tfl.input({ shape: [latentDim], name: 'z' });
  const imageClass = tfl.input({ shape: [1], name: 'label' });
  const emb = ap(tfl.layers.flatten(), ap(tfl.layers.embedding({ inputDim: numClasses, outputDim: latentDim, embeddingsInitializer: seeds.glorotNormal() }), imageClass));
  const h0 = ap(tfl.layers.multiply(), [latent, emb]);
  let h = ap(tfl.layers.dense({ units: base * base * 384, activation: 'relu', kernelInitializer: seeds.glorotNormal() }), h0);
  h = ap(tfl.layers.reshape({ targetShape: [base, base, 384] }), h);
  h = ap(tfl.layers.conv2dTranspose({ filters: 192, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu', kernelInitializer: seeds.glorotNormal() }), h);
  h = ap(tfl.layers.batchNormalization(), h);
  h = ap(tfl.layers.conv2dTranspose({ filters: 96, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: seeds.glorotNormal() }), h);
  h = ap(tfl.layers.batchNormalization(), h);
  h = ap(tfl.layers.conv2dTranspose({ filters: channels, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: seeds.glorotNormal() }), h);
  return tfl.model({ inputs: [latent, imageClass], outputs: h, name: options.name ?? 'acgan_generator' });
}

export interface AcganDiscriminatorOptions {
  imageSize?: number;
  channels?: number;
  numClasses?: number;
  /** Dropout rate after every conv (default 0.3). */
  dropout?: number;
  seed?: number;
  name?: string;
}

/**
 * tfjs-examples mnist-acgan `buildDiscriminator`: 4× [Conv2D k3 same (32 s2, 64 s1, 128 s2,
 * 256 s1) + LeakyReLU(0.2) + Dropout(0.3)] → flatten → [Dense(1, sigmoid), Dense(numClasses,
 * softmax)]. Outputs `[realness [B, 1], classProbs [B, numClasses]]`.
 * Reference size (28×28×1, 10 classes): 525,835 trainable parameters.
 */
export function buildAcganDiscriminator(options: AcganDiscriminatorOptions = {}): tfl.LayersModel {
  const where = 'buildAcganDiscriminator';
  const imageSize = options.imageSize ?? 28;
  const channels = options.channels ?? 1;
  const numClasses = options.numClasses ?? 10;
  const rate = options.dropout ?? 0.3;
  for (const [k, v] of Object.entries({ imageSize, channels, numClasses })) assertPositiveInteger(where, k, v);
  if (!(rate >= 0 && rate < 1)) throw new Error(`${where}: 'dropout' must be in [0, 1); got ${rate}`);
  const seeds = new SeedStream(options.seed ?? 0);
  const x = tfl.input({ shape: [imageSize, imageSize, channels], name: 'image' });
  let h = x;
  const spec: [number, number][] = [
    [32, 2],
    [64, 1],
    [128, 2],
    [256, 1],
  ];
  for (const [filters, strides] of spec) {
    h = ap(tfl.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', kernelInitializer: seeds.glorotNormal() }), h);
    h = ap(tfl.layers.leakyReLU({ alpha: 0.2 }), h);
    h = ap(tfl.layers.dropout({ rate, seed: seeds.next() }), h);
  }
  h = ap(tfl.layers.flatten(), h);
  const realness = ap(tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: seeds.glorotNormal(), name: 'realness' }), h);
  const aux = ap(tfl.layers.dense({ units: numClasses, activation: 'softmax', kernelInitializer: seeds.glorotNormal(), name: 'class_probs' }), h);
  return tfl.model({ inputs: x, outputs: [realness, aux], name: options.name ?? 'acgan_discriminator' });
}
