/**
 * What the guides say their snippets print, checked. Each claim names a guide and a piece of one
 * `console.log` line in it (unique across that guide's blocks); the snippet test records what every
 * line logged (by its position in the block) and hands the arguments of that line's calls to
 * `check`. A claim whose line disappears fails the test, so edits to the guides keep these in step.
 */
import { expect } from 'vitest';

export interface Claim {
  doc: string;
  /** A substring of exactly one line of the guide's ```ts blocks. */
  line: string;
  /** `args`: the first call's arguments from that line; `all`: every call's. */
  check: (args: unknown[], all: unknown[][]) => void;
}

const near = (actual: unknown, expected: number, atol = 1e-6) => expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(atol);
const nearAll = (actual: unknown, expected: number[], atol = 1e-6) => {
  const a = (actual as number[]).flat(Infinity as 1) as number[];
  expect(a.length).toBe(expected.length);
  a.forEach((v, i) => near(v, expected[i], atol));
};
const num = (v: unknown) => Number(v);

export const CLAIMS: Claim[] = [
  // backend.md
  { doc: 'backend.md', line: "console.log(name, tf.getBackend());", check: (a) => expect(a).toEqual(['wasm', 'wasm']) },
  { doc: 'backend.md', line: 'console.log(dw.shape);', check: (a) => expect(a[0]).toEqual([3, 3, 3, 4]) },
  { doc: 'backend.md', line: 'console.log(tf.grad(penalty)(w).shape);', check: (a) => expect(a[0]).toEqual([3, 3, 3, 4]) },

  // layers.md
  { doc: 'layers.md', line: 'tf.max(tf.abs(mean)).dataSync()[0], tf.mean(variance)', check: (a) => (near(a[0], 0, 1e-5), near(a[1], 1, 1e-3)) },
  { doc: 'layers.md', line: 'console.log(minibatchStdDev(x, 2).shape);', check: (a) => expect(a[0]).toEqual([4, 8, 8, 4]) },
  { doc: 'layers.md', line: 'console.log(conditionTile(x, tf.ones([4, 17])).shape);', check: (a) => expect(a[0]).toEqual([4, 8, 8, 20]) },
  { doc: 'layers.md', line: 'composeWithAttention(A, x, colour), x)', check: (a) => near(a[0], 0) },
  { doc: 'layers.md', line: 'console.log(g(tf.tensor1d([-1, 2])).arraySync());', check: (a) => nearAll(a[0], [0.2, 1]) },
  { doc: 'layers.md', line: 'tf.sub(same, volume)', check: (a) => near(a[0], 0, 1e-5) },
  { doc: 'layers.md', line: "trilinearSample(field, at, 'zeros')", check: (a) => nearAll(a[0], [213, 152.9], 1e-4) },
  { doc: 'layers.md', line: 'hologanRotationMatrix(tf.tensor2d([[Math.PI / 2, 0]]))', check: (a) => nearAll(a[0], [1, 0, 0, 0, 1, 0, 0, 0, 1], 1e-6) },
  { doc: 'layers.md', line: 'console.log(out.shape);', check: (a) => expect(a[0]).toEqual([2, 4, 4, 12]) },
  { doc: 'layers.md', line: 'console.log(patch.shape, auPrediction.shape);', check: (a) => expect(a).toEqual([[2, 4, 4, 1], [2, 17]]) },
  { doc: 'layers.md', line: 'console.log(r.sigma.dataSync()[0]);', check: (a) => near(a[0], 3, 1e-3) },
  { doc: 'layers.md', line: 'console.log(diff.dataSync()[0]);', check: (a) => near(a[0], 0) },

  // losses.md
  { doc: 'losses.md', line: 'bceDiscriminatorLoss(zero, zero).dataSync()[0], 2 * Math.LN2', check: (a) => near(a[0], num(a[1]), 1e-6) },
  { doc: 'losses.md', line: 'leastSquaresDiscriminatorLoss(tf.ones([4, 1]), zero)', check: (a) => near(a[0], 0) },
  { doc: 'losses.md', line: 'driftPenalty(tf.tensor1d([10, -10]))', check: (a) => near(a[0], 0.1, 1e-6) },
  { doc: 'losses.md', line: 'gradientPenalty(critic, real, fake, { seed: 0 })', check: (a) => near(a[0], 160, 1e-3) },
  { doc: 'losses.md', line: 'r1Penalty(critic, real, { gamma: 1 })', check: (a) => near(a[0], 25, 1e-4) },
  { doc: 'losses.md', line: "r1Penalty(critic, real, { gamma: 1, convention: 'paper' })", check: (a) => near(a[0], 12.5, 1e-4) },
  { doc: 'losses.md', line: 'console.log(dPenalty(wv).arraySync());', check: (a) => nearAll(a[0], [48, 64], 1e-3) },
  { doc: 'losses.md', line: 'l1Loss(a, b).dataSync()[0], cycleConsistencyLoss', check: (a) => (near(a[0], 1.5), near(a[1], 15, 1e-5)) },
  { doc: 'losses.md', line: 'maskedL2Loss(a, b, tf.tensor2d', check: (a) => near(a[0], 2) },
  { doc: 'losses.md', line: 'console.log(Object.keys(g.terms));', check: (a) => expect(a[0]).toEqual(['adv', 'cond', 'cyc', 'mask', 'maskSmooth']) },
  { doc: 'losses.md', line: 'klDivergence(tf.zeros([4, 8]), tf.zeros([4, 8]))', check: (a) => near(a[0], 0) },
  { doc: 'losses.md', line: 'klDivergence(tf.ones([4, 8]), tf.zeros([4, 8]))', check: (a) => near(a[0], 4, 1e-5) },
  { doc: 'losses.md', line: 'capacity(5e4)', check: (a) => near(a[3], 12.5) },
  { doc: 'losses.md', line: 'console.log(latentIdentityLoss(z, z)', check: (a) => near(a[0], 0) },
  { doc: 'losses.md', line: 'console.log(styleDiscriminatorLoss(', check: (a) => near(a[0], 4 * Math.LN2, 1e-5) },

  // training.md
  { doc: 'training.md', line: 'console.log(result, tf.mean(G(', check: (a) => (expect(a[0]).toMatchObject({ status: 'completed', step: 300 }), nearAll(a[1], [1.5, -1], 0.35)) },
  { doc: 'training.md', line: 'console.log(first.metrics.ae, last!.metrics.ae', check: (a) => expect(num(a[1])).toBeLessThan(num(a[0])) },
  { doc: 'training.md', line: 'ganimation(0, epoch)', check: (a) => nearAll(a[0], [1, 1, 1, 0.5, 0.1, 0], 1e-9) },
  { doc: 'training.md', line: 'console.log(updated, (net.layers[0]', check: (a) => (expect(num(a[0])).toBe(1), near(a[1], 3, 1e-6)) },
  { doc: 'training.md', line: 'warmThenDecay(step, 0)', check: (a) => nearAll(a[0], [0.1, 1, 1, 0.5, 0.02], 1e-9) },
  { doc: 'training.md', line: 'ema.withAverages(() => v.dataSync()[0])', check: (a) => expect(a).toEqual([0.75, 1]) },
  { doc: 'training.md', line: 'console.log(halfLifeToBeta(10));', check: (a) => near(a[0], 0.5 ** 0.1, 1e-12) },
  { doc: 'training.md', line: "console.log(await loadCheckpoint(second,", check: (a) => expect(a[0]).toBe(10) },
  { doc: 'training.md', line: 'console.log(second.runStep().metrics.G === expected);', check: (a) => expect(a[0]).toBe(true) },
  { doc: 'training.md', line: 'console.log(err.update, err.term, err.step);', check: (a) => expect(a.slice(0, 2)).toEqual(['fit', 'loss']) },
  { doc: 'training.md', line: 'console.log(v.dataSync()[0] === lastGood);', check: (a) => expect(a[0]).toBe(true) },
  { doc: 'training.md', line: 'console.log(countHostReads(() => every.run(5)) / 5);', check: (a) => expect(a[0]).toBe(1) },
  { doc: 'training.md', line: 'console.log(countHostReads(() => windowed.run(9)), countHostReads(', check: (a) => expect(a).toEqual([1, 0]) },
  { doc: 'training.md', line: 'console.log(windowed.runStep().metrics, windowed.pendingMetricSteps);', check: (a) => expect(a).toEqual([{}, 2]) },
  { doc: 'training.md', line: 'console.log(countHostReads(() => windowed.flushMetrics()), windowed.lastMetrics!.firstStep);', check: (a) => expect(a).toEqual([1, 9]) },
  { doc: 'training.md', line: "filter((k) => !k.includes('/'))", check: (a) => expect(a[0]).toEqual(['D', 'D_gp', 'G']) },

  // latent.md
  { doc: 'latent.md', line: 'console.log(path.map((p) => Math.hypot(...p)));', check: (a) => nearAll(a[0], [5, 5, 5, 5, 5], 1e-12) },
  { doc: 'latent.md', line: 'console.log(lerp(a, b, 0.5));', check: (a) => nearAll(a[0], [1.5, 2, 2.5], 1e-12) },
  { doc: 'latent.md', line: 'tf.sub(G(moved), target)', check: (a) => near(a[0], 0, 0.01) },
  { doc: 'latent.md', line: 'console.log(tf.sum(shifted.mask).dataSync()[0] / 3);', check: (a) => expect(a[0]).toBe(48) },
  { doc: 'latent.md', line: 'tf.sum(zoomEdit(image, 2).mask)', check: (a) => (expect(a[0]).toBe(16), expect(a[1]).toEqual([1, 8, 8, 3])) },
  { doc: 'latent.md', line: 'tf.norm(twoSteps, 2, 1).arraySync()', check: (a) => nearAll(a[2], a[1] as number[], 1e-4) },
  { doc: 'latent.md', line: 'console.log(axisSimilarity(axes));', check: (a) => near((a[0] as number[][])[0][1], Math.SQRT1_2, 0.05) },
  { doc: 'latent.md', line: 'console.log(axisSimilarity(locked)[0][1]);', check: (a) => near(a[0], 0, 1e-9) },
  { doc: 'latent.md', line: 'console.log(axisSimilarity(gramSchmidt(axes))[0][1]);', check: (a) => near(a[0], 0, 1e-9) },
  { doc: 'latent.md', line: 'smile.validationAccuracy, smile.boundary[0].slice(0, 3)', check: (a) => (expect(num(a[0])).toBeGreaterThan(0.95), nearAll(a[1], [Math.SQRT1_2, Math.SQRT1_2, 0], 0.05)) },
  { doc: 'latent.md', line: 'console.log(dot(smileOnly[0], age.boundary[0]));', check: (a) => near(a[0], 0, 1e-6) },
  { doc: 'latent.md', line: 'codes.map((c) => dot(c, smileOnly[0]).toFixed(2))', check: (a) => expect(a[0]).toEqual(['-3.00', '-1.80', '-0.60', '0.60', '1.80', '3.00']) },
  { doc: 'latent.md', line: 'components[0].map((v) => v.toFixed(2)), stdev[0], varianceRatio[0]', check: (a) => (near(a[1], 3, 0.3), near(a[2], 9 / 13, 0.05)) },
  { doc: 'latent.md', line: 'console.log(edited[0][0] - w[0][0]);', check: (a) => near(a[0], 6, 0.6) },
  { doc: 'latent.md', line: 'atTarget.map((r) => ((r[0] - mean[0]) / stdev[0]).toFixed(2))', check: (a) => expect((a[0] as string[]).map(Number).every((v) => Math.abs(v - 1) <= 0.02)).toBe(true) },
  { doc: 'latent.md', line: 'projectOnAttribute(moreSmile, dz)', check: (a) => expect(a[0]).toEqual(['1.00', '1.00', '1.00']) },
  { doc: 'latent.md', line: 'tf.sub(z, zTrue)', check: (a) => near(a[0], 0, 0.05) },

  // models.md
  { doc: 'models.md', line: 'countTrainableParams(buildDcganGenerator())', check: (a) => expect(a[0]).toBe(3_576_704) },
  { doc: 'models.md', line: "(aD.predict(digits) as tf.Tensor[]).map((t) => t.shape)", check: (a) => expect(a).toEqual([[2, 28, 28, 1], [[2, 1], [2, 10]]]) },
  { doc: 'models.md', line: 'tf.sub(back, x)', check: (a) => near(a[0], 0, 1e-4) },
  { doc: 'models.md', line: 'console.log(stage);', check: (a) => expect(a[0]).toEqual({ kimg: 10.5, lod: 0.5, resolution: 16, alpha: 0.5, minibatch: 16 }) },
  { doc: 'models.md', line: 'console.log(color.shape, attention.shape, patch.shape, aus.shape);', check: (a) => expect(a).toEqual([[2, 16, 16, 3], [2, 16, 16, 1], [2, 4, 4, 1], [2, 17]]) },
  { doc: 'models.md', line: 'tf.norm(e, 2, 1).arraySync()', check: (a) => (nearAll(a[0], [1, 1, 1], 1e-5), nearAll(a[2], [1, 1, 1], 1e-5)) },

  // data.md
  { doc: 'data.md', line: 'EMOTIONS[emotionFromAus(auVector(smiling.aus))]', check: (a) => expect(a[0]).toBe('happy') },
  { doc: 'data.md', line: 'console.log(tf.memory().numTensors - before);', check: (a) => expect(a[0]).toBe(0) },
  { doc: 'data.md', line: 'Array.from(mnist.labels.subarray(0, 10))', check: (a) => expect(a).toEqual([64, [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]]) },
  { doc: 'data.md', line: 'console.log(table.auNames, Array.from(table.values));', check: (a) => (expect(a[0]).toEqual(['AU1', 'AU12']), nearAll(a[1], [0, 1, 0.5, 0.2])) },

  // extending.md
  { doc: 'extending.md', line: "console.log(Object.keys(trainer.run(5)!.metrics));", check: (a) => expect(a[0]).toContain('G/featureMatching') },
  { doc: 'extending.md', line: 'console.log(result.metrics.D, result.metrics.G, tf.mean(G(', check: (a) => nearAll(a[2], [1, -1], 0.3) },
  { doc: 'extending.md', line: 'console.log(gain.dataSync()[0]);', check: (a) => near(a[0], 0.27, 0.06) },
  { doc: 'extending.md', line: 'console.log(validationAccuracy, cos);', check: (a) => (expect(num(a[0])).toBeGreaterThan(0.95), expect(Math.abs(num(a[1]))).toBeGreaterThan(0.95)) },
  { doc: 'extending.md', line: 'loaded.layers[1].getClassName()', check: (a) => (expect(a[0]).toBe('MyLearnedSwish'), near(a[1], 0)) },
  { doc: 'extending.md', line: 'tf.sub(g, tf.mul(2, x))', check: (a) => near(a[0], 0) },

  // index.md
  { doc: 'index.md', line: 'console.log(a, [rng.normal(), rng.int(0, 10), rng.uniform(-1, 1)]);', check: (a) => expect(a[1]).toEqual(a[0]) },
  { doc: 'index.md', line: 'console.log(tf.all(tf.equal(sampleLatents', check: (a) => expect(a[0]).toBe(1) },
  { doc: 'index.md', line: 'console.log((err as Error).message);', check: (a) => expect(a[0]).toBe("adaptiveInstanceNorm: 'scale' must have shape [2, 3] for x of shape [2, 4, 4, 3]; got [2, 5]") },

  // quirks.md
  { doc: 'quirks.md', line: "composeWithAttention(A, I, C, 'paper')", check: (a) => (near(a[0], 0.75), near(a[1], 0.25)) },
  { doc: 'quirks.md', line: '{ factor: 0.5 }).dataSync()[0]);', check: (a) => (near(a[0], 0.5), near(a[1], 0.25)) },
  { doc: 'quirks.md', line: "totalVariation(mask, { reduction: 'mean' })", check: (a) => (near(a[0], 4), near(a[1], 2)) },
  { doc: 'quirks.md', line: '{ extraBatchDivision: false }).dataSync()[0]);', check: (a) => (near(a[0], 0.25), near(a[1], 1)) },

  // metrics.md (the metrics engineer's guide; its stated values are checked here too)
  { doc: 'metrics.md', line: 'console.log(fidFromActivations(real, real));', check: (a) => near(a[0], 0, 1e-9) },
  { doc: 'metrics.md', line: 'console.log(fidFromActivations(real, shifted));', check: (a) => near(a[0], 25, 1e-9) },
  { doc: 'metrics.md', line: 'console.log(loc.massInside, loc.regionFraction, loc.lift, loc.iou);', check: (a) => nearAll(a, [1, 0.25, 4, 1], 1e-12) },
  { doc: 'metrics.md', line: 'console.log(report.accuracy, report.confusion);', check: (a) => near(a[0], 0.75, 1e-12) },
];
