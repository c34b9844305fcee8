import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCheckpoint, loadCheckpoint, loadJsonCheckpoint, saveCheckpoint, saveJsonCheckpoint } from '../../examples/common/checkpoints.js';
import { buildDcganGenerator } from '../../src/models/index.js';
import { expectClose } from '../helpers/index.js';

const ARCH = 'DCGAN generator 8 px, ngf 4, z 3';

describe('example checkpoints (checkpoints/<example>/<name>/)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'gankit-ckpt-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const save = async () => {
    const G = buildDcganGenerator({ imageSize: 8, filters: 4, latentDim: 3, seed: 1 });
    const card = await saveCheckpoint(G, { example: 'demo', name: 'g', architecture: ARCH, seed: 7, seconds: 1.5, fid: 12.5, config: { filters: 4 } }, root);
    return { G, card, dir: path.join(root, 'demo', 'g') };
  };

  it("keeps companion files (the studio's directions.json) when the weights are unchanged, drops them when they changed", async () => {
    const { G, dir } = await save();
    writeFileSync(path.join(dir, 'directions.json'), '{"smile":[1,2,3]}');
    await saveCheckpoint(G, { example: 'demo', name: 'g', architecture: ARCH, seed: 7, seconds: 2, config: {} }, root);
    expect(readFileSync(path.join(dir, 'directions.json'), 'utf8')).toBe('{"smile":[1,2,3]}');
    const other = buildDcganGenerator({ imageSize: 8, filters: 4, latentDim: 3, seed: 2 });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (m: string) => void warnings.push(m);
    try {
      await saveCheckpoint(other, { example: 'demo', name: 'g', architecture: ARCH, seed: 8, seconds: 2, config: {} }, root);
    } finally {
      console.warn = warn;
    }
    expect(hasCheckpoint('demo', 'g', root)).toBe(true);
    expect(() => readFileSync(path.join(dir, 'directions.json'))).toThrow();
    expect(warnings.join('\n')).toMatch(/new weights, so directions\.json .* were dropped; rebuild them \(npm run studio:directions\)/);
    G.dispose();
    other.dispose();
  });

  it('saves float16 weights with a card (command, seed, commit, seconds, FID) and loads them back', async () => {
    const { G, card, dir } = await save();
    expect(hasCheckpoint('demo', 'g', root)).toBe(true);
    expect(card).toMatchObject({ example: 'demo', name: 'g', architecture: ARCH, seed: 7, seconds: 1.5, fid: 12.5, weightsDtype: 'float16' });
    expect(card.commit).toMatch(/^([0-9a-f]{40}(\+dirty)?|unknown)$/);
    expect(JSON.parse(readFileSync(path.join(dir, 'card.json'), 'utf8'))).toEqual(card);
    const { model } = await loadCheckpoint('demo', 'g', ARCH, root);
    const z = tf.randomNormal([2, 3], 0, 1, 'float32', 3);
    const a = G.predict(z) as tf.Tensor;
    const b = model.predict(z) as tf.Tensor;
    expectClose(b, a, { rtol: 1e-2, atol: 1e-2 });
    tf.dispose([z, a, b]);
    G.dispose();
    model.dispose();
  });

  it('refuses a checkpoint of another architecture, naming both', async () => {
    const { G } = await save();
    G.dispose();
    await expect(loadCheckpoint('demo', 'g', 'DCGAN generator 8 px, ngf 8, z 3', root)).rejects.toThrow(
      /holds 'DCGAN generator 8 px, ngf 4, z 3', but 'DCGAN generator 8 px, ngf 8, z 3' was expected/,
    );
  });

  it('reports a truncated weights file and a corrupt card by path', async () => {
    const { G, dir } = await save();
    G.dispose();
    truncateSync(path.join(dir, 'weights.bin'), 10);
    await expect(loadCheckpoint('demo', 'g', ARCH, root)).rejects.toThrow(/demo\/g is damaged: .*truncated/);
    writeFileSync(path.join(dir, 'card.json'), '{ not json');
    await expect(loadCheckpoint('demo', 'g', ARCH, root)).rejects.toThrow(/card\.json cannot be read as JSON/);
    expect(hasCheckpoint('demo', 'missing', root)).toBe(false);
  });

  it('saves a JSON result (e.g. learned walks) with a card, loads it back, refuses another architecture and names a corrupt file', async () => {
    const data = [{ w: [0.25, -1.5, Math.fround(0.1)], losses: [1, 0.5] }];
    const card = await saveJsonCheckpoint(data, { example: 'demo', name: 'walks', architecture: 'walks z 3', seed: 7, seconds: 2, config: {} }, root);
    expect(card.weightsDtype).toBe('float32');
    expect(card.bytes).toBe(Buffer.byteLength(`${JSON.stringify(data)}\n`));
    expect(hasCheckpoint('demo', 'walks', root)).toBe(true);
    expect(loadJsonCheckpoint('demo', 'walks', 'walks z 3', root).data).toEqual(data);
    expect(() => loadJsonCheckpoint('demo', 'walks', 'walks z 4', root)).toThrow(/holds 'walks z 3', but 'walks z 4' was expected/);
    writeFileSync(path.join(root, 'demo', 'walks', 'data.json'), '[{"w": [0.2');
    expect(() => loadJsonCheckpoint('demo', 'walks', 'walks z 3', root)).toThrow(/demo\/walks\/data\.json cannot be read as JSON/);
  });
});
