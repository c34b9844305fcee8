/**
 * Issue #18, "kill during save": a child process saves checkpoints in a loop and is SIGKILLed at a
 * random moment, 20 times over one checkpoint folder. After every kill the folder must load as a
 * whole checkpoint — the last one the child finished, or the one it was finishing — and a save's
 * temporary directory must never be what a loader reads. Plus the crash states a random kill
 * rarely hits (between the two renames), built by hand, and truncated / corrupt files.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAtomicPath, writeDirectoryAtomic } from '../../src/io/atomic.js';
import { checkpointExists, readCheckpoint } from '../../src/train/node/checkpoint.js';
import { fixtureCommand, killChildren, startChild } from './children.js';
import { readWholeCheckpoint } from './whole_checkpoint.js';
import { Random } from '../helpers/index.js';

let root = '';
let writer: string[] = [];
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gankit-kill-'));
  writer = await fixtureCommand('checkpoint_writer', root);
});
afterAll(async () => {
  killChildren();
  await fs.rm(root, { recursive: true, force: true });
});

/** Names in `parent` that are unfinished-save leftovers of `base`. */
async function leftovers(parent: string, base: string): Promise<string[]> {
  return (await fs.readdir(parent)).filter((n) => n.startsWith(`.${base}.`));
}

describe('saveCheckpoint under SIGKILL', () => {
  it('leaves the previous checkpoint loadable when killed at any moment (20 random SIGKILLs)', async () => {
    const dir = path.join(root, 'run', 'checkpoint');
    // round 0: one finished save, so even a kill before round 1's first save has a previous checkpoint
    const seed = startChild(writer, [dir, '0', '1']);
    expect((await seed.exited).code).toBe(0);
    const rng = new Random(18);
    let previous = await readWholeCheckpoint(dir);
    const figures = { rounds: 0, recovered: 0, killedBeforeFirstSave: 0, targetMissingAfterKill: 0, maxLeftovers: 0, savesCompleted: 0 };
    for (let round = 1; round <= 20; round++) {
      const child = startChild(writer, [dir, String(round), '100000']);
      await child.waitFor(/^ready$/);
      // kill somewhere in the first ~25 saves (a save takes about 2–5 ms here)
      await new Promise((r) => setTimeout(r, rng.uniform() * 60));
      child.process.kill('SIGKILL');
      const exit = await child.exited;
      expect(exit.signal, `round ${round}: ${exit.stderr}`).toBe('SIGKILL');
      const finished = child.lines.filter((l) => l.startsWith('saved ')).length;
      figures.savesCompleted += finished;
      if (finished === 0) figures.killedBeforeFirstSave++;
      const missing = !(await fs.stat(dir).then(
        () => true,
        () => false,
      ));
      if (missing) figures.targetMissingAfterKill++;
      const resolved = await resolveAtomicPath(dir);
      expect(resolved, 'a loader never reads a .tmp-* directory').not.toMatch(/\.tmp-/);
      expect(await checkpointExists(dir)).toBe(true);
      const now = await readWholeCheckpoint(dir);
      // the last save the child reported, or the one after it (finished but not yet reported)
      if (finished === 0) expect([previous, { writer: round, i: 1 }]).toContainEqual(now);
      else
        expect([
          { writer: round, i: finished },
          { writer: round, i: finished + 1 },
        ]).toContainEqual(now);
      figures.rounds++;
      figures.recovered++;
      figures.maxLeftovers = Math.max(figures.maxLeftovers, (await leftovers(path.dirname(dir), 'checkpoint')).length);
      previous = now;
    }
    console.log(JSON.stringify({ check: 'kill_during_save', ...figures }));
    expect(figures.recovered).toBe(20);
    // the next finished save removes what the killed writers left behind
    const tidy = startChild(writer, [dir, '99', '1']);
    expect((await tidy.exited).code).toBe(0);
    expect(await leftovers(path.dirname(dir), 'checkpoint')).toEqual([]);
    expect(await readWholeCheckpoint(dir)).toEqual({ writer: 99, i: 1 });
  }, 60_000);
});

