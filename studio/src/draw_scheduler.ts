/**
 * Coalesced redraws: a slider fires many input events per second, but a generator forward pass
 * takes tens of milliseconds. `request()` never queues work: it marks the view dirty and, when no
 * draw is running, starts one on the next animation frame; requests that arrive during a draw
 * collapse into a single follow-up draw of the latest state. So at most one draw is in flight and
 * at most one waits, however fast the slider moves.
 */
export class DrawScheduler {
  private dirty = false;
  private running = false;
  private frame = false;
  private waiters: (() => void)[] = [];
  /** Draws that ran (fewer than requests when requests coalesced). */
  draws = 0;
  requests = 0;
  /** Milliseconds of each draw, newest last (at most 1,000 kept). */
  readonly durations: number[] = [];
  /** The error of the last failed draw, if any (the page shows it). */
  onError: (err: Error) => void = () => {};

  constructor(private readonly draw: () => Promise<void>) {}

  /** Ask for a redraw of the current state; resolves once the view shows a state at least that new. */
  request(): Promise<void> {
    this.requests++;
    this.dirty = true;
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    this.schedule();
    return done;
  }

  /** Resolves when no draw is running or pending. */
  idle(): Promise<void> {
    if (!this.running && !this.dirty && !this.frame) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private schedule(): void {
    if (this.running || this.frame) return;
    this.frame = true;
    requestAnimationFrame(() => {
      this.frame = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.running || !this.dirty) return;
    this.running = true;
    this.dirty = false;
    const waiting = this.waiters;
    this.waiters = [];
    const start = performance.now();
    try {
      await this.draw();
      this.draws++;
      this.durations.push(performance.now() - start);
      if (this.durations.length > 1000) this.durations.shift();
    } catch (err) {
      this.onError(err as Error);
    } finally {
      this.running = false;
      for (const resolve of waiting) resolve();
      if (this.dirty) this.schedule();
      else if (this.waiters.length > 0) {
        const rest = this.waiters;
        this.waiters = [];
        for (const resolve of rest) resolve();
      }
    }
  }
}
