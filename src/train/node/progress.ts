/**
 * Progress reporting: a one-line bar with rate and ETA on a terminal, plain lines otherwise.
 */

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Total steps. */
  total: number;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Force terminal mode on/off. Default: `stream.isTTY`. */
  tty?: boolean;
  /** Plain mode: print a line every this many steps (and at the end). Default max(1, round(total/20)). */
  plainEvery?: number;
  /** Time source in ms (tests). Default Date.now. */
  now?: () => number;
  /** Metrics shown (default: all, up to 4). */
  keys?: string[];
}

/** Seconds as h:mm:ss or m:ss. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly plainEvery: number;
  private readonly now: () => number;
  private startTime: number | null = null;
  private startStep = 0;
  private lastLength = 0;

  constructor(private readonly options: ProgressOptions) {
    if (!(options.total > 0)) throw new Error(`ProgressBar: 'total' must be > 0; got ${options.total}`);
    this.stream = options.stream ?? process.stderr;
    this.tty = options.tty ?? Boolean(this.stream.isTTY);
    this.plainEvery = options.plainEvery ?? Math.max(1, Math.round(options.total / 20));
    this.now = options.now ?? Date.now;
  }

  /** Report that `done` steps are complete (counting from the resumed step on the first call). */
  update(done: number, metrics: Record<string, number> = {}): void {
    const t = this.now();
    if (this.startTime === null) {
      this.startTime = t;
      this.startStep = done;
    }
    const { total } = this.options;
    const elapsed = (t - this.startTime) / 1000;
    const rate = done - this.startStep > 0 && elapsed > 0 ? (done - this.startStep) / elapsed : NaN;
    const eta = (total - done) / rate;
    const keys =
      this.options.keys ??
      Object.keys(metrics)
        .filter((k) => !k.startsWith('lr/'))
        .slice(0, 4);
    const shown = keys
      .filter((k) => metrics[k] !== undefined)
      .map((k) => `${k}=${Number.isFinite(metrics[k]) ? metrics[k].toPrecision(4) : String(metrics[k])}`)
      .join(' ');
    const rateText = !Number.isFinite(rate) ? '' : rate >= 1 ? `${rate.toFixed(2)} it/s` : `${(1 / rate).toFixed(2)} s/it`;
    if (this.tty) {
      const width = 24;
      const filled = Math.round((width * done) / total);
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rateText} eta ${formatDuration(eta)} ${shown}`;
      const cols = this.stream.columns ?? 120;
      const clipped = line.length > cols - 1 ? line.slice(0, cols - 1) : line;
      this.stream.write(`\r${clipped}${' '.repeat(Math.max(0, this.lastLength - clipped.length))}`);
      this.lastLength = clipped.length;
      if (done >= total) this.stream.write('\n');
    } else if (done % this.plainEvery === 0 || done >= total) {
      this.stream.write(`step ${done}/${total} ${rateText} eta ${formatDuration(eta)} ${shown}`.trimEnd() + '\n');
    }
  }

  /** End the bar's line (terminal mode) before other output. */
  finish(): void {
    if (this.tty && this.lastLength > 0) this.stream.write('\n');
    this.lastLength = 0;
  }
}
