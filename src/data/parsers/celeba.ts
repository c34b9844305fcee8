import { asText, LineErrors, splitLines, type ParseOptions, type SkippedLine } from './common.js';

/** The parsed `list_attr_celeba.txt`. */
export interface CelebaAttributes {
  /** The 40 attribute names of the header line, in file order. */
  names: string[];
  /** Image file names (`000001.jpg`). */
  files: string[];
  /** [files.length, names.length] row-major, each −1 or +1. */
  values: Int8Array;
  skipped: SkippedLine[];
}

/**
 * Parse CelebA's `list_attr_celeba.txt` (Liu et al. 2015; mmlab.ie.cuhk.edu.hk/projects/CelebA):
 * line 1 the image count, line 2 the attribute names (40), then `file v1 … v40` with vᵢ ∈ {−1, 1},
 * separated by runs of spaces. The count must match the records parsed (plus those skipped).
 */
export function parseCelebaAttributes(input: string | Uint8Array, options: ParseOptions = {}): CelebaAttributes {
  const where = 'parseCelebaAttributes';
  const errors = new LineErrors(where, { file: 'list_attr_celeba.txt', ...options });
  const lines = splitLines(asText(where, input));
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length < 2) errors.fatal(`needs a count line and a header line; got ${lines.length} line(s)`);
  const countText = lines[0].trim();
  if (!/^\d+$/.test(countText)) errors.fatal(`line 1 must be the image count; got '${countText.slice(0, 40)}'`);
  const count = Number(countText);
  const names = lines[1]
    .trim()
    .split(/\s+/)
    .filter((s) => s !== '');
  if (names.length === 0) errors.fatal('line 2 must list the attribute names; it is empty');
  const k = names.length;
  const files: string[] = [];
  const values: number[] = [];
  for (let li = 2; li < lines.length; li++) {
    const line = lines[li].trim();
    if (line === '') {
      errors.bad(li + 1, 'empty line');
      continue;
    }
    const parts = line.split(/\s+/);
    if (parts.length !== k + 1) {
      errors.bad(li + 1, `expected a file name and ${k} values; got ${parts.length} fields`);
      continue;
    }
    const row: number[] = [];
    let ok = true;
    for (let j = 1; j <= k; j++) {
      if (parts[j] === '1') row.push(1);
      else if (parts[j] === '-1') row.push(-1);
      else {
        errors.bad(li + 1, `value ${j} ('${names[j - 1]}') must be 1 or -1; got '${parts[j].slice(0, 20)}'`);
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    files.push(parts[0]);
    for (const v of row) values.push(v);
  }
  if (files.length + errors.skipped.length !== count) {
    errors.fatal(`line 1 announces ${count} images but ${files.length + errors.skipped.length} records follow`);
  }
  return { names, files, values: Int8Array.from(values), skipped: errors.skipped };
}

/** The parsed `list_eval_partition.txt`: file → 0 train, 1 validation, 2 test. */
export interface CelebaPartition {
  files: string[];
  partition: Uint8Array;
  skipped: SkippedLine[];
}

/** Parse CelebA's `list_eval_partition.txt` (`000001.jpg 0` per line). */
export function parseCelebaPartition(input: string | Uint8Array, options: ParseOptions = {}): CelebaPartition {
  const where = 'parseCelebaPartition';
  const errors = new LineErrors(where, { file: 'list_eval_partition.txt', ...options });
  const lines = splitLines(asText(where, input));
  const files: string[] = [];
  const part: number[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const parts = line.split(/\s+/);
    if (parts.length !== 2 || !/^[012]$/.test(parts[1])) {
      errors.bad(i + 1, `expected 'file 0|1|2'; got '${line.slice(0, 60)}'`);
      return;
    }
    files.push(parts[0]);
    part.push(Number(parts[1]));
  });
  return { files, partition: Uint8Array.from(part), skipped: errors.skipped };
}
