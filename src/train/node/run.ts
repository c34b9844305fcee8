/**
 * `runTraining`: drive a {@link Trainer} in Node with checkpoints, resume, fixed-noise PNG sample
 * grids, a JSONL metric log, a progress bar, a NaN/Inf guard and Ctrl-C handling.
 *
 * Layout under `outDir`: `checkpoint/` (atomic, see checkpoint.ts), `metrics.jsonl`,
 * `samples/step_000100.png`.
 *
 * With the trainer's `readMetricsEvery` K > 1 (the default on GPU backends) metrics arrive once per
 * window: `metrics.jsonl` still gets one line per step (the window's per-step values, written at
 * the read), and the NaN/Inf check runs at the read. Every checkpoint first reads the pending
 * window, so a checkpoint never holds weights from steps that were not checked: after a
 * {@link NonFiniteLossError} the last checkpoint is good, whichever K.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { saveImageGrid } from '../../viz/file/png_file.js';
import type { ImageGridOptions } from '../../viz/image_grid.js';
import { NonFiniteLossError, type MetricsWindow, type StepResult, type Trainer } from '../trainer.js';
import { checkpointExists, loadCheckpoint, saveCheckpoint, type SaveCheckpointOptions } from './checkpoint.js';
import { JsonlLogger } from './jsonl_log.js';
import { ProgressBar, type ProgressStream } from './progress.js';

export interface RunTrainingOptions extends Pick<SaveCheckpointOptions, 'models' | 'emaModels'> {
  /** Train until the trainer has completed this many steps in total. */
  steps: number;
  outDir: string;
  /** Resume from `outDir/checkpoint` when it exists. Default true. */
  resume?: boolean;
  /** Save a checkpoint every N completed steps (0: only at the end and on Ctrl-C). Default 0. */
  checkpointEvery?: number;
  /** Write a sample grid from the fixed noise every N completed steps (0: off). Default 0. */
  sampleEvery?: number;
  sampleGrid?: ImageGridOptions;
  /** Write `metrics.jsonl`. Default true. */
  log?: boolean;
  /** Progress on process.stderr (true), a given stream, or off (false). Default true. */
  progress?: boolean | ProgressStream;
  /** Save a checkpoint and stop on SIGINT (a second SIGINT exits at once). Default true. */
  handleSigint?: boolean;
  /** After the SIGINT checkpoint, `process.exit(130)`. Default true; false returns `{ status: 'interrupted' }`. */
  exitOnSigint?: boolean;
  /** Also stop (with a checkpoint) when this signal aborts. */
  signal?: AbortSignal;
  /** After every step; with the trainer's `readMetricsEvery` > 1, `result.metrics` is `{}` on steps that read nothing (see `result.metricsRead` / `result.window`). */
  onStep?: (result: StepResult) => void | Promise<void>;
}

export interface RunTrainingResult {
  status: 'completed' | 'interrupted';
  /** Steps completed. */
  step: number;
  checkpointDir: string;
  /** The step a checkpoint was resumed from, or null. */
  resumedFrom: number | null;
}

/** Train with files; see {@link RunTrainingOptions}. */
export async function runTraining(trainer: Trainer, options: RunTrainingOptions): Promise<RunTrainingResult> {
  const { steps, outDir, resume = true, checkpointEvery = 0, sampleEvery = 0, log = true, handleSigint = true, exitOnSigint = true } = options;
  if (!(Number.isInteger(steps) && steps >= 0)) throw new Error(`runTraining: 'steps' must be a non-negative integer; got ${steps}`);
  if (typeof outDir !== 'string' || outDir.length === 0) throw new Error(`runTraining: 'outDir' must be a non-empty path; got ${String(outDir)}`);
  const checkpointDir = path.join(outDir, 'checkpoint');
  const logger = log ? new JsonlLogger(path.join(outDir, 'metrics.jsonl')) : null;
  const saveOpts: SaveCheckpointOptions = { models: options.models, emaModels: options.emaModels };

  let resumedFrom: number | null = null;
  if (resume && (await checkpointExists(checkpointDir))) {
    resumedFrom = await loadCheckpoint(trainer, checkpointDir);
    await logger?.truncateFrom(resumedFrom);
    await logger?.append({ event: 'resume', step: resumedFrom, time: new Date().toISOString() });
  }
  let lastGood: number | null = resumedFrom;
  const stream = options.progress === false ? null : options.progress === true || options.progress == null ? process.stderr : options.progress;
  const bar = stream && steps > trainer.step ? new ProgressBar({ total: steps, stream }) : null;

  /** Log a NaN/Inf (with the last good checkpoint) before it propagates. */
  const guard = async <T>(f: () => T | Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      if (err instanceof NonFiniteLossError) {
        bar?.finish();
        await logger?.append({
          event: 'non-finite',
          step: err.step,
          update: err.update,
          term: err.term,
          value: String(err.value),
          ...(err.window ? { window: [err.window.firstStep, err.window.lastStep] } : {}),
        });
        err.message += lastGood === null ? '. Training stopped; no checkpoint had been written yet.' : `. Training stopped; the last good checkpoint is ${checkpointDir} (step ${lastGood}).`;
      }
      throw err;
    }
  };
  /** One JSONL line per step of a window just read. */
  const logWindow = async (window: MetricsWindow | null) => {
    if (window == null || logger == null) return;
    const time = new Date().toISOString();
    for (const s of window.steps) await logger.append({ step: s.step, epoch: s.epoch, time, ...s.metrics });
  };
  const save = async () => {
    // check (and log) the steps not read yet: never checkpoint weights from an unchecked window
    await logWindow(await guard(() => trainer.flushMetricsAsync()));
    await saveCheckpoint(trainer, checkpointDir, { ...saveOpts, metadata: { steps } });
    lastGood = trainer.step;
  };
  let shownMetrics: Record<string, number> = {};

  let interrupted: 'sigint' | 'abort' | null = null;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = 'sigint';
  };
  if (handleSigint) process.on('SIGINT', onSigint);
  const onAbort = () => {
    interrupted ??= 'abort';
  };
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) interrupted = 'abort';

  try {
    while (trainer.step < steps && !interrupted) {
      const result: StepResult = await guard(() => trainer.runStepAsync());
      const done = trainer.step;
      await logWindow(result.window);
      if (result.metricsRead) shownMetrics = result.metrics;
      bar?.update(done, shownMetrics);
      if (sampleEvery > 0 && done % sampleEvery === 0) {
        const images = trainer.sample();
        try {
          await saveImageGrid(images, path.join(outDir, 'samples', `step_${String(done).padStart(6, '0')}.png`), options.sampleGrid);
        } finally {
          tf.dispose(images);
        }
      }
      if (checkpointEvery > 0 && done % checkpointEvery === 0) await save();
      await options.onStep?.(result);
      // let signal handlers run between steps
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (lastGood !== trainer.step) await save();
    bar?.finish();
    if (interrupted) {
      await logger?.append({ event: 'interrupted', step: trainer.step, time: new Date().toISOString() });
      (stream ?? process.stderr).write(`Interrupted: checkpoint saved to ${checkpointDir} at step ${trainer.step}\n`);
      if ((interrupted as string) === 'sigint' && exitOnSigint) process.exit(130);
      return { status: 'interrupted', step: trainer.step, checkpointDir, resumedFrom };
    }
    return { status: 'completed', step: trainer.step, checkpointDir, resumedFrom };
  } finally {
    if (handleSigint) process.off('SIGINT', onSigint);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
