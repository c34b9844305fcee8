import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Atomic file and directory writes: content goes to a temporary sibling first and is renamed into
 * place, so a crash never leaves a half-written file or model behind.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Write a directory atomically: `fill(tmpDir)` writes the content into a fresh temporary sibling,
 * which then replaces `dir` (the previous `dir`, if any, is moved aside and removed only after
 * the new one is in place).
 */
export async function writeDirectoryAtomic(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const abs = path.resolve(dir);
  const parent = path.dirname(abs);
  await fs.mkdir(parent, { recursive: true });
  const suffix = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const tmp = path.join(parent, `.${path.basename(abs)}.tmp-${suffix}`);
  const old = path.join(parent, `.${path.basename(abs)}.old-${suffix}`);
  await fs.mkdir(tmp);
  try {
    await fill(tmp);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  let movedOld = false;
  try {
    await fs.rename(abs, old);
    movedOld = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      await fs.rm(tmp, { recursive: true, force: true });
      throw err;
    }
  }
  try {
    await fs.rename(tmp, abs);
  } catch (err) {
    if (movedOld) await fs.rename(old, abs);
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  if (movedOld) await fs.rm(old, { recursive: true, force: true });
}
