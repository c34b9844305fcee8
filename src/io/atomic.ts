import { createHash } from 'node:crypto';
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
 * against {@link resolveAtomicPath}'s answer, and is run again (up to 10 times, after a short
 * random pause) when a concurrent writer swapped the directory while it read — so the files it
 * reads all come from one save. A swap is seen as a change of the directory's identity: its inode
 * and change time, and the bytes of `options.manifest` (a small file every save rewrites, such as
 * `checkpoint.json`) — inode numbers are reused at once and timestamps tick in milliseconds, so
 * only the manifest's content tells two quick saves apart for sure. To read several parts of one
 * checkpoint as one snapshot, call the readers inside one `read`.
 */
export async function readDirectoryAtomic<T>(dir: string, read: (resolvedDir: string) => Promise<T>, options: { manifest?: string } = {}): Promise<T> {
  const ATTEMPTS = 10;
  for (let attempt = 1; ; attempt++) {
    const resolved = await resolveAtomicPath(dir);
    const before = await identity(resolved, options.manifest);
    let result: T;
    let failure: unknown = null;
    try {
      result = await read(resolved);
    } catch (err) {
      failure = err;
    }
    const swapped = (await identity(resolved, options.manifest)) !== before || (await resolveAtomicPath(dir)) !== resolved;
    if (swapped && attempt < ATTEMPTS) {
      await new Promise((r) => setTimeout(r, 1 + Math.random() * 4 * attempt));
      continue;
    }
    if (swapped) {
      throw new DirectoryBusyError(
        `${dir} was replaced by another save during each of ${ATTEMPTS} attempts to read it; another process is saving to it faster than it can be read${failure != null ? ` (last error: ${(failure as Error).message})` : ''}`,
      );
    }
    if (failure != null) throw failure;
    return result!;
  }
}

/** Thrown by {@link readDirectoryAtomic} when every attempt overlapped a concurrent save: a consistent read was impossible, not a damaged directory. */
export class DirectoryBusyError extends Error {
  override name = 'DirectoryBusyError';
}

/** Which save `p` holds right now ('' when missing): directory inode and times, plus the manifest's bytes. */
async function identity(p: string, manifest?: string): Promise<string> {
  let id = '';
  try {
    const s = await fs.stat(p, { bigint: true });
    id = `${s.dev}:${s.ino}:${s.ctimeNs}:${s.birthtimeNs}`;
  } catch {
    return '';
  }
  if (manifest != null) {
    try {
      id += `:${createHash('sha256')
        .update(await fs.readFile(path.join(p, manifest)))
        .digest('hex')}`;
    } catch {
      id += ':-';
    }
  }
  return id;
}
