/**
 * One contract for every loss of gankit/losses: `(inputs…, options?)` returns a finite scalar (or
 * LossTerms whose total is one), has a gradient with respect to its first tensor input, leaks no
 * tensors, and rejects a bad shape with an error that names the function and the argument.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import * as L from '../../src/losses/index.js';
import { expectNoLeak, randomNormal, randomUniform } from '../helpers/index.js';

type Out = tf.Scalar | L.LossTerms;
interface Case {
  /** The loss as a function of its first tensor input x. */
  run: (x: tf.Tensor) => Out;
  /** x's shape. */
  shape: number[];
  /** A call with a wrong shape (or empty input). */
  bad: () => unknown;
  /** What the error must say: the function name and the argument. */
  error: RegExp;
  /** x must be positive (e.g. a probability-like input). */
  positive?: boolean;
}

const v = randomNormal([4, 1], 1);
const img = randomUniform([2, 4, 4, 3], 2);
const att = randomUniform([2, 4, 4, 1], 3, 0.1, 0.9);
const cond = randomUniform([2, 5], 4, 0, 1);
const desired = tf.reverse(cond, 0);
const same = tf.tensor1d([1, 0]);
const features: L.FeatureExtractor = (x) => [tf.mul(x, 2), tf.mean(x, 3)];
const critic = (x: tf.Tensor) => tf.sum(tf.square(x), [1, 2, 3]);
const ganimationGenerator = (x: tf.Tensor, c: tf.Tensor) => ({ color: tf.tanh(tf.add(x, tf.mean(c))), attention: tf.sigmoid(tf.mean(x, 3, true)) });
const ganimationCritic = (x: tf.Tensor) => ({ prob: tf.mean(x, [1, 2, 3]), cond: tf.slice(tf.tile(tf.mean(x, [1, 2]), [1, 2]), [0, 0], [-1, 5]) });
const empty = () => tf.zeros([0, 1]);

const adversarial = (name: string, f: (x: tf.Tensor) => tf.Scalar, bad: () => unknown): [string, Case] => [
  name,
  { run: f, shape: [4, 1], bad, error: new RegExp(`${name}: '\\w*[lL]ogits' must not be empty`) },
];

