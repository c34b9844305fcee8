import * as tf from '@tensorflow/tfjs-core';
import { TOY_003 as TOY } from './toy_configs.js';
import { mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import example, { runEmotionGeneration } from '../../examples/003-emotion-generation.js';
import { synthFaceDataset } from '../../src/data/index.js';
import { finiteNumbers } from '../helpers/index.js';

describe('003-emotion-generation example', () => {
  it('runs cDCGAN → encoder → transfer at toy size: report structure, finite scores in range, figures on disk, no leaks', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'gankit-003-'));
    try {
      const before = tf.memory().numTensors;
      const report = await runEmotionGeneration({ mode: 'quick', backend: 'cpu', out, seed: 2, backendName: tf.getBackend() }, TOY);
      expect(tf.memory().numTensors).toBe(before);
      expect(example.name).toBe('003-emotion-generation');
      expect(report.example).toBe('003-emotion-generation');
      expect(report.claims.length).toBe(4);
      for (const c of report.claims) expect(['reproduced', 'partly', 'not reproduced', 'not comparable']).toContain(c.verdict);
      const m = report.metrics as Record<string, unknown> & Record<string, number>;
      const { perTarget, ...rest } = m;
      finiteNumbers(rest);
      // per-class recall is NaN-free here because every target emotion has nSources transfers
      finiteNumbers(perTarget);
      for (const k of ['transferAccuracy', 'conditionalSampleAccuracy', 'transferIdentityTop1AmongPool', 'transferNearestSourceTop1']) {
        expect(m[k], k).toBeGreaterThanOrEqual(0);
        expect(m[k], k).toBeLessThanOrEqual(1);
      }
      expect(Object.keys(perTarget as unknown as object)).toHaveLength(7);
      for (const f of report.figures) expect(existsSync(path.join(out, f.file)), f.file).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('reads a FER2013 csv with --data (48×48 resized to the model size) and checks identity against the sources only', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gankit-003-fer-'));
    try {
      // a small FER2013-format file made of 48×48 renders
      const d = synthFaceDataset({ n: 40, size: 48, mode: 'fer', seed: 9 });
      const px = d.images.dataSync();
      d.images.dispose();
      const rows = Array.from({ length: 40 }, (_, i) => {
        const grey = Array.from(px.subarray(i * 2304, (i + 1) * 2304), (v) => Math.round((v + 1) * 127.5)).join(' ');
        return `${d.emotions[i]},"${grey}",Training`;
      });
      const csv = path.join(dir, 'fer2013.csv');
      writeFileSync(csv, ['emotion,pixels,Usage', ...rows].join('\n'));
      const before = tf.memory().numTensors;
      const report = await runEmotionGeneration({ mode: 'quick', backend: 'cpu', out: dir, seed: 1, data: csv, backendName: tf.getBackend() }, TOY);
      expect(tf.memory().numTensors).toBe(before);
      expect(report.data).toMatch(/FER2013 csv/);
      const m = report.metrics as Record<string, unknown>;
      expect(m.transferIdentityTop1AmongPool).toBeUndefined();
      finiteNumbers({ a: m.transferAccuracy, b: m.transferNearestSourceTop1, c: m.reconstructionRmse });
      expect(report.claims[3].ours).toMatch(/nearest to its own source among 5 sources/);
      await expect(runEmotionGeneration({ mode: 'quick', backend: 'cpu', out: dir, seed: 1, data: csv, backendName: tf.getBackend() }, { ...TOY, nTrain: 100 })).rejects.toThrow(
        /has 40 labelled faces; this mode needs 110/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
