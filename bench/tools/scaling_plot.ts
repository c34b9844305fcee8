/**
 * `tsx bench/tools/scaling_plot.ts <results.jsonl> [out-prefix]`
 *
 * Reads the JSON lines of `bench/run.ts --cases dcgan64 --batches 8,16,32,64 --peers …` and writes
 * `<out-prefix>.md` (step ms per batch and peer, and the ratio to PyTorch with 2 BLAS threads) and
 * `<out-prefix>.png` (step ms against batch size, one line per peer). Default prefix
 * `bench/dcgan64_batch_scaling`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../../src/backend/index.js';
import { saveLinePlot } from '../../src/node/index.js';

interface Line {
  case: string;
  peer: string;
  median_ms: number | null;
  gflops?: number | null;
}

async function main(): Promise<void> {
  const [file, prefix = 'bench/dcgan64_batch_scaling'] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/tools/scaling_plot.ts <results.jsonl> [out-prefix]');
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line)
    .filter((l) => /^dcgan64_train_step_b\d+$/.test(l.case) && l.median_ms != null);
  const batchOf = (l: Line) => Number(l.case.split('_b')[1]);
  const batches = [...new Set(lines.map(batchOf))].sort((a, b) => a - b);
  const peers = [...new Set(lines.map((l) => l.peer))];
  const ms = (peer: string, b: number) => lines.find((l) => l.peer === peer && batchOf(l) === b)?.median_ms ?? null;
  const table = [
    '| batch | ' +
      peers.map((p) => `${p} ms`).join(' | ') +
      ' | ' +
      peers
        .filter((p) => p !== 'pytorch-cpu')
        .map((p) => `${p} × PyTorch`)
        .join(' | ') +
      ' |',
    '|' + '---|'.repeat(1 + peers.length + peers.filter((p) => p !== 'pytorch-cpu').length),
    ...batches.map((b) => {
      const torch = ms('pytorch-cpu', b);
      const cells = peers.map((p) => String(ms(p, b) ?? '–'));
      const ratios = peers.filter((p) => p !== 'pytorch-cpu').map((p) => (torch && ms(p, b) ? (ms(p, b)! / torch).toFixed(2) : '–'));
      return `| ${b} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`;
    }),
  ];
  writeFileSync(`${prefix}.md`, `# DCGAN-64 training step against batch size\n\nFrom \`${file}\` (median ms of one D + one G step).\n\n${table.join('\n')}\n`);
  await setupBackend('cpu', { log: () => {} });
  await saveLinePlot(
    peers.map((p) => ({ name: p, x: batches.filter((b) => ms(p, b) != null), y: batches.map((b) => ms(p, b)).filter((v): v is number => v != null), markers: true })),
    `${prefix}.png`,
    { title: 'DCGAN-64 train step vs batch', xLabel: 'batch', yLabel: 'ms per step' },
  );
  tf.disposeVariables();
  console.log(`wrote ${prefix}.md and ${prefix}.png`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
