/**
 * Issue #18, "memory": the short version of bench/memory.ts — 200 training steps of a small
 * GAN-shaped trainer and 100 calls of each latent tool must leave no tensor behind. (RSS is
 * printed but only loosely bounded here: without `--expose-gc` it includes garbage not yet
 * collected; the bench's 1,000-step figures are in docs/reliability.md.)
 */
import { describe, expect, it } from 'vitest';
import { memoryReport } from '../../bench/memory.js';

describe('memory over repeated calls', () => {
  it('no tensor growth over 200 training steps and 100 calls of each latent tool, and bounded memory', async () => {
    const report = await memoryReport({ steps: 200, calls: 100 });
    console.log(JSON.stringify(report));
    expect(report.training.tensorGrowth).toBe(0);
    expect(report.training.rssGrowthMb).toBeLessThan(150);
    for (const t of report.latent) {
      expect(t.tensorGrowth, t.tool).toBe(0);
      expect(t.rssGrowthMb, t.tool).toBeLessThan(100);
    }
    expect(report.latent.map((t) => t.tool)).toContain('pca');
  });
});