describe('writeDirectoryAtomic: the crash states between its two renames', () => {
  const fill = (text: string) => async (tmp: string) => fs.writeFile(path.join(tmp, 'file.txt'), text);
  const deadPid = 2 ** 31 - 2; // no such process

  it('reads the moved-aside previous version when the writer died after moving it and before renaming the new one in', async () => {
    const parent = path.join(root, 'window');
    const dir = path.join(parent, 'ckpt');
    await writeDirectoryAtomic(dir, fill('old'));
    // the state a SIGKILL between the renames leaves: no ckpt, the old one aside, the new one complete in tmp
    await fs.rename(dir, path.join(parent, `.ckpt.old-${'1'.padStart(21, '0')}-${deadPid}-aaaa`));
    await fs.mkdir(path.join(parent, `.ckpt.tmp-${'2'.padStart(21, '0')}-${deadPid}-bbbb`));
    await fs.writeFile(path.join(parent, `.ckpt.tmp-${'2'.padStart(21, '0')}-${deadPid}-bbbb`, 'file.txt'), 'new, never finished');
    expect(await fs.readFile(path.join(await resolveAtomicPath(dir), 'file.txt'), 'utf8')).toBe('old');
    // the next save takes over and removes the dead writer's leftovers
    await writeDirectoryAtomic(dir, fill('next'));
    expect(await fs.readFile(path.join(dir, 'file.txt'), 'utf8')).toBe('next');
    expect(await fs.readdir(parent)).toEqual(['ckpt']);
  });

  it('picks the newest of several moved-aside versions, also for paths inside them (checkpoint/models/G)', async () => {
    const parent = path.join(root, 'several');
    await fs.mkdir(path.join(parent, `.ckpt.old-${'5'.padStart(21, '0')}-${deadPid}-aaaa`, 'models', 'G'), { recursive: true });
    await fs.mkdir(path.join(parent, `.ckpt.old-${'7'.padStart(21, '0')}-${deadPid}-bbbb`, 'models', 'G'), { recursive: true });
    expect(await resolveAtomicPath(path.join(parent, 'ckpt', 'models', 'G'))).toBe(path.join(parent, `.ckpt.old-${'7'.padStart(21, '0')}-${deadPid}-bbbb`, 'models', 'G'));
  });

  it('refuses to read a .tmp-* directory named explicitly', async () => {
    await expect(resolveAtomicPath(path.join(root, `.ckpt.tmp-${'3'.padStart(21, '0')}-${deadPid}-cccc`))).rejects.toThrow(/temporary directory of a save that did not finish/);
  });
});

describe('readCheckpoint: truncated and corrupt files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = path.join(root, 'damaged');
    const child = startChild(writer, [dir, '1', '1', '0']);
    expect((await child.exited).code).toBe(0);
  });

  it('names tensors.bin and the expected and actual byte length when it is truncated', async () => {
    const bin = path.join(dir, 'tensors.bin');
    const whole = await fs.readFile(bin);
    await fs.writeFile(bin, whole.subarray(0, 100));
    await expect(readCheckpoint(dir)).rejects.toThrow(new RegExp(`tensors\\.bin holds 100 bytes but checkpoint\\.json expects ${whole.length} bytes; the checkpoint is truncated or corrupt`));
    await fs.writeFile(bin, whole);
  });

  it('names tensors.bin and both checksums when its bytes are corrupt but its length is right', async () => {
    const bin = path.join(dir, 'tensors.bin');
    const whole = await fs.readFile(bin);
    const bad = Buffer.from(whole);
    bad[17] ^= 0x40;
    await fs.writeFile(bin, bad);
    await expect(readCheckpoint(dir)).rejects.toThrow(
      /tensors\.bin \(\d+ bytes\) does not match the SHA-256 in checkpoint\.json \(expected [0-9a-f]{64}, got [0-9a-f]{64}\); the checkpoint is corrupt/,
    );
    await fs.writeFile(bin, whole);
  });

  it('names checkpoint.json when it is truncated, and a missing tensors.bin', async () => {
    const json = path.join(dir, 'checkpoint.json');
    const text = await fs.readFile(json, 'utf8');
    await fs.writeFile(json, text.slice(0, 50));
    await expect(readCheckpoint(dir)).rejects.toThrow(/checkpoint\.json is not valid JSON \(50 characters; truncated or corrupt\)/);
    await fs.writeFile(json, text);
    await fs.rm(path.join(dir, 'tensors.bin'));
    await expect(readCheckpoint(dir)).rejects.toThrow(/cannot read .*tensors\.bin: ENOENT/);
  });
});
