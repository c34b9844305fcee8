import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  AdaIN,
  AttentionColorHead,
  ChannelBias,
  ClassConditionalAffine,
  ConditionTile,
  Downscale2D,
  EqualizedConv2D,
  EqualizedDense,
  InstanceMoments,
  InstanceNorm,
  L2Normalize,
  LearnedConstant,
  MinibatchStdDev,
  PatchGANDownsample,
  PatchGANHeads,
  PixelNorm,
  ProjectionUnit,
  StyleMapping,
  Upscale2D,
  rigidTransform3d,
  trilinearSample,
} from '../../../src/layers/index.js';
import { SpectralNormConv2D, SpectralNormDense } from '../../../src/layers/spectral_norm.js';
import type { ParitySpec } from '../harness.js';
import { forwardAndGradients, normal, oneHot, seedWeights, uniform } from '../inputs.js';

/** Build the layer on the inputs, seed its weights, then forward + gradients (inputs and weights). */
function layerSpec(name: string, make: () => tfl.layers.Layer, inputs: () => tf.Tensor[], options: { differentiableInputs?: number[]; tolerance?: number } = {}): ParitySpec {
  return {
    name,
    tolerance: options.tolerance,
    run: (ctx) => {
      const layer = make();
      const xs = inputs();
      const call = (...a: tf.Tensor[]) => layer.apply(a.length === 1 ? a[0] : a) as tf.Tensor | tf.Tensor[];
      call(...xs);
      layer.weights.forEach((w) => ctx.own(w));
      seedWeights(layer, 7);
      // Inputs outside `differentiableInputs` (labels, conditions) stay fixed.
      const which = options.differentiableInputs ?? xs.map((_, i) => i);
      const f = (...d: tf.Tensor[]) => call(...xs.map((x, i) => (which.includes(i) ? d[which.indexOf(i)] : x)));
      const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      return forwardAndGradients(
        f,
        which.map((i) => xs[i]),
        weights,
        11,
      );
    },
  };
}

const image = (seed: number, shape = [2, 8, 8, 3]) => normal(shape, seed);

export const layerSpecs: ParitySpec[] = [
  layerSpec(
    'AdaIN',
    () => new AdaIN(),
    () => [image(1), uniform([2, 3], 2, 0.5, 1.5), normal([2, 3], 3)],
  ),
  layerSpec(
    'InstanceNorm (affine)',
    () => new InstanceNorm({ affine: true }),
    () => [image(4)],
  ),
  layerSpec(
    'StyleMapping',
    () => new StyleMapping({ channels: 4 }),
    () => [normal([2, 6], 5)],
  ),
  layerSpec(
    'AttentionColorHead',
    () => new AttentionColorHead({ kernelSize: 3 }),
    () => [image(6, [2, 8, 8, 4])],
  ),
  layerSpec(
    'PixelNorm',
    () => new PixelNorm(),
    () => [image(7)],
  ),
  layerSpec(
    'MinibatchStdDev',
    () => new MinibatchStdDev({ groupSize: 2 }),
    () => [image(8, [4, 4, 4, 3])],
  ),
  layerSpec(
    'EqualizedDense',
    () => new EqualizedDense({ units: 5 }),
    () => [normal([3, 6], 9)],
  ),
  layerSpec(
    'EqualizedConv2D',
    () => new EqualizedConv2D({ filters: 4, kernelSize: 3 }),
    () => [image(10)],
  ),
  layerSpec(
    'ConditionTile',
    () => new ConditionTile(),
    () => [image(11), oneHot(2, 3, 12)],
    { differentiableInputs: [0] },
  ),
  layerSpec(
    'ClassConditionalAffine',
    () => new ClassConditionalAffine({ seed: 1 }),
    () => [image(13), oneHot(2, 4, 14)],
    { differentiableInputs: [0] },
  ),
  layerSpec(
    'Upscale2D',
    () => new Upscale2D(),
    () => [image(15, [2, 4, 4, 3])],
  ),
  layerSpec(
    'Downscale2D',
    () => new Downscale2D(),
    () => [image(16)],
  ),
  layerSpec(
    'ChannelBias',
    () => new ChannelBias(),
    () => [image(17)],
  ),
  layerSpec(
    'LearnedConstant',
    () => new LearnedConstant({ shape: [2, 2, 2, 3], seed: 1 }),
    () => [normal([2, 4], 18)],
    { differentiableInputs: [] },
  ),
  layerSpec(
    'InstanceMoments',
    () => new InstanceMoments(),
    () => [image(19)],
  ),
  layerSpec(
    'L2Normalize',
    () => new L2Normalize(),
    () => [normal([3, 5], 20)],
  ),
  layerSpec(
    'ProjectionUnit (HoloGAN)',
    () => new ProjectionUnit({ filters: 4 }),
    () => [normal([2, 4, 4, 4, 2], 21)],
  ),
  layerSpec(
    'PatchGANDownsample',
    () => new PatchGANDownsample({ filters: 4 }),
    () => [image(22)],
  ),
  layerSpec(
    'PatchGANHeads',
    () => new PatchGANHeads({ auxOutputs: 3 }),
    () => [image(23, [2, 2, 2, 4])],
  ),
  layerSpec(
    'SpectralNormDense',
    () => new SpectralNormDense({ units: 4 }),
    () => [normal([3, 5], 24)],
  ),
  layerSpec(
    'SpectralNormConv2D',
    () => new SpectralNormConv2D({ filters: 4, kernelSize: 3 }),
    () => [image(25)],
  ),
  {
    name: 'rigidTransform3d (HoloGAN; tensor ops off cpu/wasm)',
    run: () => {
      const v = normal([2, 6, 6, 6, 3], 26);
      const view = tf.tensor2d([
        [1.93, 0.17, 1.07, 0.11, -0.23, 0.16],
        [1.2, -0.3, 0.9, 0, 0.2, -0.1],
      ]);
      return forwardAndGradients((a, b) => rigidTransform3d(a, b, { boundary: 'zeros' }), [v, view], [], 27);
    },
  },
  {
    name: "trilinearSample, boundary 'reference'",
    run: () => forwardAndGradients((a, b) => trilinearSample(a, b, 'reference'), [normal([2, 5, 5, 5, 3], 28), uniform([2, 30, 3], 29, -0.5, 4.6)], [], 30),
  },
];
