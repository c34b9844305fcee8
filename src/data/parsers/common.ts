/** Shared pieces of the dataset parsers: options, malformed-line handling, CSV splitting. */

export interface ParseOptions {
  /** File name used in error messages. Default '<input>'. */
  file?: string;
  /**
   * Skip malformed lines (counting them in `skipped`) instead of throwing. Default false: the first
   * malformed line throws an Error naming the parser, the file and the line.
   */
  skipMalformed?: boolean;
}

export interface SkippedLine {
  /** 1-based line number. */
  line: number;
  reason: string;
}

/** Collects malformed lines or throws on the first one, per {@link ParseOptions.skipMalformed}. */
export class LineErrors {
  readonly skipped: SkippedLine[] = [];
  constructor(
    private readonly where: string,
    private readonly options: ParseOptions,
  ) {}

  get file(): string {
    return this.options.file ?? '<input>';
  }

  /** A malformed line: throws, or records it when skipping is on. */
  bad(line: number, reason: string): void {
    if (!this.options.skipMalformed) throw new Error(`${this.where}: ${this.file} line ${line}: ${reason}`);
    this.skipped.push({ line, reason });
  }

  /** An error about the whole input (never skippable). */
  fatal(reason: string): never {
    throw new Error(`${this.where}: ${this.file}: ${reason}`);
  }
}

/** Text from a string or UTF-8 bytes (a leading BOM is dropped). */
export function asText(where: string, input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array) text = new TextDecoder('utf-8').decode(input);
  else throw new Error(`${where}: input must be a string or a Uint8Array; got ${input === null ? 'null' : typeof input}`);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Split text into lines (\n, \r\n or \r). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

/**
 * Split one CSV line (RFC 4180: commas, double-quoted fields with "" escapes). Returns null for an
 * unterminated quote.
 */
export function splitCsvLine(line: string, sep = ','): string[] | null {
  if (typeof sep !== 'string' || sep.length !== 1 || sep === '"') throw new Error(`splitCsvLine: 'sep' must be one character other than '"'; got ${JSON.stringify(sep)}`);
  if (line.indexOf('"') < 0) return line.split(sep);
  const out: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < line.length) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
    } else if (ch === '"') {
      quoted = true;
      i++;
    } else if (ch === sep) {
      out.push(field);
      field = '';
      i++;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) return null;
  out.push(field);
  return out;
}

/**
 * One data line of a CSV with a header of `fieldCount` columns: its fields, or null after reporting
 * why it is skipped (empty line, unterminated quote, wrong field count) to `errors` at its 1-based
 * `lineNumber`.
 */
export function csvRecord(line: string, lineNumber: number, fieldCount: number, errors: LineErrors, sep = ','): string[] | null {
  if (line.trim() === '') {
    errors.bad(lineNumber, 'empty line');
    return null;
  }
  const f = splitCsvLine(line, sep);
  if (f === null) {
    errors.bad(lineNumber, 'unterminated quoted field');
    return null;
  }
  if (f.length !== fieldCount) {
    errors.bad(lineNumber, `expected ${fieldCount} fields; got ${f.length}`);
    return null;
  }
  return f;
}

/** A strict decimal number (rejects '', '1e', '0x10', 'NaN', ' '). */
export function parseNumber(s: string): number {
  const t = s.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return NaN;
  return Number(t);
}
