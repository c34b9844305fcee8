import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger } from '../util/validate.js';
import { MinibatchStdDev } from '../layers/minibatch_stddev.js';
import { SeedStream, ap, log2Stages } from './common.js';

/**
 * DCGAN generator and discriminator as in document 002 (cheermeup) — "conv → batchnorm → relu ×4 →
 * conv → tanh" and "Conv → LeakyRelu → [Conv → BatchNorm → LeakyRelu] ×3 → Conv" — which is the
 * Radford et al. DCGAN in its PyTorch reference form (pytorch/examples dcgan/main.py, nz 100,
 * ngf = ndf = 64, 4×4 kernels, stride 2 / padding 1, bias-free convolutions, weights N(0, 0.02),
 * batch-norm γ ~ N(1, 0.02), β = 0, LeakyReLU 0.2). Document 003 uses the same recipe (N(0, 0.02)
 * init, LReLU 0.2, Adam 2e-4 / β1 0.5).
 *
 * Layout is NHWC. A k4 s2 'same' convolution pads 1 on each side, exactly PyTorch's padding 1,
 * so the layers compute the reference functions (checked against a PyTorch fixture).
 * Sizes are configurable: `imageSize` = 4·2^k gives k+1 generator convolutions (5 at 64×64).
 */
export interface DcganGeneratorOptions {
  /** Latent size nz (default 100). */
  latentDim?: number;
  /** Output side, 4·2^k with k ≥ 1 (default 64). */
  imageSize?: number;
  /** Output channels (default 3). */
  channels?: number;
  /** ngf: filters of the last hidden layer; doubled towards the input (default 64). */
  filters?: number;
  /** Batch-norm momentum in Keras convention (PyTorch's 0.1 ⇔ 0.9, the default). */
  bnMomentum?: number;
  /** Batch-norm epsilon (PyTorch default 1e-5). */
  bnEpsilon?: number;
  seed?: number;
  name?: string;
}

export interface DcganDiscriminatorOptions {
  imageSize?: number;
  channels?: number;
  /** ndf: filters of the first layer, doubled per stage (default 64). */
  filters?: number;
  /** 'linear' (logits, for BCE-with-logits or least squares; default) or 'sigmoid' (the PyTorch example's final Sigmoid). */
  outputActivation?: 'linear' | 'sigmoid';
  /** LeakyReLU slope (default 0.2). */
  leak?: number;
  /**
   * Group size of a minibatch-standard-deviation feature map appended before the last conv
   * (Karras et al. 2018, PGGAN §3: D sees how varied its batch is, which counters mode collapse);
   * 0 (default) leaves it out, as the DCGAN reference. The training batch must be divisible by it.
   */
  minibatchStdDevGroup?: number;
  bnMomentum?: number;
  bnEpsilon?: number;
  seed?: number;
  name?: string;
}

/** @internal Shared defaults resolved once. */
export function resolveGeneratorOptions(where: string, o: DcganGeneratorOptions) {
  const r = {
    latentDim: o.latentDim ?? 100,
    imageSize: o.imageSize ?? 64,
    channels: o.channels ?? 3,
    filters: o.filters ?? 64,
    bnMomentum: o.bnMomentum ?? 0.9,
    bnEpsilon: o.bnEpsilon ?? 1e-5,
    seed: o.seed ?? 0,
  };
  assertPositiveInteger(where, 'latentDim', r.latentDim);
  assertPositiveInteger(where, 'channels', r.channels);
  assertPositiveInteger(where, 'filters', r.filters);
  return { ...r, stages: log2Stages(where, 'imageSize', r.imageSize) };
}

export function resolveDiscriminatorOptions(where: string, o: DcganDiscriminatorOptions) {
  const r = {
    imageSize: o.imageSize ?? 64,
    channels: o.channels ?? 3,
    filters: o.filters ?? 64,
    outputActivation: o.outputActivation ?? 'linear',
    leak: o.leak ?? 0.2,
    minibatchStdDevGroup: o.minibatchStdDevGroup ?? 0,
    bnMomentum: o.bnMomentum ?? 0.9,
    bnEpsilon: o.bnEpsilon ?? 1e-5,
    seed: o.seed ?? 0,
  };
  if (r.minibatchStdDevGroup !== 0) assertPositiveInteger(where, 'minibatchStdDevGroup', r.minibatchStdDevGroup);
  assertPositiveInteger(where, 'channels', r.channels);
  assertPositiveInteger(where, 'filters', r.filters);
  if (r.outputActivation !== 'linear' && r.outputActivation !== 'sigmoid') {
    throw new Error(`${where}: 'outputActivation' must be 'linear' or 'sigmoid'; got ${String(r.outputActivation)}`);
  }
  return { ...r, stages: log2Stages(where, 'imageSize', r.imageSize) };
}

function batchNorm(seeds: SeedStream, momentum: number, epsilon: number): tfl.layers.Layer {
  return tfl.layers.batchNormalization({
    momentum,
    epsilon,
    gammaInitializer: seeds.normal(0.02, 1),
    betaInitializer: 'zeros',
  });
}

/**
 * @internal The generator trunk from a flat latent (already concatenated with any condition):
 * reshape to 1×1 → ConvT k4 s1 valid → [BN, ReLU, ConvT k4 s2] … → tanh.
 */
