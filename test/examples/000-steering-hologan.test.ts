import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import example, { runSteering } from '../../examples/000-steering-hologan.js';
import { ALPHA_SWEEPS, disposeSteeringData, poseTargets, synthSteeringData, trainHoloGan } from '../../examples/000-steering-hologan/pipeline.js';
import { TOY_000 as TOY } from './toy_configs.js';
import { sampleLatents } from '../../src/latent/index.js';
import { expectClose, finiteNumbers } from '../helpers/index.js';

describe('000-steering-hologan example', () => {
  it('runs HoloGAN, the judges, the walks on HoloGAN and DCGAN and their sweeps at toy size: report structure, finite numbers, figures, no leaks', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'gankit-000-'));
    try {
      const before = tf.memory().numTensors;
      const report = await runSteering({ mode: 'quick', backend: 'cpu', out, seed: 4, backendName: tf.getBackend() }, TOY);
      expect(tf.memory().numTensors).toBe(before);
      expect(example.name).toBe('000-steering-hologan');
      expect(report.example).toBe('000-steering-hologan');
      expect(report.claims.length).toBeGreaterThanOrEqual(6);
      for (const c of report.claims) expect(['reproduced', 'partly', 'not reproduced', 'not comparable']).toContain(c.verdict);
      const m = report.metrics as Record<string, Record<string, Record<string, unknown>>>;
      expect(Object.keys(m.walks)).toEqual(['HoloGAN/smile', 'HoloGAN/sadness', 'DCGAN/smile', 'DCGAN/sadness']);
      for (const w of Object.values(m.walks)) {
        // a monotonicity score is undefined when a toy generator's outputs do not move with α
        const { unitJudgeMonotonePerSample, fourJudgeSpearman, ...rest } = w;
        finiteNumbers(rest);
        expect(typeof fourJudgeSpearman).toBe('number');
        expect(unitJudgeMonotonePerSample === null || typeof unitJudgeMonotonePerSample === 'number').toBe(true);
        // drift is 0 at α = 0 by definition and a cosine distance in [0, 2] elsewhere
        for (const d of Object.values(w.driftAtAlpha as Record<string, number>)) {
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(2);
        }
      }
      const pose = m.poseConsistencyHoloGan as unknown as Record<string, number>;
      finiteNumbers(pose);
      expect(pose.verificationAuc).toBeGreaterThanOrEqual(0);
      expect(pose.verificationAuc).toBeLessThanOrEqual(1);
      expect((m.poseConsistencyRenderer as unknown as Record<string, number>).meanWithin).toBeLessThanOrEqual(1 + 1e-9);
      expect(ALPHA_SWEEPS.ten).toContain(0);
      for (const f of report.figures) expect(existsSync(path.join(out, f.file)), f.file).toBe(true);
      expect(report.figures.map((f) => f.file)).toEqual(expect.arrayContaining(['pose_grid.png', 'pose_yaw.png', 'walk_hologan_smile_four.png']));
      // The pose regressor's readings: one mean per commanded yaw (the sweep), finite correlations.
      const yaw = m.poseRegressorYaw as unknown as Record<string, { pearson: number; commanded: number[]; meanPerAngle: number[] }>;
      expect(yaw.hologan.commanded).toEqual([-35, -23, -12, 0, 12, 23, 35]);
      expect(yaw.renderer.meanPerAngle).toHaveLength(7);
      finiteNumbers(yaw);
      finiteNumbers(m.poseRegressorPitch);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('maps the data pose range to the pose regressor targets [0, 1] (yaw ±0.6 rad, pitch ±0.25 rad)', () => {
    const t = poseTargets(new Float32Array([-0.6, -0.25, 0, 0.6, 0.25, 0, 0, 0, 0.1]));
    expectClose(Array.from(t), [0, 0, 1, 1, 0.5, 0.5], { atol: 1e-6 });
  });

  it('refuses --data with a message saying why', async () => {
    await expect(runSteering({ mode: 'quick', backend: 'cpu', out: os.tmpdir(), seed: 0, data: '/nowhere', backendName: tf.getBackend() }, TOY)).rejects.toThrow(
      /000-steering-hologan: --data is not supported/,
    );
  });

  it('reproduces HoloGAN training for a seed (the spectral-norm u vectors are drawn from it) and differs for another seed', () => {
    const data = synthSteeringData(TOY, 0);
    const z = sampleLatents(2, TOY.zDim, { distribution: 'uniform', seed: 1 });
    const run = (seed: number) => {
      const h = trainHoloGan({ ...TOY, hologanIterations: 2 }, data.gan, seed);
      const img = h.frozen(z);
      const out = { losses: h.history.map((r) => r.metrics.D), pixels: Array.from(img.dataSync()) };
      img.dispose();
      h.generator.dispose();
      h.discriminator?.dispose();
      return out;
    };
    const a = run(3);
    const b = run(3);
    const c = run(4);
    expect(b.losses).toEqual(a.losses);
    expect(b.pixels).toEqual(a.pixels);
    expect(c.losses).not.toEqual(a.losses);
    z.dispose();
    disposeSteeringData(data);
  });
});
