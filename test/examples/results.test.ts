import { describe, expect, it } from 'vitest';
import { resultsSection, resultsTable } from '../../examples/results.js';
import type { ExampleReport } from '../../examples/common/report.js';

const quality = (fid: number) => ({
  features: 'judge features',
  samples: 500,
  dataFloor: { fid: 0.3, kid: 0.001 },
  generators: { G: { fid, kid: 0.05, faceLike: false } },
  untrained: { G: { fid: 20, kid: 0.5 } },
});

function report(sampleQuality: unknown): ExampleReport {
  return {
    example: '00x-demo',
    title: 'demo',
    document: 'document 00x',
    seed: 0,
    backend: 'wasm',
    mode: 'standard',
    data: 'embedded',
    seconds: 612.4,
    commit: '0123456789abcdef',
    machine: { command: 'npx tsx examples/00x.ts', cpu: 'CPU', cores: 2, node: 'v20', backend: 'wasm', wasmThreads: 2 },
    metrics: { sampleQuality },
    figures: [{ file: 'samples.png', caption: 'Samples.' }],
    claims: [
      { claim: 'A holds', ours: '|slope| 0.2', verdict: 'reproduced' },
      { claim: 'B holds', ours: 'no', verdict: 'partly' },
    ],
  };
}

describe('results pages (npm run results)', () => {
  it('writes the run line, claims with escaped pipes, sample quality with floor and untrained baseline, and every figure', () => {
    const text = resultsSection('00x-demo', report(quality(4.5)));
    expect(text).toContain('at commit `0123456789` on 2 × CPU, wasm (2 threads), seed 0, 612 s: **1 of 2 claims reproduced**');
    expect(text).toContain('| A holds | \\|slope\\| 0.2 | reproduced |');
    expect(text).toContain('| G | 4.5 | 0.05 | 0.3 / 0.001 | 20 / 0.5 | judge features, 500 samples |');
    expect(text).toContain('![Samples.](../results/00x-demo/samples.png)');
  });

  it('reads sample quality grouped per generator set (000: per GAN, 002: uni / multi)', () => {
    const text = resultsSection('00x-demo', report({ uni: quality(1), multi: quality(2) }));
    expect(text).toContain('| G (uni) | 1 |');
    expect(text).toContain('| G (multi) | 2 |');
  });

  it('totals the claims over the examples', () => {
    const lines = resultsTable([{ name: '00x-demo', report: report(undefined) }, { name: 'missing' }]);
    expect(lines.at(-1)).toBe('| **all** | | **1 / 2** | | | | | |');
    expect(lines).toContain('| missing | – | not run | | | | | |');
  });
});
