/**
 * Append-only JSON-lines metric log (one object per line).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../io/atomic.js';

export class JsonlLogger {
  constructor(readonly file: string) {}

  /** Append one record as a line. */
  async append(record: Record<string, unknown>): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await fs.appendFile(this.file, `${JSON.stringify(record)}\n`);
  }

  /** All records (skipping a torn last line). */
  async read(): Promise<Record<string, unknown>[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    const out: Record<string, unknown>[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        // a line torn by a crash mid-append
      }
    }
    return out;
  }

  /** Keep only records whose `step` is < `step` (and records without a step); used on resume. */
  async truncateFrom(step: number): Promise<void> {
    const records = await this.read();
    const kept = records.filter((r) => typeof r.step !== 'number' || r.step < step);
    await writeFileAtomic(this.file, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}
