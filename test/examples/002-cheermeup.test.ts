import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import example, { QUICK, runCheerMeUp, type CheerMeUpConfig } from '../../examples/002-cheermeup.js';

const TOY: CheerMeUpConfig = {
  ...QUICK,
  size: 16,
  filters: 4,
  latentDim: 12,
  ganSteps: 3,
  ganBatch: 4,
  emaHalfLife: 2,
  nGan: 24,
  clfSteps: 3,
  clfBatch: 8,
  clfFilters: [4, 8],
  nClf: 42,
  nTest: 21,
  charSteps: 2,
  nZY: 40,
  nWalk: 3,
  walkRange: 2,
  walkSteps: 3,
};

function finiteNumbers(x: unknown, where = 'metrics'): void {
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new Error(`${where} is ${x}`);
  } else if (Array.isArray(x)) x.forEach((v, i) => finiteNumbers(v, `${where}[${i}]`));
  else if (x !== null && typeof x === 'object') for (const [k, v] of Object.entries(x)) finiteNumbers(v, `${where}.${k}`);
}

describe('002-cheermeup example', () => {
  it('runs the TL-GAN pipeline at toy size: report structure, finite numbers, orthogonal axes, figures on disk, no leaks', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'gankit-002-'));
    try {
      const before = tf.memory().numTensors;
      const report = await runCheerMeUp({ quick: true, backend: 'cpu', out, seed: 3, backendName: tf.getBackend() }, TOY);
      expect(tf.memory().numTensors).toBe(before);
      expect(example.name).toBe('002-cheermeup');
      expect(report.example).toBe('002-cheermeup');
      expect(report.mode).toBe('quick');
      expect(report.claims.length).toBeGreaterThanOrEqual(5);
      for (const c of report.claims) expect(['reproduced', 'partly', 'not reproduced', 'not comparable']).toContain(c.verdict);
      const m = report.metrics as Record<string, Record<string, number>>;
      // perSampleMonotone may be null when a slope is exactly 0; everything else is finite
      const { walkUni, walkMulti, ...rest } = m;
      finiteNumbers(rest);
      for (const w of [walkUni, walkMulti]) for (const e of Object.values(w)) finiteNumbers({ ...(e as unknown as Record<string, number>), perSampleMonotone: 0 });
      // Gram–Schmidt makes the axes orthogonal whatever the GAN learned
      expect(m.axisCosineAfterUni.max).toBeLessThan(1e-6);
      expect(m.axisCosineAfterMulti.max).toBeLessThan(1e-6);
      expect(m.emotionClassifierTestAccuracy).toBeGreaterThanOrEqual(0);
      expect(m.emotionClassifierTestAccuracy).toBeLessThanOrEqual(1);
      for (const f of report.figures) expect(existsSync(path.join(out, f.file)), f.file).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
