import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { poseConsistency } from '../../src/metrics/index.js';
import { expectClose, Random } from '../helpers/index.js';

describe('poseConsistency', () => {
  it('gives the hand-computed scores on a 2-code × 2-view example', () => {
    // Code 0: (1,0), (0.6,0.8) → within 0.6. Code 1: (0,1), (−1,0) → within 0.
    // Across: 0, −1, 0.8, −0.6. AUC: 0.6 beats 3 of 4, 0 beats 2 and ties 1 → 5.5/8.
    // Nearest neighbours: (1,0)→(0.6,0.8) ✓, (0.6,0.8)→(0,1) ✗, (0,1)→(0.6,0.8) ✗, (−1,0)→(0,1) ✓.
    const r = poseConsistency([
      [
        [1, 0],
        [0.6, 0.8],
      ],
      [
        [0, 1],
        [-1, 0],
      ],
    ]);
    expectClose(r.meanWithin, 0.3, { atol: 1e-12 });
    expectClose(r.meanAcross, -0.2, { atol: 1e-12 });
    expectClose(r.gap, 0.5, { atol: 1e-12 });
    expectClose(r.distanceRatio, 1.2 / 0.7, { rtol: 1e-12 });
    expectClose(r.verificationAuc, 5.5 / 8, { atol: 1e-12 });
    expect(r.identificationAccuracy).toBe(0.5);
    expect([r.genuinePairs, r.impostorPairs]).toEqual([2, 4]);
  });

  it('is perfect when every view of a code embeds to the same (orthogonal) identity vector', () => {
    const codes = [0, 1, 2].map((z) => Array.from({ length: 3 }, (_, v) => [0, 1, 2].map((k) => (k === z ? 1 + v : 0))));
    const t = tf.tensor3d(codes);
    const r = poseConsistency(t);
    t.dispose();
    expect(r.meanWithin).toBeCloseTo(1, 12);
    expect(r.meanAcross).toBeCloseTo(0, 12);
    expect(r.distanceRatio).toBe(Infinity);
    expect(r.verificationAuc).toBe(1);
    expect(r.identificationAccuracy).toBe(1);
  });

  it('is near chance for embeddings that ignore identity, and high for identity plus view noise', () => {
    const rng = new Random(2);
    const vec = (s = 1) => Array.from({ length: 16 }, () => rng.normal() * s);
    const random = Array.from({ length: 8 }, () => Array.from({ length: 5 }, () => vec()));
    const chance = poseConsistency(random);
    expect(Math.abs(chance.verificationAuc - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(chance.gap)).toBeLessThan(0.1);
    const ids = Array.from({ length: 8 }, () => vec());
    const consistent = poseConsistency(ids.map((id) => Array.from({ length: 5 }, () => vec(0.3).map((n, i) => id[i] + n))));
    expect(consistent.verificationAuc).toBeGreaterThan(0.99);
    expect(consistent.identificationAccuracy).toBe(1);
    expect(consistent.distanceRatio).toBeGreaterThan(5);
  });

  it('allows different view counts and identifies only embeddings whose code has another view', () => {
    const r = poseConsistency([
      [
        [1, 0],
        [0.9, 0.1],
      ],
      [[0, 1]],
    ]);
    expect(r.genuinePairs).toBe(1);
    expect(r.impostorPairs).toBe(2);
    expect(r.identificationAccuracy).toBe(1);
  });

  it('rejects a single code, single views only, feature mismatches and zero embeddings', () => {
    expect(() =>
      poseConsistency([
        [
          [1, 0],
          [0, 1],
        ],
      ]),
    ).toThrow(/poseConsistency: 'embeddings' needs at least 2 latent codes \(groups\); got 1/);
    expect(() => poseConsistency([[[1, 0]], [[0, 1]]])).toThrow(/poseConsistency: at least one latent code needs ≥ 2 views; view counts are \[1, 1\]/);
    expect(() =>
      poseConsistency([
        [
          [1, 0],
          [1, 1],
        ],
        [[0, 1, 1]],
      ]),
    ).toThrow(/every 'embeddings\[z\]' must have 2 features like embeddings\[0\]; embeddings\[1\] is \[1, 3\]/);
    expect(() =>
      poseConsistency([
        [
          [1, 0],
          [0, 0],
        ],
        [[0, 1]],
      ]),
    ).toThrow(/embedding of view 1 of code 0 is all zeros/);
  });
});
