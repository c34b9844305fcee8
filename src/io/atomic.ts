import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Atomic file and directory writes: content goes to a temporary sibling first and is renamed into
 * place, so a crash never leaves a half-written file or model behind.
 *
 * Sibling names (all hidden, next to the target `name`):
 * - `.name.tmp-<time>-<pid>-<rand>`: a save in progress (or killed mid-way). Never read.
 * - `.name.old-<time>-<pid>-<rand>`: the previous complete content, moved aside for the instant
 *   between the two renames of {@link writeDirectoryAtomic}. If the writer dies in that instant the
 *   target is missing, and {@link resolveAtomicPath} hands readers the newest `.old-*` instead.
 *
 * `<time>` is a zero-padded millisecond clock plus a counter, so names sort in creation order.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, siblingName(path.basename(file), 'tmp'));
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

let counter = 0;

/** `.name.kind-<time>-<pid>-<rand>`, sortable by creation time within and across processes. */
function siblingName(base: string, kind: 'tmp' | 'old'): string {
  counter = (counter + 1) % 1e6;
  const time = `${String(Date.now()).padStart(15, '0')}${String(counter).padStart(6, '0')}`;
  return `.${base}.${kind}-${time}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

const SIBLING = /^\.(.+)\.(tmp|old)-(\d{21})-(\d+)-[a-z0-9]+$/;

/** Parse a sibling name made by {@link siblingName}; null for anything else. */
function parseSibling(name: string): { base: string; kind: 'tmp' | 'old'; pid: number } | null {
  const m = SIBLING.exec(name);
  return m ? { base: m[1], kind: m[2] as 'tmp' | 'old', pid: Number(m[4]) } : null;
}

/** Whether `pid` names a live process on this machine (EPERM: alive but someone else's). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const RENAME_RACE = new Set(['ENOTEMPTY', 'EEXIST', 'EPERM', 'EACCES', 'EBUSY']);

/**
 * Write a directory atomically: `fill(tmpDir)` writes the content into a fresh temporary sibling,
 * which then replaces `dir`: the previous `dir` is renamed to an `.old-*` sibling, the temporary
 * one is renamed to `dir`, and the `.old-*` is removed. Every rename is atomic, so at any instant
 * `dir` is either absent, the complete old content or the complete new content — never a mix —
 * and while it is absent the complete old content sits in `.old-*`, where
 * {@link resolveAtomicPath} finds it. So a SIGKILL at any moment leaves a loadable previous
 * version.
 *
 * Several writers (processes or concurrent calls) may save to one `dir`: each fills its own
 * temporary sibling; if another writer's rename lands in between ours, we move theirs aside and
 * retry, so the last writer wins and `dir` always holds exactly one writer's complete content.
 *
 * After a successful save, leftovers of dead writers (`.tmp-*` / `.old-*` siblings whose process
 * is gone) are removed. Data reaches the OS page cache, not necessarily the disk: this survives
 * process death, not power loss.
 */
export async function writeDirectoryAtomic(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const abs = path.resolve(dir);
  const parent = path.dirname(abs);
  const base = path.basename(abs);
  await fs.mkdir(parent, { recursive: true });
  const tmp = path.join(parent, siblingName(base, 'tmp'));
  await fs.mkdir(tmp);
  try {
    await fill(tmp);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const movedAside: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const old = path.join(parent, siblingName(base, 'old'));
    try {
      await fs.rename(abs, old);
      movedAside.push(old);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        await fs.rm(tmp, { recursive: true, force: true });
        throw err;
      }
    }
    try {
      await fs.rename(tmp, abs);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      // another writer renamed its directory into place between our two renames: go round again
      if (RENAME_RACE.has(code) && attempt < 20) continue;
      if (movedAside.length > 0) await fs.rename(movedAside.pop()!, abs).catch(() => {});
      await fs.rm(tmp, { recursive: true, force: true });
      throw err;
    }
  }
  for (const old of movedAside) await fs.rm(old, { recursive: true, force: true });
  await removeDeadSiblings(parent, base);
}

/** Remove `.tmp-*` / `.old-*` siblings of `base` left by processes that no longer run. Call only while `base` exists. */
async function removeDeadSiblings(parent: string, base: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const s = parseSibling(name);
    if (s == null || s.base !== base || processAlive(s.pid)) continue;
    await fs.rm(path.join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Where to read `target` from. Normally `target` itself (resolved to an absolute path). When it is
 * missing because a writer was killed between its two renames (see {@link writeDirectoryAtomic}),
 * the newest complete `.old-*` sibling — at every level of the path, so
 * `checkpoint/models/G` is found inside `.checkpoint.old-…/models/G`. `.tmp-*` siblings are never
 * returned, and a path that itself names a `.tmp-*` directory is refused: its save did not finish.
 */
export async function resolveAtomicPath(target: string): Promise<string> {
  const abs = path.resolve(target);
  for (let p = abs; ; p = path.dirname(p)) {
    if (parseSibling(path.basename(p))?.kind === 'tmp') {
      throw new Error(`'${target}' lies in ${p}, the temporary directory of a save that did not finish; load the directory it was being saved to instead`);
    }
    if (path.dirname(p) === p) break;
  }
  return resolveFrom(abs);
}

async function resolveFrom(abs: string): Promise<string> {
  if (await exists(abs)) return abs;
  const parent = path.dirname(abs);
  if (parent === abs) return abs;
  const realParent = await resolveFrom(parent);
  const candidate = path.join(realParent, path.basename(abs));
  if (candidate !== abs && (await exists(candidate))) return candidate;
  let names: string[];
  try {
    names = await fs.readdir(realParent);
  } catch {
    return abs;
  }
  const olds = names.filter((n) => {
    const s = parseSibling(n);
    return s != null && s.kind === 'old' && s.base === path.basename(abs);
  });
  if (olds.length === 0) return abs;
  olds.sort();
  return path.join(realParent, olds[olds.length - 1]);
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Read a directory written by {@link writeDirectoryAtomic} consistently: `read(resolvedDir)` runs
 * against {@link resolveAtomicPath}'s answer, and is run again (up to 4 times) when the directory
 * was swapped by a concurrent writer while it read (its inode changed) or when `read` failed
 * while such a swap happened — so the files it reads all come from one save.
 */
export async function readDirectoryAtomic<T>(dir: string, read: (resolvedDir: string) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const resolved = await resolveAtomicPath(dir);
    const before = await inode(resolved);
    let result: T;
    try {
      result = await read(resolved);
    } catch (err) {
      if (attempt < 4 && ((await inode(resolved)) !== before || (await resolveAtomicPath(dir)) !== resolved)) continue;
      throw err;
    }
    if (attempt < 4 && ((await inode(resolved)) !== before || (await resolveAtomicPath(dir)) !== resolved)) continue;
    return result;
  }
}

async function inode(p: string): Promise<number | null> {
  try {
    return (await fs.stat(p)).ino;
  } catch {
    return null;
  }
}
