/**
 * Standard mode writes checkpoints/<example>/ and `--checkpoints` (what `npm run demo` uses) runs
 * the analyses on them without training. At toy size, into a temporary GANKIT_CHECKPOINTS_DIR.
 */
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSteering } from '../../examples/000-steering-hologan.js';
import { runExpressionSynthesis } from '../../examples/001-expression-synthesis.js';
import { runCheerMeUp } from '../../examples/002-cheermeup.js';
import { runEmotionGeneration } from '../../examples/003-emotion-generation.js';
import { runGanimation } from '../../examples/004-ganimation.js';
import type { ExampleReport } from '../../examples/common/report.js';
import { TOY_000, TOY_001, TOY_002, TOY_003, TOY_004 } from './toy_configs.js';

type Run = (args: Parameters<typeof runCheerMeUp>[0]) => Promise<ExampleReport>;

const cases: [string, Run, string[]][] = [
  ['000-steering-hologan', (a) => runSteering(a, TOY_000), ['au-regressor', 'dcgan-generator', 'hologan-generator', 'identity-embedding', 'judge-au-regressor', 'pose-regressor', 'walks']],
  [
    '001-expression-synthesis',
    (a) => runExpressionSynthesis(a, TOY_001),
    ['attribute-regressor', 'beta-vae-decoder', 'beta-vae-encoder', 'dcgan-generator', 'dfc-vae-decoder', 'dfc-vae-encoder', 'glow', 'vae-decoder', 'vae-encoder'],
  ],
  ['002-cheermeup', (a) => runCheerMeUp(a, TOY_002), ['character-classifier', 'emotion-classifier', 'multi-modal-generator', 'uni-modal-generator']],
  ['003-emotion-generation', (a) => runEmotionGeneration(a, TOY_003), ['conditional-generator', 'emotion-classifier', 'encoder']],
  ['004-ganimation', (a) => runGanimation(a, TOY_004), ['au-regressor', 'ganimation-generator']],
];

describe('standard-mode checkpoints and --checkpoints runs', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'gankit-from-ckpt-'));
    process.env.GANKIT_CHECKPOINTS_DIR = path.join(root, 'checkpoints');
  });
  afterEach(() => {
    delete process.env.GANKIT_CHECKPOINTS_DIR;
    rmSync(root, { recursive: true, force: true });
  });

  for (const [name, run, models] of cases) {
    it(`${name}: the standard run writes ${models.join(', ')}; a --checkpoints run loads them, trains nothing and leaks nothing`, async () => {
      const base = { backend: 'cpu' as const, seed: 1, backendName: tf.getBackend() };
      const trained = await run({ ...base, mode: 'standard', out: path.join(root, 'trained') });
      expect(readdirSync(path.join(root, 'checkpoints', name)).sort()).toEqual(models);
      for (const m of models) expect(existsSync(path.join(root, 'checkpoints', name, m, 'card.json'))).toBe(true);
      const before = tf.memory().numTensors;
      const loaded = await run({ ...base, mode: 'standard', checkpoints: true, out: path.join(root, 'loaded') });
      expect(tf.memory().numTensors).toBe(before);
      expect(loaded.claims.map((c) => c.claim)).toEqual(trained.claims.map((c) => c.claim));
      // no training-loss figure: nothing was trained
      expect(loaded.figures.some((f) => /loss/.test(f.file))).toBe(false);
      for (const f of loaded.figures) expect(existsSync(path.join(root, 'loaded', f.file)), f.file).toBe(true);
      if (name === '000-steering-hologan') {
        // the bundled walks are the trained ones (float32 JSON), not relearned on the float16 generators
        const norms = (r: ExampleReport) => Object.values(r.metrics.walks as Record<string, { walkNorm: number; finalLoss: number }>).map((w) => [w.walkNorm, w.finalLoss]);
        expect(norms(loaded)).toEqual(norms(trained));
      }
    }, 120_000);
  }
});
