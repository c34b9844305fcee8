/**
 * The guides' code is part of the test suite: every ```ts block in docs/*.md is extracted, its
 * `gankit` / `gankit/<entry>` imports are pointed at the sources, the whole set is typechecked with
 * the project's compiler options, and each block is run (on cpu, in a scratch working directory).
 * A block whose info string says `ts no-run` is typechecked but not run (long runs, real datasets);
 * `ts no-check` is neither (fragments). Blocks are independent programs; nothing is shared between
 * them except the tfjs engine.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { setupBackend } from '../../src/backend/setup.js';
import { CLAIMS, type Claim } from './claims.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const docsDir = path.join(root, 'docs');
const generatedDir = path.join(here, '.generated');

/** The package's entry points (package.json `exports`), each mapped to its source index. */
const ENTRIES = ['layers', 'losses', 'latent', 'models', 'data', 'train', 'metrics', 'viz', 'backend', 'node'] as const;

export interface Snippet {
  doc: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** `run` (typecheck + run), `check` (typecheck only) or `skip`. */
  mode: 'run' | 'check' | 'skip';
  code: string;
}

/** Fenced ```ts / ```typescript blocks of one Markdown text. */
export function extractSnippets(doc: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)\b(.*)$/.exec(lines[i]);
    if (!open) continue;
    const info = open[2];
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    if (i >= lines.length) throw new Error(`${doc}:${start + 1}: unterminated code block`);
    const mode = /\bno-check\b/.test(info) ? 'skip' : /\bno-run\b/.test(info) ? 'check' : 'run';
    out.push({ doc, line: start + 1, mode, code: body.join('\n') });
  }
  return out;
}

