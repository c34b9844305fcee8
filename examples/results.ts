/**
 * `npm run results [-- --only name,name] [--seed n] [--index]`
 *
 * Regenerates the committed results: runs every reproduction in standard mode, each in its own
 * process (a fresh wasm heap, all cores), writing report.json, report.md and figures under
 * `docs/results/<example>/`, then rewrites `docs/results/README.md`: one row per example with its
 * seconds, commit and claims reproduced, the README's block between its results markers (a
 * picture strip and the claims table), and the "Results (standard mode)" section of each example's
 * page under docs/examples. Each report records its command, commit and machine.
 * `--index` skips the runs and only rewrites the two indexes from the reports on disk.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLES } from './demo.js';
import { claimCounts, type ExampleReport } from './common/report.js';
import { writeFileAtomic } from '../src/node/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'docs', 'results');

/** The table of docs/results/README.md (and the README's claims table) from the reports on disk. */
export function resultsTable(reports: { name: string; report?: ExampleReport }[], linkPrefix = ''): string[] {
  const lines = ['| document | mode | claims reproduced | partly | not reproduced | not comparable | seconds | report |', '|---|---|---|---|---|---|---|---|'];
  let reproduced = 0;
  let total = 0;
  for (const { name, report } of reports) {
    if (!report) {
      lines.push(`| ${name} | – | not run | | | | | |`);
      continue;
    }
    const c = claimCounts(report);
    reproduced += c.reproduced;
    total += report.claims.length;
    lines.push(
      `| ${name} | ${report.mode} | **${c.reproduced} / ${report.claims.length}** | ${c.partly} | ${c.notReproduced} | ${c.notComparable} | ${report.seconds.toFixed(0)} | [report](${linkPrefix}${name}/report.md) |`,
    );
  }
  lines.push(`| **all** | | **${reproduced} / ${total}** | | | | | |`);
  return lines;
}

export function readReports(dir = resultsDir): { name: string; report?: ExampleReport }[] {
  return EXAMPLES.map((name) => {
    const file = path.join(dir, name, 'report.json');
    return { name, report: existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ExampleReport) : undefined };
  });
}

/** Pictures for the README strip: [example, figure file, caption], shown when the file exists. */
const STRIP: [string, string, string][] = [
  ['001-expression-synthesis', 'gan_samples.png', 'DCGAN samples (001)'],
  ['000-steering-hologan', 'pose_grid.png', 'HoloGAN yaw sweep (000)'],
  ['000-steering-hologan', 'walk_dcgan_smile_unit.png', 'learned smile walk (000)'],
  ['002-cheermeup', 'uni_walk_joy.png', 'TL-GAN joy axis (002)'],
  ['003-emotion-generation', 'conditional_samples.png', 'conditional samples (003)'],
  ['004-ganimation', 'single_au_edits.png', 'AU edits + attention (004)'],
];

interface QualityLike {
  features: string;
  samples: number;
  dataFloor: { fid: number; kid: number };
  generators: Record<string, { fid: number; kid: number }>;
  untrained: Record<string, { fid: number; kid: number }>;
}

