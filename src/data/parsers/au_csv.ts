import { asText, csvRecord, LineErrors, parseNumber, splitCsvLine, splitLines, type ParseOptions, type SkippedLine } from './common.js';

export interface AuTable {
  /** Row keys (file name or frame, see {@link AuCsvOptions.keyColumn}). */
  keys: string[];
  /** AU names as `AU<n>` (`AU01_r` → `AU1`), in column order. */
  auNames: string[];
  /** [keys.length, auNames.length] row-major intensities divided by `maxIntensity` (so in [0, 1]); NaN where missing. */
  values: Float32Array;
  skipped: SkippedLine[];
}

export interface AuCsvOptions extends ParseOptions {
  /** Largest intensity in the file; values are divided by it. Default 5 (FACS A–E as 1..5, OpenFace `_r`). */
  maxIntensity?: number;
  /** Column holding the row key. Default: the first of file, filename, image, name, path, frame (any case), else column 0 when it is not an AU. */
  keyColumn?: string;
  /** A value meaning "not annotated" (EmotioNet uses 999): stored as NaN instead of failing the range check. */
  missingValue?: number;
  /** Field separator. Default ','. */
  separator?: string;
}

const AU_COLUMN = /^AU0*(\d+)(_r)?$/i;

/**
 * Parse an action-unit intensity table: OpenFace 2 `FeatureExtraction` CSVs (`frame, face_id,
 * timestamp, confidence, success, AU01_r, …, AU45_r, AU01_c, …`; the `_c` presence columns are
 * ignored) or EmotioNet/GANimation-style tables (`file, AU1, AU2, …`). Intensities 0..maxIntensity
 * are scaled to [0, 1] (GANimation divides OpenFace intensities by 5: data/dataset_aus.py).
 */
export function parseAuCsv(input: string | Uint8Array, options: AuCsvOptions = {}): AuTable {
  const where = 'parseAuCsv';
  const errors = new LineErrors(where, options);
  const { maxIntensity = 5, separator = ',' } = options;
  if (!(maxIntensity > 0)) throw new Error(`${where}: 'maxIntensity' must be > 0; got ${maxIntensity}`);
  const lines = splitLines(asText(where, input));
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) errors.fatal('empty file; expected a header line');
  const header = (splitCsvLine(lines[0], separator) ?? []).map((s) => s.trim());
  const auCols: number[] = [];
  const auNames: string[] = [];
  header.forEach((h, i) => {
    const m = AU_COLUMN.exec(h);
    if (m) {
      auCols.push(i);
      auNames.push(`AU${Number(m[1])}`);
    }
  });
  if (auCols.length === 0) errors.fatal(`header has no AU columns (AU01_r or AU1 …); got '${lines[0].slice(0, 80)}'`);
  if (new Set(auNames).size !== auNames.length) errors.fatal(`header repeats an AU: ${auNames.join(', ')}`);
  let keyCol = -1;
  if (options.keyColumn !== undefined) {
    keyCol = header.findIndex((h) => h.toLowerCase() === options.keyColumn!.toLowerCase());
    if (keyCol < 0) errors.fatal(`no key column '${options.keyColumn}' in header '${lines[0].slice(0, 80)}'`);
  } else {
    for (const name of ['file', 'filename', 'image', 'name', 'path', 'frame']) {
      keyCol = header.findIndex((h) => h.toLowerCase() === name);
      if (keyCol >= 0) break;
    }
    if (keyCol < 0 && !auCols.includes(0)) keyCol = 0;
  }
  const keys: string[] = [];
  const values: number[] = [];
  for (let li = 1; li < lines.length; li++) {
    const f = csvRecord(lines[li], li + 1, header.length, errors, separator);
    if (f === null) continue;
    const row: number[] = [];
    let ok = true;
    for (let j = 0; j < auCols.length; j++) {
      const v = parseNumber(f[auCols[j]]);
      if (options.missingValue !== undefined && v === options.missingValue) {
        row.push(NaN);
        continue;
      }
      if (!(v >= 0 && v <= maxIntensity)) {
        errors.bad(li + 1, `${header[auCols[j]]} must be a number in [0, ${maxIntensity}]; got '${f[auCols[j]].trim().slice(0, 20)}'`);
        ok = false;
        break;
      }
      row.push(v / maxIntensity);
    }
    if (!ok) continue;
    keys.push(keyCol >= 0 ? f[keyCol].trim() : String(li - 1));
    for (const v of row) values.push(v);
  }
  return { keys, auNames, values: Float32Array.from(values), skipped: errors.skipped };
}
