/** report.json + report.md for an example: numbers, figures, and an honest comparison with the document's claims. */
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import * as path from 'node:path';

export interface Claim {
  /** What the source document says. */
  claim: string;
  /** What we measured, in words and numbers. */
  ours: string;
  /** 'reproduced' | 'partly' | 'not reproduced' | 'not comparable'. */
  verdict: 'reproduced' | 'partly' | 'not reproduced' | 'not comparable';
}

export interface ExampleReport {
  example: string;
  title: string;
  document: string;
  seed: number;
  backend: string;
  mode: 'quick' | 'standard' | 'full';
  data: string;
  seconds: number;
  /** True when the trained models were loaded from `checkpoints/` instead of trained (`--checkpoints`). */
  fromCheckpoints?: boolean;
  /** The gankit commit that ran (`git rev-parse HEAD`, `+dirty` when the tree had changes), filled in by `runExample`. */
  commit?: string;
  /** Where it ran, filled in by `runExample`: the command line, CPU model, cores, Node, backend and wasm threads. */
  machine?: { command: string; cpu: string; cores: number; node: string; backend: string; wasmThreads?: number };
  /** Flat or nested numeric results, written to report.json as they are. */
  metrics: Record<string, unknown>;
  /** Figures written, relative to the output directory, with captions. */
  figures: { file: string; caption: string }[];
  claims: Claim[];
  notes?: string[];
}

/** A metric rounded to `d` decimals for report.json. */
export const round = (v: number, d = 3): number => Number(v.toFixed(d));

/** A fraction as a whole percentage, `0.873` → `'87%'`. */
export const pct = (v: number): string => `${(100 * v).toFixed(0)}%`;

/** A metric rounded half-up to 3 decimals by `Math.round` (the 000 and 004 reports; {@link round} uses `toFixed`). */
export const r3 = (v: number): number => Math.round(v * 1000) / 1000;

function atomicWrite(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** How many of a report's claims got each verdict. */
export function claimCounts(r: Pick<ExampleReport, 'claims'>): { reproduced: number; partly: number; notReproduced: number; notComparable: number } {
  const count = (v: Claim['verdict']) => r.claims.filter((c) => c.verdict === v).length;
  return { reproduced: count('reproduced'), partly: count('partly'), notReproduced: count('not reproduced'), notComparable: count('not comparable') };
}

export function reportMarkdown(r: ExampleReport): string {
  const lines = [
    `# ${r.title}`,
    '',
    `Document: ${r.document}. Example \`${r.example}\`, ${r.mode} mode, seed ${r.seed}, backend ${r.backend}, data: ${r.data}, ${r.seconds.toFixed(1)} s.`,
    '',
    ...(r.machine
      ? [
          `Run: \`${r.machine.command}\` at commit ${r.commit ?? 'unknown'} on ${r.machine.cores} × ${r.machine.cpu}, Node ${r.machine.node}, ${r.machine.backend}${r.machine.wasmThreads ? ` (${r.machine.wasmThreads} threads)` : ''}.`,
          '',
        ]
      : []),
    ...(r.fromCheckpoints ? ['The trained models were loaded from `checkpoints/` (written by a standard-mode run); only the analyses ran here.', ''] : []),
    `Claims reproduced: ${claimCounts(r).reproduced} of ${r.claims.length} (${claimCounts(r).partly} partly, ${claimCounts(r).notComparable} not comparable); the verdict rules are on the example's doc page.`,
    '',
    '## Comparison with the document',
    '',
    '| the document says | we measured | verdict |',
    '|---|---|---|',
    ...r.claims.map((c) => `| ${c.claim} | ${c.ours} | ${c.verdict} |`),
    '',
    '## Numbers',
    '',
    '| metric | value |',
    '|---|---|',
    ...Object.entries(r.metrics).map(([k, v]) => `| ${k} | ${formatValue(v)} |`),
    '',
    '## Figures',
    '',
    ...r.figures.flatMap((f) => [`![${f.caption}](${f.file})`, '', `*${f.caption}*`, '']),
  ];
  if (r.notes?.length) lines.push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

export function writeReport(outDir: string, report: ExampleReport): void {
  mkdirSync(outDir, { recursive: true });
  atomicWrite(path.join(outDir, 'report.json'), JSON.stringify(report, null, 2));
  atomicWrite(path.join(outDir, 'report.md'), reportMarkdown(report));
}

/**
 * The run fields of a report — seed, backend, mode, data description, and `seconds` (filled in by
 * `runExample`) — in report.json's order; spread after `document`.
 */
export function runFields(args: { seed: number; backendName: string; mode: 'quick' | 'standard' | 'full' }, data: string): Pick<ExampleReport, 'seed' | 'backend' | 'mode' | 'data' | 'seconds'> {
  return { seed: args.seed, backend: args.backendName, mode: args.mode, data, seconds: 0 };
}
