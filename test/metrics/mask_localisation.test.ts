import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { maskLocalisation } from '../../src/metrics/index.js';
import { expectClose } from '../helpers/index.js';

/** 4×4 image that is `inside` on the top-left 2×2 block and `outside` elsewhere. */
const block = (inside: number, outside: number): number[][] => Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => (i < 2 && j < 2 ? inside : outside)));
const region = block(1, 0);

describe('maskLocalisation', () => {
  it("puts all edit mass inside the region for a GANimation 'keep' mask that is 0 exactly on the region", () => {
    const r = maskLocalisation(block(0, 1), region); // A = 0 on the region: the colour map replaces it
    expect(r.convention).toBe('keep');
    expect(r.massInside).toBe(1);
    expect(r.regionFraction).toBe(0.25);
    expect(r.lift).toBe(4);
    expect(r.iou).toBe(1);
    expect(r.meanEditWeight).toBe(0.25);
  });

  it("reads the same array the other way under the 'edit' convention", () => {
    const r = maskLocalisation(block(0, 1), region, { convention: 'edit' });
    expect(r.convention).toBe('edit');
    expect(r.massInside).toBe(0);
    expect(r.iou).toBe(0);
    expect(r.meanEditWeight).toBe(0.75);
  });

  it('gives the region fraction (lift 1) for a uniform mask, and hand-computed mass and IoU for a partial one', () => {
    const uniform = maskLocalisation(block(0.5, 0.5), region);
    expect(uniform.massInside).toBe(0.25);
    expect(uniform.lift).toBe(1);
    expect(uniform.iou).toBe(0.25); // every pixel passes the 0.5 threshold: 4 / 16
    // Edit weight 0.8 on the region's top row (2 px) and 0.2 on 2 px of row 3; 0 elsewhere.
    const w = Array.from({ length: 4 }, () => new Array(4).fill(0));
    w[0][0] = w[0][1] = 0.8;
    w[3][2] = w[3][3] = 0.2;
    const r = maskLocalisation(w, region, { convention: 'edit' });
    expectClose(r.massInside, 1.6 / 2.0, { atol: 1e-12 });
    expect(r.iou).toBe(0.5); // thresholded edit = 2 px, all inside a 4-px region
    const strict = maskLocalisation(w, region, { convention: 'edit', threshold: 0.1 });
    expect(strict.iou).toBe(2 / 6); // 4 px edited, 2 inside; union 6
  });

  it('handles a batch [B, H, W, 1] with a broadcast region and reports images without edit mass', () => {
    const masks = tf.tensor4d([block(0, 1), block(1, 1), block(0.5, 0.5)].map((m) => m.map((r) => r.map((v) => [v]))));
    const r = maskLocalisation(masks, region);
    masks.dispose();
    expect(r.perImageMassInside[0]).toBe(1);
    expect(r.perImageMassInside[1]).toBeNaN();
    expect(r.perImageMassInside[2]).toBe(0.25);
    expect(r.imagesWithoutMass).toBe(1);
    expectClose(r.massInside, (1 + 0.25) / 2, { atol: 1e-12 });
    expect(r.perImageIou).toEqual([1, 0, 0.25]);
    expectClose(r.iou, 1.25 / 3, { atol: 1e-12 });
    expectClose(r.meanEditWeight, (0.25 + 0 + 0.5) / 3, { atol: 1e-12 });
  });

  it('uses a per-image region when given one', () => {
    const r = maskLocalisation([block(0, 1), block(0, 1)], [region, block(0, 1)]);
    expect(r.perImageMassInside).toEqual([1, 0]);
    expectClose(r.regionFraction, (0.25 + 0.75) / 2, { atol: 1e-12 });
  });

  it('rejects shape mismatches, values outside [0, 1], empty regions and bad options', () => {
    expect(() =>
      maskLocalisation(block(0, 1), [
        [1, 0],
        [0, 1],
      ]),
    ).toThrow(/maskLocalisation: 'region' must be \[4, 4\] or match 'mask' \[4, 4\]; got \[2, 2\]/);
    expect(() => maskLocalisation(block(0, 1.5), region)).toThrow(/maskLocalisation: 'mask' values must be in \[0, 1\]; element \[0, 2\] is 1.5/);
    expect(() => maskLocalisation(block(0, 1), block(0, 0))).toThrow(/maskLocalisation: 'region' of image 0 is empty/);
    expect(() => maskLocalisation(block(0, 1), region, { convention: 'kept' as 'keep' })).toThrow(/'convention' must be 'keep' or 'edit'; got kept/);
    expect(() => maskLocalisation(block(0, 1), region, { threshold: 0 })).toThrow(/'threshold' must be in \(0, 1\]; got 0/);
    expect(() => maskLocalisation([[[[0, 1]]]], region)).toThrow(/'mask' must be \[H, W\], \[B, H, W\] or \[B, H, W, 1\]; got shape \[1, 1, 1, 2\]/);
    expect(() => maskLocalisation(block(NaN, 1), region)).toThrow(/'mask' must be finite; element \[0, 0\] is NaN/);
  });
});
