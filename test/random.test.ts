import { describe, expect, it } from 'vitest';
import { Random } from '../src/util/random.js';

describe('Random', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const a = new Random(42).uniformArray(5);
    expect(new Random(42).uniformArray(5)).toEqual(a);
    expect(new Random(43).uniformArray(5)).not.toEqual(a);
  });

  it('draws uniforms with mean 1/2 and variance 1/12, normals with mean 0 and variance 1', () => {
    const r = new Random(7);
    const n = 200_000;
    let s = 0,
      s2 = 0,
      ns = 0,
      ns2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      s += u;
      s2 += u * u;
      const z = r.normal();
      ns += z;
      ns2 += z * z;
    }
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 3);
    expect(ns / n).toBeCloseTo(0, 2);
    expect(ns2 / n).toBeCloseTo(1, 2);
  });

  it('int(low, high) excludes high and hits every value', () => {
    const r = new Random(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(3, 7));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('restores its state exactly, including the cached normal', () => {
    const r = new Random(5);
    r.normal();
    const state = r.getState();
    const a = [r.normal(), r.next(), r.normal()];
    r.setState(state);
    expect([r.normal(), r.next(), r.normal()]).toEqual(a);
  });

  it('permutation is a permutation', () => {
    const p = Array.from(new Random(3).permutation(50)).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('truncatedNormal stays within the bound', () => {
    const r = new Random(9);
    for (let i = 0; i < 10_000; i++) expect(Math.abs(r.truncatedNormal(0.5))).toBeLessThanOrEqual(0.5);
  });
});
