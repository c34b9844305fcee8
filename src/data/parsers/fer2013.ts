import { asText, csvRecord, LineErrors, splitCsvLine, splitLines, type ParseOptions, type SkippedLine } from './common.js';

/** FER2013's image side and pixel count. */
export const FER2013_SIZE = 48;
const PIXELS = FER2013_SIZE * FER2013_SIZE;

export interface Fer2013Data {
  /** Number of images. */
  n: number;
  /** [n, 48, 48] grey levels 0..255, row-major. */
  pixels: Uint8Array;
  /** FER2013 labels 0 angry, 1 disgust, 2 fear, 3 happy, 4 sad, 5 surprise, 6 neutral; −1 where the file has no emotion column. */
  emotions: Int32Array;
  /** The `Usage` column (Training, PublicTest, PrivateTest); '' where absent. */
  usage: string[];
  skipped: SkippedLine[];
}

export interface Fer2013Options extends ParseOptions {
  /** Keep only rows with this Usage value (e.g. 'Training'). */
  usage?: string;
}

/**
 * Parse `fer2013.csv` (Goodfellow et al. 2013, Kaggle "Challenges in Representation Learning"):
 * header `emotion,pixels,Usage` (columns found by name, any order; `emotion` and `Usage` optional
 * as in Kaggle's test split), then one row per image with 2304 space-separated grey levels.
 */
export function parseFer2013Csv(input: string | Uint8Array, options: Fer2013Options = {}): Fer2013Data {
  const where = 'parseFer2013Csv';
  const errors = new LineErrors(where, { file: 'fer2013.csv', ...options });
  const lines = splitLines(asText(where, input));
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) errors.fatal('empty file; expected a header line emotion,pixels,Usage');
  const header = (splitCsvLine(lines[0]) ?? []).map((s) => s.trim().toLowerCase());
  const iPix = header.indexOf('pixels');
  const iEmo = header.indexOf('emotion');
  const iUse = header.indexOf('usage');
  if (iPix < 0) errors.fatal(`header must name a 'pixels' column; got '${lines[0].slice(0, 80)}'`);
  const pixels = new Uint8Array((lines.length - 1) * PIXELS);
  const emotions: number[] = [];
  const usage: string[] = [];
  let n = 0;
  for (let li = 1; li < lines.length; li++) {
    const f = csvRecord(lines[li], li + 1, header.length, errors);
    if (f === null) continue;
    let emotion = -1;
    if (iEmo >= 0) {
      const e = f[iEmo].trim();
      if (!/^[0-6]$/.test(e)) {
        errors.bad(li + 1, `emotion must be an integer 0..6; got '${e.slice(0, 20)}'`);
        continue;
      }
      emotion = Number(e);
    }
    const use = iUse >= 0 ? f[iUse].trim() : '';
    const px = f[iPix].trim().split(/\s+/);
    if (px.length !== PIXELS) {
      errors.bad(li + 1, `expected ${PIXELS} pixels (48×48); got ${px[0] === '' ? 0 : px.length}`);
      continue;
    }
    let ok = true;
    const base = n * PIXELS;
    for (let j = 0; j < PIXELS; j++) {
      const s = px[j];
      const v = s.length <= 3 && /^\d+$/.test(s) ? Number(s) : NaN;
      if (!(v <= 255)) {
        errors.bad(li + 1, `pixel ${j} must be an integer 0..255; got '${s.slice(0, 20)}'`);
        ok = false;
        break;
      }
      pixels[base + j] = v;
    }
    if (!ok) continue;
    if (options.usage !== undefined && use !== options.usage) continue;
    emotions.push(emotion);
    usage.push(use);
    n++;
  }
  return { n, pixels: pixels.slice(0, n * PIXELS), emotions: Int32Array.from(emotions), usage, skipped: errors.skipped };
}