/** Rewrites `'gankit'` and `'gankit/<entry>'` module specifiers to the source files. */
export function rewriteImports(code: string, fromDir: string): string {
  const rel = (p: string) => {
    const r = path.relative(fromDir, path.join(root, p)).split(path.sep).join('/');
    return r.startsWith('.') ? r : `./${r}`;
  };
  return code.replace(/(from\s+|import\s*\(\s*|import\s+)(['"])gankit(?:\/([a-z]+))?\2/g, (whole, lead: string, q: string, entry?: string) => {
    if (entry === undefined) return `${lead}${q}${rel('src/index.js')}${q}`;
    if (!(ENTRIES as readonly string[]).includes(entry)) throw new Error(`unknown gankit entry point 'gankit/${entry}' in ${whole}`);
    return `${lead}${q}${rel(`src/${entry}/index.js`)}${q}`;
  });
}

function collect(): Snippet[] {
  const docs = readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort();
  return docs.flatMap((f) => extractSnippets(f, readFileSync(path.join(docsDir, f), 'utf8')));
}

const snippets = collect();
const claimsOf = (s: Snippet): Claim[] => CLAIMS.filter((c) => c.doc === s.doc && s.code.includes(c.line));
const fileOf = (s: Snippet) => path.join(generatedDir, `${s.doc.replace(/\.md$/, '')}_L${s.line}.ts`);

function typecheck(files: string[]): string[] {
  const configPath = path.join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file && d.file.fileName.includes('/.generated/'));
  return diagnostics.map((d) => {
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${path.basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** GitHub's heading anchor: lower case, punctuation dropped (letters of any script kept), spaces → hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^```/.test(line)) fenced = !fenced;
    const h = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (h) out.add(headingSlug(h[1]));
  }
  return out;
}

/** Relative links `[text](target#anchor)` of a Markdown file whose file or heading does not exist. */
function brokenLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  const broken: string[] = [];
  for (const m of text.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
    const target = m[1];
    if (/^[a-z]+:/i.test(target)) continue;
    const [p, anchor] = target.split('#');
    const resolved = p === '' ? file : path.resolve(path.dirname(file), p);
    if (!existsSync(resolved)) {
      broken.push(`${path.relative(root, file)}: ${target} (no such file)`);
      continue;
    }
    if (anchor && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
      broken.push(`${path.relative(root, file)}: ${target} (no such heading)`);
    }
  }
  return broken;
}

describe('docs links', () => {
  it('every relative link in README.md and docs/*.md points to an existing file and heading', () => {
    const files = [path.join(root, 'README.md'), ...readdirSync(docsDir).filter((f) => f.endsWith('.md')).map((f) => path.join(docsDir, f))];
    expect(files.flatMap(brokenLinks)).toEqual([]);
    expect(headingSlug("GANimation's iteration")).toBe('ganimations-iteration');
    expect(headingSlug('VAE, β-VAE, DFC-VAE')).toBe('vae-β-vae-dfc-vae');
    expect(headingSlug('Asynchronous data (file-backed datasets)')).toBe('asynchronous-data-file-backed-datasets');
  });

  it('every guide and the reproduction pages are in the typedoc site (typedoc.json projectDocuments); guides are listed in docs/index.md and the README', () => {
    const guides = readdirSync(docsDir).filter((f) => f.endsWith('.md') && f !== 'contributing.md').sort();
    const typedoc = JSON.parse(readFileSync(path.join(root, 'typedoc.json'), 'utf8')) as { projectDocuments?: string[] };
    const documents = typedoc.projectDocuments ?? [];
    expect(documents.filter((d) => !d.startsWith('docs/examples/')).sort()).toEqual(guides.map((g) => `docs/${g}`));
    expect(documents).toContain('docs/examples/*.md'); // the reproduction pages, with their figures
    const index = readFileSync(path.join(docsDir, 'index.md'), 'utf8');
    expect(guides.filter((g) => g !== 'index.md' && !index.includes(`](${g})`))).toEqual([]);
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(guides.filter((g) => !readme.includes(`](docs/${g})`))).toEqual([]);
  });
});

describe('docs snippets', () => {
  let scratch = '';
  const cwd = process.cwd();

  beforeAll(() => {
    rmSync(generatedDir, { recursive: true, force: true });
    mkdirSync(generatedDir, { recursive: true });
    for (const s of snippets) {
      if (s.mode === 'skip') continue;
      // `export {}` keeps every block a module (top-level await, private scope).
      writeFileSync(fileOf(s), `${rewriteImports(s.code, generatedDir)}\nexport {};\n`);
    }
    scratch = mkdtempSync(path.join(os.tmpdir(), 'gankit-docs-'));
  });

  afterAll(() => {
    process.chdir(cwd);
    rmSync(generatedDir, { recursive: true, force: true });
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('finds the guides and their code blocks', () => {
    expect(snippets.length).toBeGreaterThan(10);
    expect(extractSnippets('x.md', 'a\n```ts no-run\nconst a = 1;\n```\n```sh\nls\n```\n```ts\nb\n```')).toEqual([
      { doc: 'x.md', line: 2, mode: 'check', code: 'const a = 1;' },
      { doc: 'x.md', line: 8, mode: 'run', code: 'b' },
    ]);
    expect(rewriteImports(`import { a } from 'gankit';\nimport { b } from "gankit/node";`, path.join(root, 'test/docs/.generated'))).toBe(
      `import { a } from '../../../src/index.js';\nimport { b } from "../../../src/node/index.js";`,
    );
    expect(() => rewriteImports(`import { a } from 'gankit/nope';`, root)).toThrow(/gankit\/nope/);
  });

  it('typecheck against the real API', () => {
    const files = snippets.filter((s) => s.mode !== 'skip').map(fileOf);
    expect(typecheck(files)).toEqual([]);
  }, 180_000);

  it('each stated output (test/docs/claims.ts) names exactly one logging line of a running block', () => {
    const problems = CLAIMS.flatMap((c) => {
      const hits = snippets.filter((s) => s.doc === c.doc).flatMap((s) => s.code.split('\n').filter((l) => l.includes(c.line)).map(() => s));
      if (hits.length !== 1) return [`${c.doc}: '${c.line}' matches ${hits.length} lines`];
      return hits[0].mode === 'run' ? [] : [`${c.doc}: '${c.line}' is in a block that does not run`];
    });
    expect(problems).toEqual([]);
  });

  for (const s of snippets.filter((x) => x.mode === 'run')) {
    it(`${s.doc}:${s.line} runs${claimsOf(s).length ? ` and prints what the guide says (${claimsOf(s).length} claims)` : ''}`, async () => {
      await setupBackend('cpu', { log: () => {} });
      process.chdir(scratch);
      const logs: { line: number; args: unknown[] }[] = [];
      const frame = new RegExp(`${path.basename(fileOf(s)).replace(/\./g, '\\.')}:(\\d+):\\d+`);
      const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        const m = frame.exec(new Error().stack ?? '');
        logs.push({ line: m ? Number(m[1]) : -1, args });
      });
      const info = vi.spyOn(console, 'info').mockImplementation(() => {});
      try {
        await import(pathToFileURL(fileOf(s)).href);
        const lines = s.code.split('\n');
        for (const c of claimsOf(s)) {
          const at = lines.findIndex((l) => l.includes(c.line)) + 1;
          const calls = logs.filter((l) => l.line === at).map((l) => l.args);
          expect(calls.length, `${s.doc}: nothing was logged by the line '${c.line}'`).toBeGreaterThan(0);
          c.check(calls[0], calls);
        }
      } finally {
        log.mockRestore();
        // GANKIT_DOCS_LOG=1 prints what each block logged (to compare with the guide's comments).
        if (process.env.GANKIT_DOCS_LOG) process.stdout.write(`--- ${s.doc}:${s.line}\n${logs.map(({ args: a }) => a.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ')).join('\n')}\n`);
        info.mockRestore();
        process.chdir(cwd);
        await tf.setBackend('cpu');
      }
    });
  }
});
