/**
 * `npm run studio:build`: bundle gankit studio (studio/src/main.ts, with esbuild) into a static
 * site under `studio/dist` that any static host can serve: index.html, studio.css, studio.js,
 * tfjs-backend-wasm's .wasm files under wasm/, and the bundled checkpoints with their cached
 * directions under checkpoints/. Runs from a clean clone: it reads only committed files.
 *
 *   npx tsx scripts/studio/build.ts [--out studio/dist]
 */
import * as path from 'node:path';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const STUDIO_DIST = path.join(REPO_ROOT, 'studio', 'dist');

/** Files of a checkpoint directory that the page loads. */
const CHECKPOINT_FILES = ['model.json', 'weights.bin', 'card.json', 'directions.json'];

export interface BuildResult {
  out: string;
  bytes: number;
  seconds: number;
}

function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? sizeOf(p) : statSync(p).size;
  }
  return total;
}

/** Build the site into `out` (replacing it). */
export async function buildStudio(out = STUDIO_DIST): Promise<BuildResult> {
  const started = Date.now();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [path.join(REPO_ROOT, 'studio', 'src', 'main.ts')],
    outfile: path.join(out, 'studio.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
    // setupBackend's Node-only branches (gankit/backend) import these lazily; the page never reaches them
    external: ['node:*', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  for (const file of ['index.html', 'studio.css']) cpSync(path.join(REPO_ROOT, 'studio', file), path.join(out, file));
  const require = createRequire(import.meta.url);
  const wasmDist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  mkdirSync(path.join(out, 'wasm'));
  for (const file of readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) cpSync(path.join(wasmDist, file), path.join(out, 'wasm', file));
  const checkpoints = path.join(REPO_ROOT, 'checkpoints');
  for (const example of readdirSync(checkpoints)) {
    for (const model of readdirSync(path.join(checkpoints, example))) {
      const from = path.join(checkpoints, example, model);
      if (!existsSync(path.join(from, 'model.json'))) continue;
      const to = path.join(out, 'checkpoints', example, model);
      mkdirSync(to, { recursive: true });
      for (const file of CHECKPOINT_FILES) if (existsSync(path.join(from, file))) cpSync(path.join(from, file), path.join(to, file));
    }
  }
  return { out, bytes: sizeOf(out), seconds: (Date.now() - started) / 1000 };
}

const isMain = process.argv[1] != null && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const at = process.argv.indexOf('--out');
  buildStudio(at >= 0 ? path.resolve(process.argv[at + 1]) : STUDIO_DIST)
    .then((r) => console.log(`studio: built ${path.relative(process.cwd(), r.out) || '.'} (${(r.bytes / 1e6).toFixed(1)} MB, ${r.seconds.toFixed(1)} s)`))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
