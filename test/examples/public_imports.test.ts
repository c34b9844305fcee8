import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The package's public entry points (package.json `exports`), as source files. */
const PUBLIC = new Set(['src/index.ts', ...['layers', 'losses', 'latent', 'models', 'data', 'train', 'metrics', 'viz', 'backend', 'node'].map((s) => `src/${s}/index.ts`)]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('examples (what users copy)', () => {
  it('import gankit only through its public entry points (gankit, gankit/<subpath>), never a file inside src/', () => {
    const deep: string[] = [];
    for (const file of files(path.join(root, 'examples'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
        const spec = m[1];
        if (!spec.startsWith('.')) continue;
        const target = path.relative(root, path.resolve(path.dirname(file), spec)).replace(/\.js$/, '.ts');
        if (target.startsWith('src/') && !PUBLIC.has(target)) deep.push(`${path.relative(root, file)}: ${spec}`);
      }
    }
    expect(deep).toEqual([]);
  });
});