const CASES: [string, Case][] = [
  adversarial(
    'bceDiscriminatorLoss',
    (x) => L.bceDiscriminatorLoss(x, v),
    () => L.bceDiscriminatorLoss(empty(), v),
  ),
  adversarial(
    'nonSaturatingGeneratorLoss',
    (x) => L.nonSaturatingGeneratorLoss(x),
    () => L.nonSaturatingGeneratorLoss(empty()),
  ),
  adversarial(
    'minimaxGeneratorLoss',
    (x) => L.minimaxGeneratorLoss(x),
    () => L.minimaxGeneratorLoss(empty()),
  ),
  adversarial(
    'leastSquaresDiscriminatorLoss',
    (x) => L.leastSquaresDiscriminatorLoss(x, v),
    () => L.leastSquaresDiscriminatorLoss(empty(), v),
  ),
  adversarial(
    'leastSquaresGeneratorLoss',
    (x) => L.leastSquaresGeneratorLoss(x),
    () => L.leastSquaresGeneratorLoss(empty()),
  ),
  adversarial(
    'wassersteinDiscriminatorLoss',
    (x) => L.wassersteinDiscriminatorLoss(x, v),
    () => L.wassersteinDiscriminatorLoss(empty(), v),
  ),
  adversarial(
    'wassersteinGeneratorLoss',
    (x) => L.wassersteinGeneratorLoss(x),
    () => L.wassersteinGeneratorLoss(empty()),
  ),
  adversarial(
    'hingeDiscriminatorLoss',
    (x) => L.hingeDiscriminatorLoss(x, v),
    () => L.hingeDiscriminatorLoss(empty(), v),
  ),
  adversarial(
    'hingeGeneratorLoss',
    (x) => L.hingeGeneratorLoss(x),
    () => L.hingeGeneratorLoss(empty()),
  ),
  adversarial(
    'driftPenalty',
    (x) => L.driftPenalty(x, { epsilon: 0.01 }),
    () => L.driftPenalty(empty()),
  ),
  adversarial(
    'sigmoidCrossEntropy',
    (x) => L.sigmoidCrossEntropy(x, 1),
    () => L.sigmoidCrossEntropy(empty(), 1),
  ),
  [
    'mismatchedConditionLoss',
    { run: (x) => L.mismatchedConditionLoss(x, { weight: 0.5 }), shape: [4, 1], bad: () => L.mismatchedConditionLoss(empty()), error: /mismatchedConditionLoss: 'wrongLogits' must be a non-empty/ },
  ],
  ['l1Loss', { run: (x) => L.l1Loss(x, img), shape: [2, 4, 4, 3], bad: () => L.l1Loss(img, att), error: /l1Loss: 'target'/ }],
  ['l2Loss', { run: (x) => L.l2Loss(x, img), shape: [2, 4, 4, 3], bad: () => L.l2Loss(img, att), error: /l2Loss: 'target'/ }],
  ['mseLoss', { run: (x) => L.mseLoss(x, img), shape: [2, 4, 4, 3], bad: () => L.mseLoss(img, att), error: /l2Loss: 'target'/ }],
  ['sumSquaredError', { run: (x) => L.sumSquaredError(x, img), shape: [2, 4, 4, 3], bad: () => L.sumSquaredError(img, att), error: /sumSquaredError: 'target'/ }],
  ['cycleConsistencyLoss', { run: (x) => L.cycleConsistencyLoss(x, img, { weight: 10 }), shape: [2, 4, 4, 3], bad: () => L.cycleConsistencyLoss(img, att), error: /cycleConsistencyLoss: 'target'/ }],
  ['maskedL2Loss', { run: (x) => L.maskedL2Loss(x, img, att), shape: [2, 4, 4, 3], bad: () => L.maskedL2Loss(img, att, att), error: /maskedL2Loss: '\w+'/ }],
  ['totalVariation', { run: (x) => L.totalVariation(x), shape: [2, 4, 4, 1], bad: () => L.totalVariation(v), error: /totalVariation: '\w+'/ }],
  ['attentionLoss', { run: (x) => L.attentionLoss(x), shape: [2, 4, 4, 1], bad: () => L.attentionLoss(v), error: /attentionLoss: '\w+'/, positive: true }],
  ['auConditionLoss', { run: (x) => L.auConditionLoss(x, cond), shape: [2, 5], bad: () => L.auConditionLoss(cond, v), error: /auConditionLoss: '\w+'/ }],
  ['latentIdentityLoss', { run: (x) => L.latentIdentityLoss(x, cond, { weight: 2 }), shape: [2, 5], bad: () => L.latentIdentityLoss(cond, v), error: /latentIdentityLoss: '\w+'/ }],
  [
    'styleDiscriminatorLoss',
    {
      run: (x) => L.styleDiscriminatorLoss([x, v], [v, x], { weight: 0.5 }),
      shape: [4, 1],
      bad: () => L.styleDiscriminatorLoss([v], []),
      error: /styleDiscriminatorLoss: 'realLogits' and 'fakeLogits'/,
    },
  ],
  ['tripletLoss', { run: (x) => L.tripletLoss(x, cond, desired, { margin: 50 }), shape: [2, 5], bad: () => L.tripletLoss(cond, v, cond), error: /tripletLoss: 'positive' must be \[B, D\]/ }],
  ['contrastiveLoss', { run: (x) => L.contrastiveLoss(x, cond, same, { margin: 2 }), shape: [2, 5], bad: () => L.contrastiveLoss(cond, v, same), error: /contrastiveLoss: 'e2' must be \[B, D\]/ }],
  ['klDivergence', { run: (x) => L.klDivergence(x, cond), shape: [2, 5], bad: () => L.klDivergence(cond, v), error: /klDivergence: '\w+'/ }],
  [
    'perceptualLoss',
    { run: (x) => L.perceptualLoss(features, x, img, { layerWeights: [1, 0.5] }), shape: [2, 4, 4, 3], bad: () => L.perceptualLoss(features, img, att), error: /perceptualLoss: 'target'/ },
  ],
  [
    'betaVaeLoss',
    {
      run: (x) => L.betaVaeLoss({ reconstruction: x, input: img, mu: cond, logVar: cond, iteration: 10 }),
      shape: [2, 4, 4, 3],
      bad: () => L.betaVaeLoss({ reconstruction: img, input: att, mu: cond, logVar: cond, iteration: 10 }),
      error: /betaVaeLoss: 'input' must have shape/,
    },
  ],
  [
    'dfcVaeLoss',
    {
      run: (x) => L.dfcVaeLoss({ reconstruction: x, input: img, mu: cond, logVar: cond, features }),
      shape: [2, 4, 4, 3],
      bad: () => L.dfcVaeLoss({ reconstruction: img, input: att, mu: cond, logVar: cond, features }),
      error: /dfcVaeLoss: 'input' must have shape/,
    },
  ],
  ['gradientPenalty', { run: (x) => L.gradientPenalty(critic, x, img, { seed: 1 }), shape: [2, 4, 4, 3], bad: () => L.gradientPenalty(critic, img, att), error: /gradientPenalty: '\w+'/ }],
  ['r1Penalty', { run: (x) => L.r1Penalty(critic, x), shape: [2, 4, 4, 3], bad: () => L.r1Penalty(critic, empty()), error: /r1Penalty: 'real' must be a non-empty tensor/ }],
  [
    'ganimationGeneratorLoss',
    {
      run: (x) => L.ganimationGeneratorLoss({ generator: ganimationGenerator, critic: ganimationCritic, realImages: x, realCond: cond, desiredCond: desired }),
      shape: [2, 4, 4, 3],
      bad: () => L.ganimationGeneratorLoss({ generator: ganimationGenerator, critic: ganimationCritic, realImages: img, realCond: cond, desiredCond: v }),
      error: /ganimationGeneratorLoss: 'desiredCond'/,
    },
  ],
  [
    'ganimationDiscriminatorLoss',
    {
      run: (x) => L.ganimationDiscriminatorLoss({ critic: ganimationCritic, realImages: x, realCond: cond, fakeImages: img }),
      shape: [2, 4, 4, 3],
      bad: () => L.ganimationDiscriminatorLoss({ critic: ganimationCritic, realImages: img, realCond: cond, fakeImages: att }),
      error: /ganimationDiscriminatorLoss: 'fakeImages'/,
    },
  ],
];

