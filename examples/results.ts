/**
 * `npm run results [-- --only name,name] [--seed n]`
 *
 * Regenerates the committed results: runs every reproduction in standard mode, each in its own
 * process (a fresh wasm heap, all cores), writing report.json, report.md and figures under
 * `docs/results/<example>/`, then rewrites `docs/results/README.md`: one row per example with its
 * seconds, commit and claims reproduced. Each report records its command, commit and machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLES } from './demo.js';
import { claimCounts, type ExampleReport } from './common/report.js';
import { writeFileAtomic } from '../src/io/atomic.js';

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
    lines.push(`| ${name} | ${report.mode} | **${c.reproduced} / ${report.claims.length}** | ${c.partly} | ${c.notReproduced} | ${c.notComparable} | ${report.seconds.toFixed(0)} | [report](${linkPrefix}${name}/report.md) |`);
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

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? argv.splice(onlyIndex, 2)[1].split(',') : undefined;
  let failed = false;
  for (const name of EXAMPLES) {
    if (only && !only.includes(name)) continue;
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
