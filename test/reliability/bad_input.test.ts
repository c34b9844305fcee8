/**
 * Issue #18, "bad input": one table over gankit's public entry points (layers, losses, latent
 * tools, models, trainer, data parsers and loaders, viz writers), each row a call with one kind of
 * bad input — wrong rank or shape, NaN/Infinity, empty arrays, zero or negative sizes, wrong
 * dtypes, mismatched batches, k larger than the dimension, malformed CSV lines, missing files,
 * empty folders, non-image or truncated PNG files — and the words its error must contain: the
 * argument, the expected value and the actual one (parsers: the file and the line).
 *
 * Each outcome is classified: clear (threw an Error containing every expected word), unclear
 * (threw, but the message lacks some), crashed (threw a non-Error, or a TypeError/RangeError from
 * deep inside tfjs or JS), silently wrong (returned). The test prints the counts as one JSON line
 * and requires 100 % clear.
 */
import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as layers from '../../src/layers/index.js';
import * as losses from '../../src/losses/index.js';
import * as latent from '../../src/latent/index.js';
import * as models from '../../src/models/index.js';
import * as train from '../../src/train/index.js';
import * as parsers from '../../src/data/parsers/index.js';
import * as stream from '../../src/data/stream.js';
import * as loaders from '../../src/data/loaders/index.js';
import * as viz from '../../src/viz/index.js';
import * as vizFile from '../../src/viz/file/png_file.js';
import * as metrics from '../../src/metrics/index.js';
import { loadModel } from '../../src/io/model_io.js';
import { Random } from '../../src/util/random.js';
import { randomNormal } from '../helpers/index.js';

type Words = (string | RegExp)[];
interface Row {
  /** Area and entry point, e.g. 'layers.pixelNorm'. */
  entry: string;
  /** What is wrong with the input. */
  bad: string;
  /** Calls the entry point with the bad input. */
  call: () => unknown;
  /** Every one of these must occur in the message: argument, expected, actual (or file and line). */
  words: Words;
}

type Outcome = 'clear' | 'unclear' | 'crashed' | 'silently wrong';

let root = '';
const file = (name: string) => path.join(root, name);

const x4 = () => randomNormal([2, 4, 4, 3], 1);
const v2 = () => randomNormal([4, 3], 2);
const nan2 = () =>
  tf.tensor2d([
    [1, NaN, 2],
    [3, 4, 5],
  ]);
const inf2 = () =>
  tf.tensor2d([
    [1, Infinity, 2],
    [3, 4, 5],
  ]);
const emptyRows = () => tf.zeros([0, 3]);
const int4 = () => tf.zeros([2, 4, 4, 3], 'int32');
/** A one-update trainer whose critic sees `logits()` as its loss input. */
const nanTrainer = (logits: () => tf.Tensor) =>
  new train.Trainer({
    data: () => tf.ones([2, 3]),
    updates: [{ name: 'D', variables: [w], optimizer: new train.Adam(), loss: () => losses.bceDiscriminatorLoss(tf.mul(logits(), w), v2()) }],
  });
const w = tf.variable(tf.ones([3]));
const G = (z: tf.Tensor) => tf.reshape(tf.tile(tf.mean(z, 1, true), [1, 48]), [-1, 4, 4, 3]);

