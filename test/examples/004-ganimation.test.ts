import * as tf from '@tensorflow/tfjs-core';
import { TOY_004 as TOY } from './toy_configs.js';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import example, { runGanimation } from '../../examples/004-ganimation.js';
import { disposeData, synthData } from '../../examples/004-ganimation/pipeline.js';
import { AU_NAMES, synthFaceDataset } from '../../src/data/index.js';
import { imageGrid } from '../../src/viz/index.js';
import { encodePng } from '../../src/node/index.js';
import { finiteNumbers } from '../helpers/index.js';

describe('004-ganimation example', () => {
  it('trains on emotion prototypes plus the share of independent-AU faces the config asks for', () => {
    const k = AU_NAMES.length;
    const au6 = AU_NAMES.indexOf('AU6');
    const au12 = AU_NAMES.indexOf('AU12');
    // prototypes move AU6 and AU12 together (happy); only independent draws show AU12 alone
    const au12Alone = (aus: Float32Array, from: number, to: number) => {
      let count = 0;
      for (let i = from; i < to; i++) if (aus[i * k + au12] >= 0.3 && aus[i * k + au6] < 0.3) count++;
      return count;
    };
    const mixed = synthData({ ...TOY, trainImages: 60, independentAuFraction: 0.5, activeAuProbability: 0.25 }, 0);
    expect(mixed.train.images.shape[0]).toBe(60);
    expect(mixed.train.aus.length).toBe(60 * k);
    expect(au12Alone(mixed.train.aus, 0, 30)).toBe(0);
    expect(au12Alone(mixed.train.aus, 30, 60)).toBeGreaterThan(0);
    expect(mixed.source).toMatch(/50 % of them with independent AUs \(p 0.25\)/);
    const prototypes = synthData({ ...TOY, trainImages: 60 }, 0);
    expect(au12Alone(prototypes.train.aus, 0, 60)).toBe(0);
    // the prototype half is the same draw as in prototype-only mode (same seed, same order)
    expect(Array.from(mixed.train.aus.slice(0, 30 * k))).toEqual(Array.from(prototypes.train.aus.slice(0, 30 * k)));
    expect(Array.from(mixed.train.aus.slice(30 * k))).not.toEqual(Array.from(prototypes.train.aus.slice(30 * k)));
    disposeData(mixed);
    disposeData(prototypes);
  });

  it('runs the GANimation pipeline at toy size: report structure, finite numbers, mask statistics in range, figures on disk, no leaks', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'gankit-004-'));
    try {
      const before = tf.memory().numTensors;
      const report = await runGanimation({ mode: 'quick', backend: 'cpu', out, seed: 2, backendName: tf.getBackend() }, TOY);
      expect(tf.memory().numTensors).toBe(before);
      expect(example.name).toBe('004-ganimation');
      expect(report.example).toBe('004-ganimation');
      expect(report.claims.length).toBeGreaterThanOrEqual(6);
      for (const c of report.claims) expect(['reproduced', 'partly', 'not reproduced', 'not comparable']).toContain(c.verdict);
      const m = report.metrics as Record<string, unknown>;
      const { regressorHeldOutR2, maskAusWithLiftAbove1, singleAu, multiAu, ...rest } = m;
      finiteNumbers(rest);
      expect(typeof regressorHeldOutR2).toBe('number');
      expect(maskAusWithLiftAbove1).toMatch(/^\d+\/13$/);
      // every rendered AU is edited alone, and the six emotion prototypes together
      expect(Object.keys(singleAu as object)).toHaveLength(13);
      expect(Object.keys(multiAu as object)).toEqual(['happy', 'sad', 'surprise', 'angry', 'disgust', 'fear']);
      for (const e of Object.values(singleAu as Record<string, Record<string, number>>)) {
        finiteNumbers(e.auMaeEdited);
        expect(e.meanEditWeight).toBeGreaterThanOrEqual(0);
        expect(e.meanEditWeight).toBeLessThanOrEqual(1);
        expect(e.maskMassInRegion).toBeGreaterThanOrEqual(0);
        expect(e.maskMassInRegion).toBeLessThanOrEqual(1);
        expect(e.regionFraction).toBeGreaterThan(0);
        expect(e.pixelChangeInRegion).toBeGreaterThanOrEqual(0);
        expect(e.pixelChangeInRegion).toBeLessThanOrEqual(1);
      }
      expect(m.sweepMeans as number[]).toHaveLength(5);
      for (const f of report.figures) expect(existsSync(path.join(out, f.file)), f.file).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('refuses a --data folder without an AU table, naming the expected layout', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gankit-004-data-'));
    try {
      await expect(runGanimation({ mode: 'quick', backend: 'cpu', out: dir, seed: 0, data: dir, backendName: tf.getBackend() }, TOY)).rejects.toThrow(/aus\.csv/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('trains and evaluates from an EmotioNet-style --data folder (aus.csv with 0..5 intensities + imgs/), without region ground truth', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gankit-004-data-'));
    try {
      const faces = synthFaceDataset({ n: 18, size: 24, seed: 5 });
      mkdirSync(path.join(dir, 'imgs'));
      const lines = [['file', ...AU_NAMES].join(',')];
      for (let i = 0; i < 18; i++) {
        const one = tf.slice(faces.images, [i, 0, 0, 0], [1, -1, -1, -1]);
        writeFileSync(path.join(dir, 'imgs', `face${i}.png`), encodePng(imageGrid(one, { padding: 0 })));
        one.dispose();
        lines.push([`face${i}`, ...Array.from(faces.aus.subarray(i * 13, (i + 1) * 13), (v) => (5 * v).toFixed(2))].join(','));
      }
      faces.images.dispose();
      writeFileSync(path.join(dir, 'aus.csv'), lines.join('\n') + '\n');
      const before = tf.memory().numTensors;
      const report = await runGanimation({ mode: 'quick', backend: 'cpu', out: path.join(dir, 'out'), seed: 1, data: dir, backendName: tf.getBackend() }, TOY);
      expect(tf.memory().numTensors).toBe(before);
      expect(report.data).toMatch(/12 training \+ 3 evaluation images of 18, 13 AUs/);
      const m = report.metrics as Record<string, unknown>;
      expect(Object.keys(m.singleAu as object)).toEqual([...AU_NAMES]);
      expect((m.singleAu as Record<string, { lift: number | null }>).AU12.lift).toBeNull();
      expect(report.claims.find((c) => c.claim.startsWith('The attention mask'))!.verdict).toBe('not comparable');
      finiteNumbers(m.singleAuMaeEdited);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
