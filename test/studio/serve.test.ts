/**
 * The studio's static server and build, without a browser: the headers that make wasm threads
 * possible, the MIME types browsers insist on, refusal of paths outside the site, and the cached
 * directions that the build ships.
 */
import * as path from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/studio/build.js';
import { serveStudio, type StudioServer } from '../../scripts/studio/serve.js';
import { MODELS } from '../../studio/src/model_registry.js';
import { parseDirections } from '../../studio/src/directions_format.js';

describe('studio server', () => {
  let dir: string;
  let server: StudioServer;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gankit-serve-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    writeFileSync(path.join(dir, 'a.wasm'), new Uint8Array([0, 97, 115, 109]));
    server = await serveStudio(dir);
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends COOP/COEP so that the page is cross-origin isolated (wasm threads)', async () => {
    const r = await fetch(server.url);
    expect(r.status).toBe(200);
    expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(r.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('serves .wasm as application/wasm', async () => {
    const r = await fetch(`${server.url}a.wasm`);
    expect(r.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
  });

  it('refuses paths outside the site and answers 404 for missing files', async () => {
    expect((await fetch(`${server.url}..%2f..%2fetc%2fpasswd`)).status).toBe(403);
    expect((await fetch(`${server.url}missing.js`)).status).toBe(404);
  });

  it('refuses to serve a folder that has not been built', async () => {
    await expect(serveStudio(path.join(dir, 'nothing-here'))).rejects.toThrow(/npm run studio:build/);
  });
});

describe('studio directions', () => {
  for (const spec of MODELS.filter((m) => m.hasDirections)) {
    it(`ships valid cached directions for ${spec.id}`, () => {
      const file = path.join(REPO_ROOT, spec.generator, 'directions.json');
      const parsed = parseDirections(JSON.parse(readFileSync(file, 'utf8')), file);
      expect(parsed.model).toBe(spec.id);
      expect(parsed.latentDim).toBe(spec.latentDim);
      expect(parsed.directions.length).toBeGreaterThan(0);
      for (const d of parsed.directions) {
        expect(d.vector.every(Number.isFinite)).toBe(true);
        // axes, boundaries and components are unit length; walks and attribute vectors keep their own
        if (d.group !== 'walk' && d.group !== 'arithmetic') expect(Math.hypot(...d.vector)).toBeCloseTo(1, 3);
        else expect(Math.hypot(...d.vector)).toBeGreaterThan(0);
      }
    });
  }

  it('rejects a directions file whose vectors do not match the latent size', () => {
    expect(() => parseDirections({ version: 1, latentDim: 3, directions: [{ id: 'x', vector: [1, 0] }] }, 'x.json')).toThrow(/direction 'x' has 2 components; the latent has 3/);
  });
});
