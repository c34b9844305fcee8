import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import example, { QUICK, runExpressionSynthesis, type ExpressionSynthesisConfig } from '../../examples/001-expression-synthesis.js';
import { attributeFaces, ATTRIBUTES } from '../../examples/001-expression-synthesis/data.js';

const TOY: ExpressionSynthesisConfig = {
  ...QUICK,
  size: 16,
  nTrain: 60,
  regSteps: 3,
  regFilters: [4, 8],
  vaeHidden: [4, 8],
  vaeLatent: 6,
  vaeSteps: 2,
  vaeBatch: 8,
  ganFilters: 4,
  ganLatent: 8,
  ganSteps: 2,
  ganBatch: 4,
  emaHalfLife: 2,
  nBoundary: 40,
  pcaComponents: 4,
  glowSize: 8,
  glowDepth: 1,
  glowWidth: 4,
  glowSteps: 2,
  glowBatch: 8,
  nEdit: 3,
};

function finiteNumbers(x: unknown, where = 'metrics'): void {
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new Error(`${where} is ${x}`);
  } else if (Array.isArray(x)) x.forEach((v, i) => finiteNumbers(v, `${where}[${i}]`));
  else if (x !== null && typeof x === 'object') for (const [k, v] of Object.entries(x)) finiteNumbers(v, `${where}.${k}`);
}

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
      const report = await runExpressionSynthesis({ quick: true, backend: 'cpu', out, seed: 1, backendName: tf.getBackend() }, TOY);
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
});