const ROWS: Row[] = [
  // ---------- layers ----------
  { entry: 'layers.pixelNorm', bad: 'rank 1', call: () => layers.pixelNorm(tf.ones([3])), words: ["'x'", 'rank', 'got'] },
  { entry: 'layers.minibatchStdDev', bad: 'rank 2', call: () => layers.minibatchStdDev(v2()), words: ["'x'", 'rank 4', 'got rank 2'] },
  { entry: 'layers.minibatchStdDev', bad: 'batch not divisible by group', call: () => layers.minibatchStdDev(randomNormal([3, 4, 4, 2], 1), 2), words: ["'x'", 'group size 2', '[3, 4, 4, 2]'] },
  { entry: 'layers.minibatchStdDev', bad: 'group size 0', call: () => layers.minibatchStdDev(x4(), 0), words: ["'groupSize'", 'positive integer', 'got 0'] },
  { entry: 'layers.adaptiveInstanceNorm', bad: 'scale of wrong shape', call: () => layers.adaptiveInstanceNorm(x4(), tf.ones([2, 5]), tf.zeros([2, 3])), words: ["'scale'", '[2, 3]', 'got [2, 5]'] },
  { entry: 'layers.adaptiveInstanceNorm', bad: 'mismatched batch', call: () => layers.adaptiveInstanceNorm(x4(), tf.ones([3, 3]), tf.zeros([3, 3])), words: ["'scale'", '[2, 3]', 'got [3, 3]'] },
  { entry: 'layers.instanceNorm', bad: 'rank 2', call: () => layers.instanceNorm(v2()), words: ["'x'", 'rank', 'got rank 2'] },
  { entry: 'layers.instanceNorm', bad: 'gamma of wrong length', call: () => layers.instanceNorm(x4(), { gamma: tf.ones([5]) }), words: ["'gamma'", '3', '5'] },
  { entry: 'layers.upscale2d', bad: 'rank 3', call: () => layers.upscale2d(tf.ones([4, 4, 3]) as unknown as tf.Tensor4D), words: ["'x'", 'rank 4', 'got rank 3'] },
  { entry: 'layers.downscale2d', bad: 'odd height', call: () => layers.downscale2d(tf.ones([1, 3, 4, 1]) as tf.Tensor4D), words: [/'x'|H and W/, 'even', '[1, 3, 4, 1]'] },
  { entry: 'layers.conditionTile', bad: 'mismatched batch', call: () => layers.conditionTile(x4(), tf.ones([3, 5])), words: ["'condition'", '[2, K]', 'got [3, 5]'] },
  { entry: 'layers.conditionTile', bad: 'condition rank 3', call: () => layers.conditionTile(x4(), tf.ones([2, 5, 1])), words: ["'condition'", '[2, K]', 'got [2, 5, 1]'] },
  { entry: 'layers.sampleViews', bad: 'batch 0', call: () => layers.sampleViews(0), words: ["'batch'", 'positive integer', 'got 0'] },
  { entry: 'layers.sampleViews', bad: 'reversed range', call: () => layers.sampleViews(2, { azimuthLow: 90, azimuthHigh: 10 }), words: ["'azimuthLow'", 'azimuthHigh', '90'] },
  { entry: 'layers.hologanRotationMatrix', bad: 'view of wrong width', call: () => layers.hologanRotationMatrix(tf.ones([2, 1])), words: ["'view'", '[B, ≥2]', 'got [2, 1]'] },
  { entry: 'layers.rigidTransform3d', bad: 'volume rank 4', call: () => layers.rigidTransform3d(tf.ones([1, 4, 4, 4]), tf.zeros([1, 6])), words: ["'volume'", 'rank 5', 'got rank 4'] },
  { entry: 'layers.rigidTransform3d', bad: 'mismatched batch', call: () => layers.rigidTransform3d(tf.ones([2, 4, 4, 4, 1]), tf.zeros([3, 6])), words: ["'view'", '2', '[3, 6]'] },
  { entry: 'layers.trilinearSample', bad: 'coords of wrong width', call: () => layers.trilinearSample(tf.ones([1, 4, 4, 4, 1]), tf.zeros([1, 8, 2])), words: ["'coords'", '3', '[1, 8, 2]'] },
  { entry: 'layers.foldDepthIntoChannels', bad: 'rank 4', call: () => layers.foldDepthIntoChannels(x4()), words: ["'volume'", 'rank 5', 'got rank 4'] },
  {
    entry: 'layers.composeWithAttention',
    bad: 'attention with 2 channels for 3-channel images',
    call: () => layers.composeWithAttention(tf.ones([2, 4, 4, 2]), x4(), x4()),
    words: ["'attention'", '[2, 4, 4, 1] or [2, 4, 4, 3]', 'got [2, 4, 4, 2]'],
  },
  { entry: 'layers.spectralNormalize', bad: 'kernel rank 1', call: () => layers.spectralNormalize(tf.ones([3]), tf.ones([3])), words: ["'kernel'", 'rank >= 2', 'got shape [3]'] },
  { entry: 'layers.PixelNorm (layer)', bad: 'two inputs', call: () => new layers.PixelNorm({}).apply([tf.ones([1, 2]), tf.ones([1, 2])]), words: ['PixelNorm', 'one input', '2'] },
  // ---------- losses ----------
  { entry: 'losses.bceDiscriminatorLoss', bad: 'empty logits', call: () => losses.bceDiscriminatorLoss(emptyRows(), v2()), words: ["'realLogits'", 'empty', '[0, 3]'] },
  // NaN/Infinity inside tensors: losses do not read tensors back (a GPU sync per call); the trainer's guard names step and term
  { entry: 'train.Trainer.runStep', bad: 'NaN logits reach a loss', call: () => nanTrainer(nan2).runStep(), words: ['non-finite loss (NaN)', "update 'D'", 'step 0'] },
  { entry: 'train.Trainer.runStep', bad: 'Infinity logits reach a loss', call: () => nanTrainer(inf2).runStep(), words: [/non-finite (loss|gradient)/, "update 'D'", 'step 0'] },
  { entry: 'losses.hingeDiscriminatorLoss', bad: 'empty fake logits', call: () => losses.hingeDiscriminatorLoss(v2(), emptyRows()), words: ["'fakeLogits'", 'empty', '[0, 3]'] },
  { entry: 'losses.sigmoidCrossEntropy', bad: 'label 2', call: () => losses.sigmoidCrossEntropy(v2(), 2), words: ["'label'", /0.*1|\[0, 1\]/, 'got 2'] },
  { entry: 'losses.l1Loss', bad: 'mismatched shapes', call: () => losses.l1Loss(x4(), v2()), words: ["'target'", '[2, 4, 4, 3]', '[4, 3]'] },
  { entry: 'losses.l2Loss', bad: 'mismatched batch', call: () => losses.l2Loss(randomNormal([3, 4, 4, 3], 1), x4()), words: ["'target'", '[3, 4, 4, 3]', '[2, 4, 4, 3]'] },
  { entry: 'losses.l2Loss', bad: 'int32 prediction', call: () => losses.l2Loss(int4(), x4()), words: ["'prediction'", 'float32', 'int32'] },
  { entry: 'losses.maskedL2Loss', bad: 'mask of wrong shape', call: () => losses.maskedL2Loss(x4(), x4(), tf.ones([2, 3, 3, 1])), words: ["'mask'", '[2, 4, 4', '[2, 3, 3, 1]'] },
  { entry: 'losses.cycleConsistencyLoss', bad: 'negative weight', call: () => losses.cycleConsistencyLoss(x4(), x4(), { weight: -1 }), words: ["'weight'", /≥ 0|>= 0|non-negative/, '-1'] },
  { entry: 'losses.totalVariation', bad: 'rank 2', call: () => losses.totalVariation(v2()), words: ["'x'", 'rank 4', 'got rank 2'] },
  { entry: 'losses.attentionLoss', bad: 'rank 3', call: () => losses.attentionLoss(tf.ones([2, 4, 4])), words: ["'attention'", 'rank 4', 'got rank 3'] },
  { entry: 'losses.auConditionLoss', bad: 'mismatched batch', call: () => losses.auConditionLoss(tf.ones([2, 5]), tf.ones([3, 5])), words: ["'target'", '[2, 5]', '[3, 5]'] },
  { entry: 'losses.klDivergence', bad: 'mismatched shapes', call: () => losses.klDivergence(tf.ones([2, 4]), tf.ones([2, 3])), words: ["'logVar'", '[2, 4]', '[2, 3]'] },
  { entry: 'losses.capacity', bad: 'negative iteration', call: () => losses.capacity(-5), words: ["'iteration'", /≥ 0|>= 0|non-negative/, '-5'] },
  { entry: 'losses.latentIdentityLoss', bad: 'mismatched shapes', call: () => losses.latentIdentityLoss(tf.ones([2, 4]), tf.ones([2, 5])), words: ["'z'", '[2, 4]', '[2, 5]'] },
  { entry: 'losses.tripletLoss', bad: 'mismatched batch', call: () => losses.tripletLoss(tf.ones([2, 4]), tf.ones([3, 4]), tf.ones([2, 4])), words: ["'positive'", '[2, 4]', '[3, 4]'] },
  { entry: 'losses.contrastiveLoss', bad: 'same of wrong length', call: () => losses.contrastiveLoss(tf.ones([2, 4]), tf.ones([2, 4]), tf.ones([3])), words: ["'same'", '2', '[3]'] },
  {
    entry: 'losses.tripletLoss',
    bad: 'negative margin',
    call: () => losses.tripletLoss(tf.ones([2, 4]), tf.ones([2, 4]), tf.ones([2, 4]), { margin: -1 }),
    words: ["'margin'", /≥ 0|>= 0|non-negative/, '-1'],
  },
  {
    entry: 'losses.gradientPenalty',
    bad: 'mismatched real/fake',
    call: () => losses.gradientPenalty((x) => tf.sum(x, [1, 2, 3]), x4(), randomNormal([3, 4, 4, 3], 2)),
    words: ["'fake'", '[2, 4, 4, 3]', '[3, 4, 4, 3]'],
  },
  { entry: 'losses.r1Penalty', bad: 'empty batch', call: () => losses.r1Penalty((x) => tf.sum(x, [1, 2, 3]), tf.zeros([0, 4, 4, 3])), words: ["'real'", 'empty', '[0, 4, 4, 3]'] },
  { entry: 'losses.styleDiscriminatorLoss', bad: 'different list lengths', call: () => losses.styleDiscriminatorLoss([v2(), v2()], [v2()]), words: ["'fakeLogits'", '2', '1'] },
  {
    entry: 'losses.shiftedOneHot',
    bad: 'shifts of wrong length',
    call: () => losses.shiftedOneHot(tf.cast(tf.oneHot(tf.tensor1d([0, 1], 'int32'), 3), 'float32') as tf.Tensor2D, tf.tensor1d([1, 1, 1], 'int32')),
    words: ["'shifts'", '2', '3'],
  },
  { entry: 'losses.randomLabelShifts', bad: 'one class', call: () => losses.randomLabelShifts(4, 1, new Random(1)), words: ["'numClasses'", '2', 'got 1'] },
  { entry: 'losses.adversarialLoss', bad: 'unknown name', call: () => losses.adversarialLoss('bogus' as never), words: ["'name'", 'hinge', 'bogus'] },
  // ---------- latent tools ----------
  { entry: 'latent.sampleLatents', bad: 'n 0', call: () => latent.sampleLatents(0, 4), words: ["'n'", 'positive integer', 'got 0'] },
  { entry: 'latent.sampleLatents', bad: 'negative dim', call: () => latent.sampleLatents(2, -3), words: ["'dim'", 'positive integer', 'got -3'] },
  { entry: 'latent.sampleLatents', bad: 'truncation 0', call: () => latent.sampleLatents(2, 3, { distribution: 'truncated', truncation: 0 }), words: ["'truncation'", '> 0', 'got 0'] },
  { entry: 'latent.lerp', bad: 'mismatched widths', call: () => latent.lerp(tf.ones([2, 3]), tf.ones([2, 4]), 0.5), words: ["'b'", '[2, 3]', '[2, 4]'] },
  { entry: 'latent.slerp', bad: 'NaN t', call: () => latent.slerp([1, 0], [0, 1], NaN), words: ["'t'", 'finite', 'NaN'] },
  { entry: 'latent.pca', bad: 'k larger than the dimension', call: () => latent.pca(v2(), 5), words: ["'k'", 'dim = 3', 'got 5'] },
  { entry: 'latent.pca', bad: 'k 0', call: () => latent.pca(v2(), 0), words: ["'k'", '[1, dim = 3]', 'got 0'] },
  { entry: 'latent.pca', bad: 'NaN data', call: () => latent.pca(nan2(), 1), words: ["'X'", 'finite', 'NaN'] },
  { entry: 'latent.pca', bad: 'one row', call: () => latent.pca([[1, 2, 3]], 1), words: ["'X'", '2 rows', 'got 1'] },
  { entry: 'latent.pca', bad: 'empty array', call: () => latent.pca([], 1), words: ["'X'", 'non-empty', 'length 0'] },
  { entry: 'latent.IncrementalPca', bad: 'k larger than the dimension', call: () => new latent.IncrementalPca(4).partialFit(v2()), words: ["'k'", '3', '4'] },
  { entry: 'latent.gramSchmidt', bad: 'rank 1 tensor', call: () => latent.gramSchmidt(tf.ones([3]) as never), words: ["'vectors'", 'rank-2', 'got shape [3]'] },
  {
    entry: 'latent.disentangleAxes',
    bad: 'locked index out of range',
    call: () =>
      latent.disentangleAxes(
        [
          [1, 0],
          [0, 1],
        ],
        [5],
      ),
    words: ["'lockedIndices'", '[0, 2)', 'got 5'],
  },
  {
    entry: 'latent.linearRegression',
    bad: 'mismatched rows',
    call: () =>
      latent.linearRegression(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        [[1], [2]],
      ),
    words: ["'y'", '(3)', 'got 2'],
  },
  {
    entry: 'latent.regressionAxes',
    bad: 'Infinity target',
    call: () =>
      latent.regressionAxes(
        [
          [1, 2],
          [3, 4],
          [5, 7],
        ],
        [[1], [Infinity], [2]],
      ),
    words: ["'y'", 'finite', 'Infinity'],
  },
  {
    entry: 'latent.linearSvm',
    bad: 'labels of wrong length',
    call: () =>
      latent.linearSvm(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        [1, 0],
      ),
    words: ["'labels'", '3', '2'],
  },
  {
    entry: 'latent.linearSvm',
    bad: 'one class only',
    call: () =>
      latent.linearSvm(
        [
          [1, 2],
          [3, 4],
        ],
        [1, 1],
      ),
    words: ["'labels'", 'both classes', '2 positive of 2'],
  },
  { entry: 'latent.trainBoundary', bad: 'empty data', call: () => latent.trainBoundary([], []), words: ["'latents'", /row|empty/, /0|empty/] },
  { entry: 'latent.projectBoundary', bad: 'mismatched dimension', call: () => latent.projectBoundary([1, 0, 0], [1, 0]), words: [/'condition|'conditions/, '3', '2'] },
  { entry: 'latent.linspace', bad: 'steps 0', call: () => latent.linspace(0, 1, 0), words: ["'steps'", 'positive integer', 'got 0'] },
  { entry: 'latent.linearInterpolate', bad: 'mismatched dimension', call: () => latent.linearInterpolate([[1, 2]], [1, 0, 0]), words: ["'boundary'", '2', '3'] },
  {
    entry: 'latent.attributeVector',
    bad: 'labels of wrong length',
    call: () =>
      latent.attributeVector(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        [1, 0],
      ),
    words: ["'labels'", '3', '2'],
  },
  { entry: 'latent.applyAttribute', bad: 'vector of wrong length', call: () => latent.applyAttribute([[1, 2]], [1, 2, 3], 1), words: ["'v'", '2', '3'] },
  { entry: 'latent.attributeRange', bad: 'points 0', call: () => latent.attributeRange([1, 2], [1, 0], 0), words: ["'points'", /positive|≥ 2/, 'got 0'] },
  { entry: 'latent.zoomEdit', bad: 'zoom factor 0', call: () => latent.zoomEdit(x4() as tf.Tensor4D, 0), words: ["'alpha'", '> 0', 'got 0'] },
  { entry: 'latent.colorEdit', bad: 'alpha of wrong length', call: () => latent.colorEdit(x4() as tf.Tensor4D, [1, 2]), words: ["'alpha'", '3', '2'] },
  { entry: 'latent.brightnessEdit', bad: 'NaN alpha', call: () => latent.brightnessEdit(x4() as tf.Tensor4D, NaN), words: ["'alpha'", 'finite', 'NaN'] },
  { entry: 'latent.walkEdit', bad: 'unknown edit', call: () => latent.walkEdit('blur' as never), words: ["'name'", 'zoom', 'blur'] },
  { entry: 'latent.applyLinearWalk', bad: 'mismatched dimension', call: () => latent.applyLinearWalk([[1, 2, 3]], [[1, 2]], 1), words: ["'w'", '3', '2'] },
  {
    entry: 'latent.invertByOptimization',
    bad: 'zero steps',
    call: () => latent.invertByOptimization({ generator: G, latentDim: 3 } as never, x4(), { steps: 0 }),
    words: ["'steps'", 'positive integer', 'got 0'],
  },
  { entry: 'latent.encodeImages', bad: 'encoder returns wrong batch', call: () => latent.encodeImages(() => tf.ones([1, 3]), x4()), words: [/encoder/, '2', '1'] },
  // ---------- models ----------
  { entry: 'models.buildDcganGenerator', bad: 'image size not a power of two', call: () => models.buildDcganGenerator({ imageSize: 48 }), words: ["'imageSize'", '4·2^k', 'got 48'] },
  { entry: 'models.buildDcganGenerator', bad: 'latent dim 0', call: () => models.buildDcganGenerator({ latentDim: 0 }), words: ["'latentDim'", 'positive integer', 'got 0'] },
  { entry: 'models.buildDcganDiscriminator', bad: 'negative channels', call: () => models.buildDcganDiscriminator({ channels: -1 }), words: ["'channels'", 'positive integer', 'got -1'] },
  { entry: 'models.buildConditionalDcganGenerator', bad: 'zero classes', call: () => models.buildConditionalDcganGenerator({ numClasses: 0 }), words: ["'numClasses'", 'positive integer', 'got 0'] },
  { entry: 'models.buildEncoder', bad: 'fractional latent dim', call: () => models.buildEncoder({ latentDim: 2.5 }), words: ["'latentDim'", 'positive integer', 'got 2.5'] },
  { entry: 'models.buildVae', bad: 'image size 0', call: () => models.buildVae({ imageSize: 0 }), words: ["'imageSize'", /positive|power/, '0'] },
  { entry: 'models.buildProgressiveGan', bad: 'resolution 100', call: () => models.buildProgressiveGan({ resolution: 100 }), words: ["'resolution'", 'power of two', '100'] },
  { entry: 'models.buildHoloGanGenerator', bad: 'latent dim -2', call: () => models.buildHoloGanGenerator({ zDim: -2 }), words: ["'zDim'", 'positive integer', 'got -2'] },
  { entry: 'models.buildGanimationGenerator', bad: 'zero AUs', call: () => models.buildGanimationGenerator({ numAus: 0 }), words: ["'numAus'", 'positive integer', 'got 0'] },
  { entry: 'models.buildEmotionClassifier', bad: 'zero classes', call: () => models.buildEmotionClassifier({ numClasses: 0 }), words: ["'numClasses'", 'positive integer', 'got 0'] },
  // ---------- training ----------
  { entry: 'train.Trainer', bad: 'no updates', call: () => new train.Trainer({ data: () => tf.ones([1]), updates: [] }), words: ["'updates'", 'non-empty array', 'got an empty array'] },
  {
    entry: 'train.Trainer.runStep',
    bad: 'loss ignores its variables',
    call: () => new train.Trainer({ data: () => tf.ones([2]), updates: [{ name: 'G', variables: [w], optimizer: new train.Adam(), loss: () => tf.scalar(1) }] }).runStep(),
    words: ["update 'G'", "depend on its 'variables' (1 given)", 'uses none of them'],
  },
  { entry: 'train.Adam', bad: 'negative learning rate', call: () => new train.Adam({ learningRate: -1 }), words: ["'learningRate'", '≥ 0', 'got -1'] },
  { entry: 'train.Adam', bad: 'beta1 of 1', call: () => new train.Adam({ beta1: 1 }), words: ["'beta1'", '[0, 1)', 'got 1'] },
  { entry: 'train.ExponentialMovingAverage', bad: 'beta 1.5', call: () => new train.ExponentialMovingAverage([tf.variable(tf.ones([2]))], { beta: 1.5 }), words: ["'beta'", '[0, 1]', 'got 1.5'] },
  { entry: 'train.halfLifeToBeta', bad: 'half-life 0', call: () => train.halfLifeToBeta(0), words: ["'halfLife'", '> 0', 'got 0'] },
  {
    entry: 'train.linearDecayStepSchedule',
    bad: 'decay longer than training',
    call: () => train.linearDecayStepSchedule({ totalSteps: 10, decaySteps: 20 }),
    words: ["'totalSteps'", 'decaySteps (20)', 'got 10'],
  },
  { entry: 'train.warmupSchedule', bad: 'negative warm-up', call: () => train.warmupSchedule(-3), words: ["'warmupSteps'", 'positive integer', 'got -3'] },
  { entry: 'train.shuffledBatches', bad: 'batch larger than the data', call: () => train.shuffledBatches(tf.ones([4, 2]), 8), words: ["'batchSize'", '4', '8'] },
  {
    entry: 'train.ganUpdates',
    bad: 'nCritic 0',
    call: () => train.ganUpdates({ generator: G, discriminator: G, generatorVariables: [], discriminatorVariables: [], latentDim: 3, nCritic: 0 } as never),
    words: ["'nCritic'", 'positive integer', 'got 0'],
  },
  // ---------- data: parsers ----------
  {
    entry: 'data.parseCelebaAttributes',
    bad: 'malformed line',
    call: () => parsers.parseCelebaAttributes('2\nSmiling Young\na.jpg 1 -1\nb.jpg 1\n', { file: 'list_attr.txt' }),
    words: ['list_attr.txt', 'line 4', '2'],
  },
  {
    entry: 'data.parseCelebaAttributes',
    bad: 'empty input',
    call: () => parsers.parseCelebaAttributes('', { file: 'list_attr.txt' }),
    words: ['list_attr.txt', 'a count line and a header line', 'got 0 line(s)'],
  },
  { entry: 'data.parseCelebaPartition', bad: 'split 7', call: () => parsers.parseCelebaPartition('a.jpg 0\nb.jpg 7\n', { file: 'part.txt' }), words: ['part.txt', 'line 2', '7'] },
  {
    entry: 'data.parseFer2013Csv',
    bad: 'short pixel row',
    call: () => parsers.parseFer2013Csv('emotion,pixels,Usage\n3,1 2 3,Training\n', { file: 'fer.csv' }),
    words: ['fer.csv', 'line 2', '2304', '3'],
  },
  {
    entry: 'data.parseFer2013Csv',
    bad: 'emotion 9',
    call: () => parsers.parseFer2013Csv(`emotion,pixels,Usage\n9,${Array(2304).fill(0).join(' ')},Training\n`, { file: 'fer.csv' }),
    words: ['fer.csv', 'line 2', '9'],
  },
  { entry: 'data.parseAuCsv', bad: 'non-numeric AU value', call: () => parsers.parseAuCsv('file,AU01,AU02\na.png,0.5,x\n', { file: 'aus.csv' }), words: ['aus.csv', 'line 2', "'x'"] },
  { entry: 'data.parseAuCsv', bad: 'unclosed quote', call: () => parsers.parseAuCsv('file,AU01\n"a.png,0.5\n', { file: 'aus.csv' }), words: ['aus.csv', 'line 2', /quote/] },
  { entry: 'data.parseIdx', bad: 'truncated data', call: () => parsers.parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]), 'x.idx'), words: ['x.idx', 'needs 13 bytes', 'got 10', 'truncated'] },
  { entry: 'data.parseIdx', bad: 'not a Uint8Array', call: () => parsers.parseIdx('abc' as never), words: ["'bytes'", 'Uint8Array', 'string'] },
  { entry: 'data.parseFashionMnistJson', bad: 'not JSON', call: () => parsers.parseFashionMnistJson('{"a":', 'fm.json'), words: ['fm.json', /JSON/, /position|end/] },
  { entry: 'data.splitCsvLine', bad: 'separator of two characters', call: () => parsers.splitCsvLine('a,b', ',,'), words: ["'sep'", 'one character', 'got ",,"'] },
  { entry: 'data.arraySource', bad: 'shape does not divide data', call: () => stream.arraySource(new Float32Array(10), [3]), words: ["'x'", '3', '10'] },
  {
    entry: 'data.batches',
    bad: 'batch size 0',
    call: () => stream.batches(stream.arraySource(new Float32Array(6), [3]), { batchSize: 0 }).next(),
    words: ["'batchSize'", 'positive integer', 'got 0'],
  },
  // ---------- data: loaders (files) ----------
  { entry: 'data.loadFer2013', bad: 'missing file', call: () => loaders.loadFer2013(file('nope.csv')), words: ['loadFer2013', 'nope.csv', /ENOENT|does not exist|cannot read/] },
  { entry: 'data.loadAuTable', bad: 'missing file', call: () => loaders.loadAuTable(file('nope-aus.csv')), words: ['loadAuTable', 'nope-aus.csv', /ENOENT|does not exist|cannot read/] },
  { entry: 'data.imageFolderSource', bad: 'empty folder', call: () => loaders.imageFolderSource(file('empty')), words: ['imageFolderSource', 'empty', /no image|0 image/] },
  { entry: 'data.imageFolderSource', bad: 'missing folder', call: () => loaders.imageFolderSource(file('absent')), words: ['imageFolderSource', 'absent', /not exist|ENOENT|not a directory|cannot/] },
  { entry: 'data.celebaSource', bad: 'folder without CelebA files', call: () => loaders.celebaSource(file('empty')), words: ['celebaSource', 'no list_attr_celeba.txt', 'empty'] },
  { entry: 'data.decodeImage', bad: 'non-image file', call: () => loaders.decodeImage(file('not-an-image.png')), words: ['decodeImage', 'not-an-image.png', /PNG|image|signature/] },
  { entry: 'data.decodeImage', bad: 'truncated PNG', call: () => loaders.decodeImage(file('truncated.png')), words: ['decodeImage', 'truncated.png', /truncated|PNG|end/] },
  { entry: 'data.decodeImage', bad: 'missing file', call: () => loaders.decodeImage(file('missing.png')), words: ['decodeImage', 'missing.png', /ENOENT|does not exist|cannot read/] },
  { entry: 'data.readIdxFile', bad: 'missing file', call: () => loaders.readIdxFile(file('missing.idx')), words: ['readIdxFile', 'missing.idx', /ENOENT|does not exist|cannot read/] },
  { entry: 'data.listImageFiles', bad: 'missing folder', call: () => loaders.listImageFiles(file('absent')), words: ['listImageFiles', 'absent', /not exist|ENOENT|cannot/] },
  { entry: 'data.bytesToRange', bad: 'reversed range', call: () => loaders.bytesToRange([0, 255], [1, -1]), words: ["'range'", 'low < high', '[1, -1]'] },
  // ---------- io ----------
  { entry: 'io.loadModel', bad: 'missing folder', call: () => loadModel(file('no-model')), words: ['loadModel', 'no-model', 'model.json'] },
  // ---------- viz ----------
  { entry: 'viz.imageGrid', bad: 'rank 2', call: () => viz.imageGrid(v2()), words: ["'images'", 'rank 4', 'got rank 2'] },
  { entry: 'viz.imageGrid', bad: '2 channels', call: () => viz.imageGrid(tf.ones([2, 4, 4, 2])), words: ["'images'", '1 or 3 channels', '[2, 4, 4, 2]'] },
  { entry: 'viz.imageGrid', bad: 'NaN pixels', call: () => viz.imageGrid(tf.fill([1, 2, 2, 1], NaN)), words: ["'images'", 'finite', 'NaN'] },
  { entry: 'viz.imageGrid', bad: 'empty batch', call: () => viz.imageGrid(tf.zeros([0, 4, 4, 3])), words: ["'images'", 'at least one', '[0, 4, 4, 3]'] },
  { entry: 'viz.imageGrid', bad: 'labels of wrong count', call: () => viz.imageGrid(x4(), { labels: ['a'] }), words: ["'labels'", '2', '1'] },
  { entry: 'viz.imageGrid', bad: 'cols 0', call: () => viz.imageGrid(x4(), { cols: 0 }), words: ["'cols'", 'positive integer', 'got 0'] },
  { entry: 'viz.alphaStrip', bad: 'alphas of wrong count', call: () => viz.alphaStrip(x4(), [1, 2, 3]), words: ["'alphas'", '3 values', 'got 2 images'] },
  { entry: 'viz.heatmap', bad: 'ragged rows', call: () => viz.heatmap([[1, 2], [3]]), words: ['row 1', '1 values', '2'] },
  { entry: 'viz.heatmap', bad: 'empty matrix', call: () => viz.heatmap([]), words: ['matrix', 'empty', '0×'] },
  // (a NaN heatmap cell is allowed: correlation matrices of constant features have them, drawn as blanks)
  { entry: 'viz.heatmap', bad: 'row labels of wrong count', call: () => viz.heatmap([[1, 2]], { rowLabels: ['a', 'b'] }), words: ["'rowLabels'", '1 entries', 'got 2'] },
  { entry: 'viz.linePlot', bad: 'no series', call: () => viz.linePlot([]), words: ["'series'", 'non-empty', /got 0|\[\]|empty/] },
  { entry: 'viz.linePlot', bad: 'x and y of different lengths', call: () => viz.linePlot([{ x: [1, 2], y: [1, 2, 3] }]), words: ['series 0', '2 x values', '3 y values'] },
  { entry: 'viz.linePlot', bad: 'width 10', call: () => viz.linePlot([{ y: [1, 2] }], { width: 10 }), words: [/'width'|size/, '120', '10'] },
  {
    entry: 'viz.savePng',
    bad: 'image with wrong data length',
    call: () => vizFile.savePng({ width: 2, height: 2, data: new Uint8Array(3) }, file('bad.png')),
    words: ["'image'", '16 bytes', 'got 3'],
  },
  { entry: 'viz.saveImageGrid', bad: 'empty file name', call: () => vizFile.saveImageGrid(x4(), ''), words: ["'file'", 'non-empty', 'got ""'] },
  // ---------- metrics ----------
  {
    entry: 'metrics.fidFromActivations',
    bad: 'mismatched feature widths',
    call: () =>
      metrics.fidFromActivations(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      ),
    words: [/'fake'|'b'|'activations/, '2', '3'],
  },
  {
    entry: 'metrics.kidFromActivations',
    bad: 'one sample',
    call: () =>
      metrics.kidFromActivations(
        [[1, 2]],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    words: ["'a'", 'at least 2 samples', "'a' [1, 2]"],
  },
  { entry: 'metrics.pearsonCorrelation', bad: 'different lengths', call: () => metrics.pearsonCorrelation([1, 2, 3], [1, 2]), words: ["'y'", '3', '2'] },
  { entry: 'metrics.classificationAccuracy', bad: 'mismatched lengths', call: () => metrics.classificationAccuracy([0, 1, 2], [0, 1]), words: [/'labels'|'actual'|'truth'/, '3', '2'] },
];

/** What happened when `row` ran. */
async function classify(row: Row): Promise<{ outcome: Outcome; message: string }> {
  let result: unknown;
  try {
    result = await row.call();
  } catch (err) {
    if (!(err instanceof Error)) return { outcome: 'crashed', message: `threw a non-Error: ${String(err)}` };
    const message = err.message;
    if (err instanceof TypeError || err instanceof RangeError) return { outcome: 'crashed', message: `${err.name}: ${message}` };
    const missing = row.words.filter((w) => (typeof w === 'string' ? !message.includes(w) : !w.test(message)));
    return missing.length === 0 ? { outcome: 'clear', message } : { outcome: 'unclear', message: `${message}   [missing: ${missing.map(String).join(' | ')}]` };
  }
  if (result instanceof tf.Tensor) result.dispose();
  return { outcome: 'silently wrong', message: 'returned without an error' };
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gankit-bad-input-'));
  await fs.mkdir(file('empty'));
  await fs.writeFile(file('not-an-image.png'), 'hello, this is text');
  // a real 2×2 PNG, cut off after its header chunk
  const png = vizFile.encodePng({ width: 2, height: 2, data: new Uint8Array(16).fill(200) });
  await fs.writeFile(file('truncated.png'), png.subarray(0, 40));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('bad input over every public entry point', () => {
  it(`gives a clear error (argument, expected, actual; parsers: file and line) for each of ${ROWS.length} bad calls`, async () => {
    const counts: Record<Outcome, number> = { clear: 0, unclear: 0, crashed: 0, 'silently wrong': 0 };
    const failures: string[] = [];
    for (const row of ROWS) {
      const { outcome, message } = await classify(row);
      counts[outcome]++;
      if (outcome !== 'clear') failures.push(`${outcome.toUpperCase()} ${row.entry} (${row.bad}): ${message}`);
    }
    const areas = new Set(ROWS.map((r) => r.entry.split('.')[0]));
    console.log(JSON.stringify({ check: 'bad_input', tried: ROWS.length, ...counts, areas: [...areas] }));
    if (failures.length > 0) console.log(failures.join('\n'));
    expect(ROWS.length).toBeGreaterThanOrEqual(80);
    expect(failures).toEqual([]);
  });
});