const total = (o: Out): tf.Scalar => (o instanceof tf.Tensor ? o : o.total);
const release = (o: Out) => (o instanceof tf.Tensor ? o.dispose() : L.disposeTerms(o));

describe('every loss keeps one contract: (inputs…, options?) → finite scalar, a gradient, no leak, clear errors', () => {
  it('covers every loss function that gankit/losses exports', () => {
    const helpers = new Set([
      'adversarialLoss',
      'capacity',
      'sumTerms',
      'disposeTerms',
      'resolveWeight',
      'layerFeatureExtractor',
      'applyWalk',
      'steeringObjective',
      'steeringLoss',
      'ganimationComposite',
      'shiftedOneHot',
      'randomLabelShifts',
    ]);
    const exported = Object.entries(L)
      .filter(([k, f]) => typeof f === 'function' && !helpers.has(k))
      .map(([k]) => k)
      .sort();
    expect(exported.filter((k) => !CASES.some(([n]) => n === k))).toEqual([]);
    expect(CASES.map(([n]) => n).filter((n) => !exported.includes(n))).toEqual([]);
  });

  describe.each(CASES)('%s', (name, c) => {
    const input = () => (c.positive ? randomUniform(c.shape, 9, 0.1, 0.9) : randomNormal(c.shape, 9));

    it('returns a finite scalar', () => {
      const x = input();
      const out = c.run(x);
      const t = total(out);
      expect(t.rank).toBe(0);
      expect(Number.isFinite(t.dataSync()[0])).toBe(true);
      release(out);
      x.dispose();
    });

    it('has a finite, non-zero gradient with respect to its first tensor input', () => {
      const x = input();
      const g = tf.grad((a: tf.Tensor) => total(c.run(a)))(x);
      const values = g.dataSync();
      expect(values.every(Number.isFinite)).toBe(true);
      expect(values.some((e) => e !== 0)).toBe(true);
      tf.dispose([x, g]);
    });

    it('leaks no tensors', async () => {
      const x = input();
      await expectNoLeak(() => release(c.run(x)));
      x.dispose();
    });

    it(`rejects a bad shape with an error naming ${name} and the argument`, () => {
      expect(c.bad).toThrow(c.error);
    });
  });
});
