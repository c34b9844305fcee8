import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { identityDrift } from '../../src/metrics/index.js';
import { expectClose, Random } from '../helpers/index.js';

/** n embeddings in 4-D, each rotated by θ_k in its own (e0, e1) plane: cosine distance 1 − cos θ_k, L2 2r·sin(θ_k/2). */
function rotatedWalk(thetas: number[], n: number, seed: number): { emb: number[][][]; radii: number[] } {
  const rng = new Random(seed);
  const phis = Array.from({ length: n }, () => rng.uniform(0, 2 * Math.PI));
  const radii = Array.from({ length: n }, () => rng.uniform(0.5, 3));
  const tail = Array.from({ length: n }, () => [0, 0]);
  const emb = thetas.map((t) => phis.map((p, i) => [radii[i] * Math.cos(p + t), radii[i] * Math.sin(p + t), ...tail[i]]));
  return { emb, radii };
}

describe('identityDrift', () => {
  it('gives 1 − cos θ and 2r·sin(θ/2) for embeddings rotated by θ along the walk (constructed ground truth)', () => {
    const thetas = [-0.6, -0.2, 0, 0.3, 1.2];
    const { emb, radii } = rotatedWalk(thetas, 6, 1);
    const r = identityDrift(emb, 2);
    const meanR = radii.reduce((a, b) => a + b) / radii.length;
    const stdR = Math.sqrt(radii.reduce((s, v) => s + (v - meanR) ** 2, 0) / radii.length);
    expect(r.referenceIndex).toBe(2);
    expectClose(
      r.meanCosineDistance,
      thetas.map((t) => 1 - Math.cos(t)),
      { atol: 1e-12 },
    );
    expectClose(
      r.stdCosineDistance,
      thetas.map(() => 0),
      { atol: 1e-12 },
    );
    expectClose(
      r.meanL2Distance,
      thetas.map((t) => 2 * Math.abs(Math.sin(t / 2)) * meanR),
      { rtol: 1e-12, atol: 1e-12 },
    );
    expectClose(
      r.stdL2Distance,
      thetas.map((t) => 2 * Math.abs(Math.sin(t / 2)) * stdR),
      { rtol: 1e-10, atol: 1e-12 },
    );
  });

  it('separates scale from direction: scaling an embedding moves L2 but not the cosine distance', () => {
    const base = [
      [1, 2, 2],
      [0, 3, 4],
    ];
    const scaled = base.map((e) => e.map((v) => 2 * v));
    const t = tf.tensor3d([base, scaled]);
    const r = identityDrift(t, 0);
    t.dispose();
    expectClose(r.meanCosineDistance, [0, 0], { atol: 1e-7 });
    expectClose(r.meanL2Distance, [0, (3 + 5) / 2], { rtol: 1e-6 });
    expectClose(r.stdL2Distance, [0, 1], { rtol: 1e-6 });
  });

  it('gives cosine distance 2 for an embedding flipped to its opposite', () => {
    const r = identityDrift([[[1, 1]], [[-1, -1]]], 0);
    expectClose(r.meanCosineDistance, [0, 2], { atol: 1e-12 });
  });

  it('rejects bad reference indices, shape mismatches, NaN and zero embeddings', () => {
    const ok = [[[1, 0]], [[0, 1]]];
    expect(() => identityDrift(ok, 2)).toThrow(/identityDrift: 'referenceIndex' must be an integer in \[0, 1\]; got 2/);
    expect(() => identityDrift([[[1, 0]], [[0, 1, 2]]], 0)).toThrow(/identityDrift: every 'embeddings\[k\]' must have the shape of embeddings\[0\], \[1, 2\]; embeddings\[1\] is \[1, 3\]/);
    expect(() => identityDrift([[[1, 0]], [[NaN, 1]]], 0)).toThrow(/identityDrift: 'embeddings\[1\]' must be finite; element \[0, 0\] is NaN/);
    expect(() => identityDrift([[[1, 0]], [[0, 0]]], 0)).toThrow(/identityDrift: embedding of sample 0 at α index 1 is all zeros/);
    const t = tf.zeros([2, 3]);
    expect(() => identityDrift(t, 0)).toThrow(/identityDrift: 'embeddings' must be 3-D \[groups, samples, features\]; got shape \[2, 3\]/);
    t.dispose();
  });
});
