/**
 * Issue #18, "two writers": two processes save different checkpoints to one folder at the same
 * time, many times over. Whatever the interleaving, the folder must always hold exactly one
 * writer's complete checkpoint (checkpoint.json, tensors.bin and models/G from one save), both
 * while they write (a reader polls it) and after they finish (the last save wins).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryBusyError, writeDirectoryAtomic } from '../../src/io/atomic.js';
import { fixtureCommand, killChildren, startChild } from './children.js';
import { readWholeCheckpoint } from './whole_checkpoint.js';

let root = '';
let writer: string[] = [];
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gankit-writers-'));
  writer = await fixtureCommand('checkpoint_writer', root);
});
afterAll(async () => {
  killChildren();
  await fs.rm(root, { recursive: true, force: true });
});

describe('saveCheckpoint: two writers on one folder', () => {
  it('never leaves a mixed checkpoint: 2 processes × 100 saves, 3 rounds, with a reader polling meanwhile', async () => {
    const SAVES = 100;
    const figures = { rounds: 0, saves: 0, reads: 0, wholeReads: 0, busyReads: 0, finalWhole: 0 };
    for (let round = 0; round < 3; round++) {
      const dir = path.join(root, `shared-${round}`, 'checkpoint');
      const a = startChild(writer, [dir, '1', String(SAVES)]);
      const b = startChild(writer, [dir, '2', String(SAVES)]);
      let done = false;
      const exits = Promise.all([a.exited, b.exited]).finally(() => (done = true));
      // read while they write: every read that finds a checkpoint finds a whole one
      while (!done) {
        await new Promise((r) => setTimeout(r, 3));
        if (
          !(await fs.stat(path.join(dir, 'checkpoint.json')).then(
            () => true,
            () => false,
          ))
        )
          continue;
        figures.reads++;
        try {
          const seen = await readWholeCheckpoint(dir);
          expect([1, 2]).toContain(seen.writer);
          figures.wholeReads++;
        } catch (err) {
          // saves every few ms can outpace a reader: it must then say so, never return a mix
          if (!(err instanceof DirectoryBusyError)) throw err;
          figures.busyReads++;
        }
      }
      const [ea, eb] = await exits;
      expect(ea.code, ea.stderr).toBe(0);
      expect(eb.code, eb.stderr).toBe(0);
      figures.saves += a.lines.filter((l) => l.startsWith('saved ')).length + b.lines.filter((l) => l.startsWith('saved ')).length;
      // the folder holds the last save of one writer, and nothing else lies around
      const final = await readWholeCheckpoint(dir);
      expect(final.i).toBe(SAVES);
      expect(await fs.readdir(path.dirname(dir))).toEqual(['checkpoint']);
      figures.finalWhole++;
      figures.rounds++;
    }
    console.log(JSON.stringify({ check: 'two_writers', ...figures }));
    expect(figures.saves).toBe(3 * 2 * SAVES);
    expect(figures.wholeReads + figures.busyReads).toBe(figures.reads);
    expect(figures.wholeReads).toBeGreaterThan(0);
  }, 60_000);
});

describe('writeDirectoryAtomic: concurrent saves in one process', () => {
  it('ends with exactly one complete directory when 12 saves race, and leaves no temporary siblings', async () => {
    const dir = path.join(root, 'race', 'out');
    await Promise.all(
      Array.from({ length: 12 }, (_, k) =>
        writeDirectoryAtomic(dir, async (tmp) => {
          await fs.writeFile(path.join(tmp, 'a.txt'), `writer ${k}`);
          await new Promise((r) => setTimeout(r, (k * 7) % 5));
          await fs.writeFile(path.join(tmp, 'b.txt'), `writer ${k}`);
        }),
      ),
    );
    const [a, b] = await Promise.all(['a.txt', 'b.txt'].map((f) => fs.readFile(path.join(dir, f), 'utf8')));
    expect(a).toMatch(/^writer \d+$/);
    expect(b).toBe(a);
    expect(await fs.readdir(path.dirname(dir))).toEqual(['out']);
  });
});