/** `metrics.sampleQuality` is one SampleQuality, or one per group (000: per GAN; 002: uni / multi). */
function qualityRows(q: unknown): string[] {
  if (!q || typeof q !== 'object') return [];
  const groups: [string | undefined, QualityLike][] = 'generators' in q ? [[undefined, q as QualityLike]] : Object.entries(q as Record<string, QualityLike>);
  return groups.flatMap(([group, g]) =>
    Object.entries(g.generators).map(([name, s]) => {
      const u = g.untrained[name];
      const label = group && group !== name ? `${name} (${group})` : name;
      return `| ${label} | ${s.fid} | ${s.kid} | ${g.dataFloor.fid} / ${g.dataFloor.kid} | ${u ? `${u.fid} / ${u.kid}` : '–'} | ${g.features}, ${g.samples} samples |`;
    }),
  );
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The "## Results (standard mode)" section of `docs/examples/<name>.md`, from its committed report:
 * the run line, the claims with verdicts, sample quality with its floor and untrained baseline, and
 * every figure with its caption.
 */
export function resultsSection(name: string, r: ExampleReport): string {
  const c = claimCounts(r);
  const m = r.machine;
  const run = m
    ? `\`${m.command}\` at commit \`${(r.commit ?? 'unknown').slice(0, 10)}\`${r.commit?.endsWith('+dirty') ? " (+dirty: the run's own checkpoint and figure writes)" : ''} on ${m.cores} × ${m.cpu}, ${m.backend}${m.wasmThreads ? ` (${m.wasmThreads} threads)` : ''}`
    : `a ${r.mode} run`;
  const quality = qualityRows((r.metrics as Record<string, unknown>).sampleQuality);
  return [
    '## Results (standard mode)',
    '',
    `${run}, seed ${r.seed}, ${r.seconds.toFixed(0)} s: **${c.reproduced} of ${r.claims.length} claims reproduced**. The whole report — every number, every figure — is [docs/results/${name}/report.md](../results/${name}/report.md) (JSON: [report.json](../results/${name}/report.json)); \`npm run results\` regenerates it and this section. The trained models are under \`checkpoints/${name}/\`.`,
    '',
    '| the document says | we measured | verdict |',
    '|---|---|---|',
    ...r.claims.map((k) => `| ${cell(k.claim)} | ${cell(k.ours)} | ${k.verdict} |`),
    '',
    ...(quality.length
      ? [
          'Sample quality (FID / KID against held-out renders; lower is better):',
          '',
          '| generator | FID | KID | data-vs-data floor (FID / KID) | untrained generator (FID / KID) | features |',
          '|---|---|---|---|---|---|',
          ...quality,
          '',
        ]
      : []),
    ...r.figures.flatMap((f) => [`![${f.caption}](../results/${name}/${f.file})`, '', `*${f.caption}*`, '']),
  ].join('\n');
}

const SECTION = '## Results (standard mode)';

/** Replace the results section (from its heading to the end) of each example's page. */
async function writeResultSections(reports: { name: string; report?: ExampleReport }[]): Promise<void> {
  for (const { name, report } of reports) {
    const page = path.join(root, 'docs', 'examples', `${name}.md`);
    if (!report || !existsSync(page)) continue;
    const text = readFileSync(page, 'utf8');
    const at = text.indexOf(SECTION);
    const head = at >= 0 ? text.slice(0, at) : `${text.trimEnd()}\n\n`;
    await writeFileAtomic(page, head + resultsSection(name, report));
  }
}

const BEGIN = '<!-- results:begin (written by npm run results) -->';
const END = '<!-- results:end -->';

/** Rewrite the README block between BEGIN and END: the picture strip and the claims table. */
export function readmeBlock(reports: { name: string; report?: ExampleReport }[], dir = resultsDir): string {
  const shown = STRIP.filter(([name, file]) => existsSync(path.join(dir, name, file)));
  const strip = shown.length
    ? [
        `| ${shown.map(([, , c]) => c).join(' | ')} |`,
        `|${shown.map(() => '---').join('|')}|`,
        `| ${shown.map(([n, f, c]) => `<img src="docs/results/${n}/${f}" alt="${c}" width="160">`).join(' | ')} |`,
        '',
      ]
    : [];
  return [BEGIN, ...strip, ...resultsTable(reports, 'docs/results/'), END].join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? argv.splice(onlyIndex, 2)[1].split(',') : undefined;
  // --index: only rewrite docs/results/README.md and the README block from the reports on disk
  const indexOnly = argv.includes('--index');
  let failed = false;
  for (const name of EXAMPLES) {
    if (indexOnly || (only && !only.includes(name))) continue;
    const entry = path.relative(root, path.join(root, 'examples', `${name}.ts`));
    console.log(`results: ${name} (standard mode)`);
    const res = spawnSync(process.execPath, ['--import', 'tsx', entry, '--out', path.join('docs', 'results', name), ...argv], { cwd: root, stdio: 'inherit' });
    if (res.status !== 0) {
      console.error(`results: ${name} failed (exit ${res.status ?? res.signal})`);
      failed = true;
    }
  }
  const reports = readReports();
  const text = [
    '# Committed results',
    '',
    'Standard-mode runs of every reproduction on the embedded synthetic faces, written by `npm run results`.',
    'Each report says the command, the commit, the machine and the seconds; the verdict rules are on the',
    "examples' pages under [docs/examples](../examples/).",
    '',
    ...resultsTable(reports),
    '',
  ].join('\n');
  await writeFileAtomic(path.join(resultsDir, 'README.md'), text);
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a >= 0 && b > a) await writeFileAtomic(path.join(root, 'README.md'), readme.slice(0, a) + readmeBlock(reports) + readme.slice(b + END.length));
  await writeResultSections(reports);
  console.log(`results: wrote ${path.relative(root, path.join(resultsDir, 'README.md'))}`);
  if (failed) process.exit(1);
}

const entry = process.argv[1] ? path.resolve(process.argv[1]) : '';
if (entry === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