export function dcganGeneratorTrunk(
  input: tfl.SymbolicTensor,
  inDim: number,
  o: ReturnType<typeof resolveGeneratorOptions>,
  /** Called on each hidden block's output (after BN + ReLU) with its side; returns what the next ConvT sees (conditioning). */
  condition?: (h: tfl.SymbolicTensor, side: number) => tfl.SymbolicTensor,
  /** Adds a label-dependent affine after each hidden BatchNorm (conditional BatchNorm); gets the normalised map. */
  conditionalAffine?: (normalised: tfl.SymbolicTensor, seed: number) => tfl.SymbolicTensor,
): tfl.SymbolicTensor {
  const seeds = new SeedStream(o.seed);
  let h = ap(tfl.layers.reshape({ targetShape: [1, 1, inDim] }), input);
  const k = o.stages;
  for (let i = 0; i <= k; i++) {
    const last = i === k;
    const filters = last ? o.channels : o.filters * 2 ** (k - 1 - i);
    h = ap(
      tfl.layers.conv2dTranspose({
        filters,
        kernelSize: 4,
        strides: i === 0 ? 1 : 2,
        padding: i === 0 ? 'valid' : 'same',
        useBias: false,
        kernelInitializer: seeds.normal(0.02),
      }),
      h,
    );
    if (last) {
      h = ap(tfl.layers.activation({ activation: 'tanh' }), h);
    } else {
      h = ap(batchNorm(seeds, o.bnMomentum, o.bnEpsilon), h);
      // The label's γ, β go after BatchNorm's own (kept: tfjs-layers 4.22's BatchNormalization
      // reads gamma/beta in training even with center/scale false, and crashes without them).
      if (conditionalAffine) h = conditionalAffine(h, seeds.next());
      h = ap(tfl.layers.reLU(), h);
      if (condition) h = condition(h, 4 * 2 ** i);
    }
  }
  return h;
}

/** @internal The discriminator trunk from an image tensor with `inChannels` channels to one output per sample. */
export function dcganDiscriminatorTrunk(
  input: tfl.SymbolicTensor,
  o: ReturnType<typeof resolveDiscriminatorOptions>,
  /** Called on each block's output (after LeakyReLU) with its side; returns what the next conv sees (conditioning). */
  condition?: (h: tfl.SymbolicTensor, side: number) => tfl.SymbolicTensor,
  /** Adds a term to the logit from the last block's features φ(x) (flattened) — a projection discriminator's ⟨embed(y), φ(x)⟩. */
  logitTerm?: (features: tfl.SymbolicTensor) => tfl.SymbolicTensor,
): tfl.SymbolicTensor {
  const seeds = new SeedStream(o.seed);
  let h = input;
  for (let i = 0; i < o.stages; i++) {
    h = ap(tfl.layers.conv2d({ filters: o.filters * 2 ** i, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: seeds.normal(0.02) }), h);
    if (i > 0) h = ap(batchNorm(seeds, o.bnMomentum, o.bnEpsilon), h);
    h = ap(tfl.layers.leakyReLU({ alpha: o.leak }), h);
    if (condition) h = condition(h, o.imageSize / 2 ** (i + 1));
  }
  const features = h;
  if (o.minibatchStdDevGroup > 0) h = ap(new MinibatchStdDev({ groupSize: o.minibatchStdDevGroup }), h);
  h = ap(tfl.layers.conv2d({ filters: 1, kernelSize: 4, strides: 1, padding: 'valid', useBias: false, kernelInitializer: seeds.normal(0.02) }), h);
  h = ap(tfl.layers.flatten(), h);
  if (logitTerm) h = ap(tfl.layers.add(), [h, logitTerm(ap(tfl.layers.flatten(), features))]);
  if (o.outputActivation === 'sigmoid') h = ap(tfl.layers.activation({ activation: 'sigmoid' }), h);
  return h;
}

/**
 * DCGAN generator z [B, latentDim] → image [B, S, S, C] in [−1, 1].
 * At the reference size (nz 100, ngf 64, 64×64×3) it has 3,576,704 trainable parameters,
 * as PyTorch's `Generator` in pytorch/examples dcgan/main.py.
 */
export function buildDcganGenerator(options: DcganGeneratorOptions = {}): tfl.LayersModel {
  const o = resolveGeneratorOptions('buildDcganGenerator', options);
  const z = tfl.input({ shape: [o.latentDim], name: 'z' });
  const out = dcganGeneratorTrunk(z, o.latentDim, o);
  return tfl.model({ inputs: z, outputs: out, name: options.name ?? 'dcgan_generator' });
}

/**
 * DCGAN discriminator image [B, S, S, C] → [B, 1] (logits by default).
 * At the reference size (ndf 64, 64×64×3) it has 2,765,568 trainable parameters.
 */
export function buildDcganDiscriminator(options: DcganDiscriminatorOptions = {}): tfl.LayersModel {
  const o = resolveDiscriminatorOptions('buildDcganDiscriminator', options);
  const x = tfl.input({ shape: [o.imageSize, o.imageSize, o.channels], name: 'image' });
  const out = dcganDiscriminatorTrunk(x, o);
  return tfl.model({ inputs: x, outputs: out, name: options.name ?? 'dcgan_discriminator' });
}
