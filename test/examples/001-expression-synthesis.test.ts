import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, mkdirSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import example, { runExpressionSynthesis } from '../../examples/001-expression-synthesis.js';
import { TOY_001 as TOY } from './toy_configs.js';
import { attributeFaces, ATTRIBUTES } from '../../examples/001-expression-synthesis/data.js';
import { encodePng } from '../../src/viz/file/png_file.js';
import { finiteNumbers } from '../helpers/index.js';

describe('001-expression-synthesis example', () => {
  it('builds the biased attribute set from renderer ground truth (smiling ⇔ happy, blond hair ⇔ colour 3)', () => {
    const d = attributeFaces({ n: 400, size: 16, seed: 4 });
    const k = ATTRIBUTES.length;
    let smileBlond = 0;
    let blond = 0;
    let smileOther = 0;
    for (let i = 0; i < 400; i++) {
      expect(d.samples![i].targetEmotion === 3).toBe(d.smiling[i] === 1);
      expect(d.targets[i * k + 2]).toBe(d.blond[i]);
      for (let j = 0; j < k; j++) expect(d.targets[i * k + j]).toBeGreaterThanOrEqual(0);
      if (d.blond[i]) {
        blond++;
        smileBlond += d.smiling[i];
      } else smileOther += d.smiling[i];
    }
    d.images.dispose();
    // P(smile | blond) ≈ 0.6 vs P(smile | not blond) ≈ 0.2
    expect(smileBlond / blond).toBeGreaterThan(0.45);
    expect(smileOther / (400 - blond)).toBeLessThan(0.3);
  });

  it('runs VAEs, InterFaceGAN, PCA and Glow at toy size: report structure, finite numbers, figures on disk, no leaks', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'gankit-001-'));
    try {
      const before = tf.memory().numTensors;
      const report = await runExpressionSynthesis({ mode: 'quick', backend: 'cpu', out, seed: 1, backendName: tf.getBackend() }, TOY);
      expect(tf.memory().numTensors).toBe(before);
      expect(example.name).toBe('001-expression-synthesis');
      expect(report.claims.length).toBe(8);
      for (const c of report.claims) expect(['reproduced', 'partly', 'not reproduced', 'not comparable']).toContain(c.verdict);
      const m = report.metrics as Record<string, Record<string, unknown>>;
      const { interfacegan, ...rest } = m;
      finiteNumbers(rest.vae);
      finiteNumbers(rest.pca);
      finiteNumbers(rest.glow);
      // validation accuracies may be NaN with toy sample counts; the slopes are finite
      finiteNumbers({ a: interfacegan.smileSlopePrimal, b: interfacegan.blondSlopeConditional, c: interfacegan.cosineSmileBlondBoundaries });
      // the conditional boundary is orthogonal to the condition (projectBoundary)
      expect(Math.abs(interfacegan.cosineConditionalBlond as number)).toBeLessThan(1e-5);
      for (const f of report.figures) expect(existsSync(path.join(out, f.file)), f.file).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('reads CelebA with --data (list_attr_celeba.txt + img_align_celeba/, 148 centre crop) and runs on it', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'gankit-001-celeba-'));
    try {
      const n = 60; // = nTrain, so the random subset is the whole file
      const side = 150;
      const faces = attributeFaces({ n, size: side, seed: 7 });
      const px = faces.images.dataSync();
      faces.images.dispose();
      mkdirSync(path.join(root, 'img_align_celeba'));
      const lines = [String(n), 'Smiling Mouth_Slightly_Open Blond_Hair Male'];
      for (let i = 0; i < n; i++) {
        const rgba = new Uint8Array(side * side * 4);
        for (let p = 0; p < side * side; p++) {
          for (let c = 0; c < 3; c++) rgba[p * 4 + c] = Math.round((px[(i * side * side + p) * 3 + c] + 1) * 127.5);
          rgba[p * 4 + 3] = 255;
        }
        const file = `${String(i + 1).padStart(6, '0')}.png`;
        writeFileSync(path.join(root, 'img_align_celeba', file), encodePng({ width: side, height: side, data: rgba }));
        const mouth = faces.targets[i * ATTRIBUTES.length + 1] > 0.3 ? 1 : -1;
        lines.push(`${file} ${faces.smiling[i] ? 1 : -1} ${mouth} ${faces.blond[i] ? 1 : -1} -1`);
      }
      writeFileSync(path.join(root, 'list_attr_celeba.txt'), lines.join('\n') + '\n');
      const before = tf.memory().numTensors;
      const report = await runExpressionSynthesis({ mode: 'quick', backend: 'cpu', out: path.join(root, 'out'), seed: 1, data: root, backendName: tf.getBackend() }, { ...TOY, nTrain: 60 });
      expect(tf.memory().numTensors).toBe(before);
      expect(report.data).toMatch(/CelebA at .*Smiling, Mouth_Slightly_Open, Blond_Hair/);
      const m = report.metrics as Record<string, Record<string, number>>;
      // the correlation of the file's labels is reported as measured
      const smileBlond = faces.smiling.filter((_, i) => faces.blond[i] === 1);
      expect(m.trainingSetCorrelation.pSmileGivenBlond).toBeCloseTo(smileBlond.reduce((a, b) => a + b, 0) / smileBlond.length, 3);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
