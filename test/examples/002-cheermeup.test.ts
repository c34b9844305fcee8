import * as tf from '@tensorflow/tfjs-core';
import { TOY_002 as TOY } from './toy_configs.js';
import { mkdtempSync, mkdirSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import example, { runCheerMeUp } from '../../examples/002-cheermeup.js';
import { EMOTIONS, renderFace, sampleFaceParams } from '../../src/data/index.js';
import { encodePng } from '../../src/viz/file/png_file.js';
import { finiteNumbers } from '../helpers/index.js';

describe('002-cheermeup example', () => {
  it('runs the TL-GAN pipeline at toy size: report structure, finite numbers, orthogonal axes, figures on disk, no leaks', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'gankit-002-'));
    try {
      const before = tf.memory().numTensors;
      const report = await runCheerMeUp({ mode: 'quick', backend: 'cpu', out, seed: 3, backendName: tf.getBackend() }, TOY);
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

  it('reads a FERG-DB folder tree with --data (uni-modal = jules) and runs on it', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'gankit-002-ferg-'));
    const out = path.join(root, 'out');
    try {
      const ferg: Record<string, string> = { angry: 'anger', disgust: 'disgust', fear: 'fear', happy: 'joy', sad: 'sadness', surprise: 'surprise', neutral: 'neutral' };
      const chars = ['aia', 'bonnie', 'jules', 'malcolm', 'mery', 'ray'];
      chars.forEach((c, ci) => {
        EMOTIONS.forEach((e, ei) => {
          const dir = path.join(root, 'ferg', c, `${c}_${ferg[e]}`);
          mkdirSync(dir, { recursive: true });
          sampleFaceParams(3, { seed: 100 * ci + ei, identities: 1, emotions: [e] }).forEach((s, k) => {
            const f = renderFace(s, { size: 16 });
            const rgba = new Uint8Array(16 * 16 * 4);
            for (let p = 0; p < 256; p++) {
              for (let ch = 0; ch < 3; ch++) rgba[p * 4 + ch] = Math.round((f[p * 3 + ch] + 1) * 127.5);
              rgba[p * 4 + 3] = 255;
            }
            writeFileSync(path.join(dir, `${c}_${ferg[e]}_${k}.png`), encodePng({ width: 16, height: 16, data: rgba }));
          });
        });
      });
      const before = tf.memory().numTensors;
      const report = await runCheerMeUp({ mode: 'quick', backend: 'cpu', out, seed: 1, data: path.join(root, 'ferg'), backendName: tf.getBackend() }, TOY);
      expect(tf.memory().numTensors).toBe(before);
      expect(report.data).toMatch(/FERG-DB .*uni-modal: jules/);
      expect((report.metrics as Record<string, number>).characterClassifierTestAccuracy).toBeGreaterThanOrEqual(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
