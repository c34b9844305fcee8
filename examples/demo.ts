/**
 * `npm run demo [-- --quick] [--out dir] [--seed n] [--backend name] [--only name,name]`
 *
 * Runs every reproduction on embedded data (each writes figures, report.json and report.md under
 * `<out>/<name>/`), then writes `<out>/index.html` and `<out>/index.md` linking the results.
 * Without `--quick`, an example whose trained models are bundled under `checkpoints/` (all five)
 * loads them and runs its analyses at the standard size (`--checkpoints`); the others
 * run in quick mode. `--quick` runs everything in quick mode (what CI does). Exits non-zero if any
 * example fails.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseExampleArgs } from './common/cli.js';
import { runExample, type ExampleModule } from './common/main.js';
import type { ExampleReport } from './common/report.js';
import { hasCheckpoint } from './common/checkpoints.js';

/** Examples that can run from the bundled checkpoints (`--checkpoints`). */
export const FROM_CHECKPOINTS: readonly string[] = ['000-steering-hologan', '001-expression-synthesis', '002-cheermeup', '003-emotion-generation', '004-ganimation'];

export const EXAMPLES = ['000-steering-hologan', '001-expression-synthesis', '002-cheermeup', '003-emotion-generation', '004-ganimation'] as const;

/** One checkpoint each bundled example needs (its presence says the standard run was committed). */
const CHECKPOINT_PROBE: Record<string, string> = {
  '000-steering-hologan': 'hologan-generator',
  '001-expression-synthesis': 'glow',
  '002-cheermeup': 'multi-modal-generator',
  '003-emotion-generation': 'conditional-generator',
  '004-ganimation': 'ganimation-generator',
};

const here = path.dirname(fileURLToPath(import.meta.url));

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function indexHtml(results: { name: string; report?: ExampleReport; error?: string }[]): string {
  const sections = results.map(({ name, report, error }) => {
    if (!report) return `<section><h2>${name}</h2><p class="fail">failed: ${escapeHtml(error ?? '')}</p></section>`;
    const claims = report.claims.map((c) => `<tr><td>${escapeHtml(c.claim)}</td><td>${escapeHtml(c.ours)}</td><td class="${c.verdict.replace(/ /g, '-')}">${c.verdict}</td></tr>`).join('\n');
    const figures = report.figures.map((f) => `<figure><img src="${name}/${f.file}" alt="${escapeHtml(f.caption)}"><figcaption>${escapeHtml(f.caption)}</figcaption></figure>`).join('\n');
    return `<section><h2>${escapeHtml(report.title)}</h2>
<p>${escapeHtml(report.document)} — seed ${report.seed}, backend ${report.backend}, ${report.mode} mode, ${report.seconds.toFixed(1)} s —
<a href="${name}/report.md">report.md</a>, <a href="${name}/report.json">report.json</a></p>
<table><tr><th>the document says</th><th>we measured</th><th>verdict</th></tr>
${claims}</table>
${figures}</section>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>gankit reproductions</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px;vertical-align:top}
img{image-rendering:pixelated;max-width:100%}figure{display:inline-block;margin:8px}.reproduced{color:#070}.not-reproduced,.fail{color:#a00}.partly{color:#a60}</style></head>
<body><h1>gankit reproductions</h1>
${sections.join('\n')}
</body></html>`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? argv.splice(onlyIndex, 2)[1].split(',') : undefined;
  const quickOnly = argv.includes('--quick');
  const args = parseExampleArgs(argv, 'out');
  mkdirSync(args.out, { recursive: true });
  const results: { name: string; report?: ExampleReport; error?: string }[] = [];
  for (const name of EXAMPLES) {
    if (only && !only.includes(name)) continue;
    const file = path.join(here, `${name}.ts`);
    if (!existsSync(file)) {
      console.log(`demo: ${name} is not written yet; skipping`);
      continue;
    }
    try {
      const mod = (await import(pathToFileURL(file).href)) as { default: ExampleModule };
      const bundled = !quickOnly && FROM_CHECKPOINTS.includes(name) && hasCheckpoint(name, CHECKPOINT_PROBE[name]);
      const report = await runExample(mod.default, { ...args, mode: bundled ? 'standard' : 'quick', checkpoints: bundled, out: path.join(args.out, name) });
      results.push({ name, report });
    } catch (err) {
      console.error(`demo: ${name} failed:`, err);
      results.push({ name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  writeFileSync(path.join(args.out, 'index.html'), indexHtml(results));
  const md = ['# gankit reproductions', '', '| example | mode | seconds | claims reproduced | report |', '|---|---|---|---|---|'];
  for (const r of results) {
    const ok = r.report ? `${r.report.claims.filter((c) => c.verdict === 'reproduced').length}/${r.report.claims.length}` : 'failed';
    md.push(
      `| ${r.name} | ${r.report ? `${r.report.mode}${r.report.fromCheckpoints ? ' (checkpoints)' : ''}` : '-'} | ${r.report ? r.report.seconds.toFixed(1) : '-'} | ${ok} | [report](${r.name}/report.md) |`,
    );
  }
  writeFileSync(path.join(args.out, 'index.md'), md.join('\n') + '\n');
  console.log(`demo: wrote ${path.join(args.out, 'index.html')}`);
  if (results.some((r) => r.error)) process.exit(1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
