/**
 * A backend-agnostic training loop for any tfjs models or functions.
 *
 * A {@link Trainer} runs a list of **updates** per step. Each update minimises one loss over an
 * explicit variable list with its own optimizer (never by toggling `trainable`), optionally only on
 * every k-th step (`every`) and several times per step (`repeats`). A GAN is two or three updates
 * (see `ganUpdates`): D (n_critic repeats, gradient penalty inside its loss or as a separate
 * update), then G; VAEs, encoders and flows are one update. All randomness comes from the trainer's
 * seeded {@link Random}, whose state is part of the checkpoint, so a resumed run reproduces the
 * losses of an uninterrupted one exactly.
 *
 * Each update checks its loss terms and gradients for NaN/Inf before applying them and throws a
 * {@link NonFiniteLossError} naming the update, the term and the step (weights untouched).
 *
 * Host reads: reading a value (`dataSync`) on a GPU backend (webgpu, webgl, tfjs-node-gpu) waits
 * for every queued kernel, so a read per step serialises host and device. With `readMetricsEvery`
 * K > 1 (the default on GPU backends) the metrics and the finiteness check stay on the device as
 * tensors and are read once every K steps (one stacked read); the steps in between read nothing.
 * The check then runs at read time, after the window's updates were applied: its
 * {@link NonFiniteLossError} names the first bad step and the window, and recovery is the last
 * checkpoint (a checkpoint always reads the pending metrics first, so it never saves weights from
 * an unchecked window). See docs/training.md, "Host reads and GPU backends".
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LossTerms } from '../losses/terms.js';
import { resolveReadEvery } from '../util/deferred_reads.js';
import { Random, type RandomState } from '../util/random.js';
import { Adam, type OptimizerSlots } from './adam.js';
import type { ExponentialMovingAverage } from './ema.js';
import type { Schedule } from './schedules.js';
import { addAll } from '../util/add_all.js';
import { canReadSynchronously } from '../util/host_memory_backend.js';

/**
 * What a data function returns: a tensor, an array of tensors, or a record whose tensor values
 * are the data (other values, e.g. a `DataBatch`'s `indices`, are carried along). The trainer
 * disposes the tensors after the step.
 */
export type Batch = tf.Tensor | tf.Tensor[] | object;

export interface BatchRequest {
  step: number;
  epoch: number;
  /** Index of the repeat (for updates with `freshBatch`). */
  repeat: number;
  rng: Random;
}

/** Passed to every loss and hook. */
export interface TrainContext {
  readonly step: number;
  readonly epoch: number;
  /** Repeat index within the current update. */
  readonly repeat: number;
  /** Name of the update running (empty in step hooks). */
  readonly update: string;
  readonly batch: Batch | undefined;
  readonly rng: Random;
  /** Seeded N(mean, std²) tensor from the trainer's RNG. */
  normal(shape: number[], mean?: number, std?: number): tf.Tensor;
  /** Seeded U[low, high) tensor from the trainer's RNG. */
  uniform(shape: number[], low?: number, high?: number): tf.Tensor;
  /** Keep a tensor alive until the end of the step under `key` (e.g. fakes shared by the D and GP updates). */
  stash(key: string, tensor: tf.Tensor): tf.Tensor;
  /** A tensor stashed earlier in this step, or undefined. */
  stashed(key: string): tf.Tensor | undefined;
}

export type LossFn = (ctx: TrainContext) => tf.Scalar | LossTerms;

export interface UpdateSpec {
  /** Name used in metrics and error messages ('D', 'G', 'D_gp', 'vae', …). */
  name: string;
  /** Variables this update trains, explicitly. */
  variables: tf.Variable[];
  optimizer: tf.Optimizer;
  loss: LossFn;
  /** Run on steps where (step + 1) % every === 0 (GANimation: G every 5th iteration). Default 1. */
  every?: number;
  /** Times per step (n_critic for D; HoloGAN runs G twice). Default 1. */
  repeats?: number;
  /** Learning-rate factor schedule applied to the optimizer's base `learningRate`. */
  schedule?: Schedule;
  /** Draw a new batch for every repeat after the first (WGAN-GP's critic loop). Default false. */
  freshBatch?: boolean;
  /** Called after each application (e.g. WGAN weight clipping, spectral-norm bookkeeping). */
  afterUpdate?: (ctx: TrainContext) => void;
  /**
   * Give variables the loss does not depend on a zero gradient instead of skipping them, so
   * stateful optimizers still apply their momentum — PyTorch before 2.0, whose `zero_grad()` left
   * zero-filled gradients (e.g. the critic's output bias in GANimation's separate GP step).
   * Default false (tfjs and PyTorch ≥ 2.0 `set_to_none`: untouched).
   */
  zeroMissingGradients?: boolean;
}

export interface TrainerConfig {
  updates: UpdateSpec[];
  /**
   * Produces the step's batch, ideally from `request.rng` or as a pure function of the step (so
   * resumes see the same data). May return a Promise when steps are run with `runStepAsync`.
   */
  data?: (request: BatchRequest) => Batch | Promise<Batch>;
  /** Seed of the trainer's RNG. Default 0. */
  seed?: number;
  /** Steps per epoch (for epoch-based schedules). Default Infinity (epoch 0 throughout). */
  stepsPerEpoch?: number;
  /** Moving average, updated after every step in which an update touching its variables ran; used by {@link Trainer.sample}. */
  ema?: ExponentialMovingAverage;
  /** Draws samples from fixed noise (e.g. `(z) => G(z)`); run with EMA weights when `ema` is set. */
  sample?: (noise: tf.Tensor) => tf.Tensor;
  /** Shape of the fixed sample noise, drawn once from N(0, 1) with `seed + 1` (or pass `sampleNoise`). */
  sampleNoiseShape?: number[];
  sampleNoise?: tf.Tensor;
  /** More variables to checkpoint (BatchNorm statistics, spectral-norm vectors, frozen parts that change). */
  extraVariables?: tf.Variable[];
  /** Custom hooks around each step (the generic "custom step" extension point). */
  beforeStep?: (ctx: TrainContext) => void;
  /**
   * Called after every step with the same `metrics` as its {@link StepResult}: `{}` on steps that
   * read nothing (`readMetricsEvery` > 1), the window's means on read steps; `info` says which.
   */
  afterStep?: (ctx: TrainContext, metrics: Record<string, number>, info: { metricsRead: boolean; window: MetricsWindow | null }) => void;
  /** Check losses and gradients for NaN/Inf. Default true. */
  checkFinite?: boolean;
  /**
   * Read the metrics (losses, loss terms, the NaN/Inf check) from the device every K steps instead
   * of every step; a positive integer or 'auto' (default): 1 on host-memory backends (`cpu`,
   * `wasm`, `tensorflow`: reads are free there, nothing changes), 25 on GPU backends (`webgpu`,
   * `webgl`, any other), where each read stalls the pipeline. Resolved when the trainer is built.
   *
   * With K > 1 the per-update scalars are kept as tensors; the steps in between make zero host
   * reads, and every K-th step (counted from the last read), the last step of {@link Trainer.run},
   * {@link Trainer.flushMetrics} and {@link Trainer.getState} read them all with one stacked read.
   * The NaN/Inf check then happens at the read, after the window's updates were applied (the
   * weights may be non-finite: restore the last checkpoint; `runTraining` does this for you).
   */
  readMetricsEvery?: number | 'auto';
}

/** The metrics of a run of steps, read from the device with one host read. */
export interface MetricsWindow {
  /** First and last step of the window (inclusive). */
  firstStep: number;
  lastStep: number;
  /** Each metric's mean over the window's steps that report it. */
  metrics: Record<string, number>;
  /** Every step's own metrics, exactly what `readMetricsEvery: 1` would have returned for it. */
  steps: { step: number; epoch: number; metrics: Record<string, number> }[];
}

export interface StepResult {
  /** The step that ran (0-based). */
  step: number;
  epoch: number;
  /**
   * `<update>` (total loss, mean over repeats), `<update>/<term>`, `lr/<update>`. On read steps
   * (every step with `readMetricsEvery: 1`) the means over the window just read (with K = 1: this
   * step's values); on steps that read nothing, `{}` (see `metricsRead`).
   */
  metrics: Record<string, number>;
  /** Whether this step read the metrics from the device (always true with `readMetricsEvery: 1`). */
  metricsRead: boolean;
  /** The window read at this step (with per-step values), or null on steps that read nothing. */
  window: MetricsWindow | null;
}

/**
 * Thrown when a loss term or a gradient is NaN or ±Inf. With `readMetricsEvery: 1` nothing from that
 * update was applied. With K > 1 the check runs when the window is read: `step` is the first bad
 * step, `window` the steps read, and the window's updates (the bad one included) were applied.
 */
export class NonFiniteLossError extends Error {
  constructor(
    readonly update: string,
    readonly term: string,
    readonly step: number,
    readonly value: number,
    /** The metrics window (first and last step) whose read found the value; null when checked at once. */
    readonly window: { firstStep: number; lastStep: number } | null = null,
  ) {
    super(
      window == null
        ? `Trainer: non-finite ${term} (${value}) in update '${update}' at step ${step}; the update was not applied`
        : `Trainer: non-finite ${term} (${value}) in update '${update}' at step ${step} (read with the metrics of steps ${window.firstStep}..${window.lastStep}); the updates of those steps were applied, so the weights may be non-finite: restore the last checkpoint`,
    );
    this.name = 'NonFiniteLossError';
  }
}

/** One application of one update whose scalars wait on the device (readMetricsEvery > 1). */
interface PendingApplication {
  /** '' (the total loss), term names, then GRADIENT_SUM when checking. */
  names: string[];
  tensors: tf.Tensor[];
}

interface PendingStep {
  step: number;
  epoch: number;
  updates: { name: string; lr: number | null; repeats: PendingApplication[] }[];
}

const GRADIENT_SUM = '\u0000gradient sum';

/** A plain-data snapshot of everything needed to resume (no tensors; see `gankit/node` for files). */
export interface TrainerState {
  format: 'gankit-trainer-state';
  version: 1;
  step: number;
  rng: RandomState;
  /** Every trained / extra variable, in the trainer's canonical order. */
  variables: { name: string; shape: number[]; data: Float32Array }[];
  ema: { shape: number[]; data: Float32Array }[] | null;
  sampleNoise: { shape: number[]; data: Float32Array } | null;
  /** One entry per distinct optimizer, in first-use order. */
  optimizers: {
    updates: string[];
    learningRate: number | null;
    /** gankit {@link Adam}: exact slots; any other tf.Optimizer: its `getWeights()` (positional). */
    state: OptimizerSlots | { weights: { name: string; shape: number[]; data: Float32Array }[] };
  }[];
}

function isLossTerms(x: unknown): x is LossTerms {
  return x != null && typeof x === 'object' && !(x instanceof tf.Tensor) && (x as LossTerms).total instanceof tf.Tensor;
}

function batchTensors(batch: Batch | undefined): tf.Tensor[] {
  if (batch == null) return [];
  if (batch instanceof tf.Tensor) return [batch];
  if (Array.isArray(batch)) return batch;
  return Object.values(batch as Record<string, unknown>).filter((t): t is tf.Tensor => t instanceof tf.Tensor);
}

/** The id the next tensor will get (tensor ids increase monotonically). */
function nextTensorId(): number {
  const marker = tf.scalar(0);
  const id = marker.id;
  marker.dispose();
  return id + 1;
}

/**
 * Make the trainer the owner of a batch: tensors created by the data function (id ≥ startId)
 * are taken over; tensors that existed before (e.g. a whole in-memory dataset returned as is)
 * are cloned (no data copy), so disposing the batch never frees the caller's tensors.
 */
function ownBatch(batch: Batch, startId: number): Batch {
  const own = (t: tf.Tensor): tf.Tensor => tf.keep(t.id >= startId ? t : tf.clone(t));
  if (batch instanceof tf.Tensor) return own(batch);
  if (Array.isArray(batch)) return batch.map((t) => (t instanceof tf.Tensor ? own(t) : t));
  const out: Record<string, unknown> = { ...(batch as Record<string, unknown>) };
  for (const [k, v] of Object.entries(out)) if (v instanceof tf.Tensor) out[k] = own(v);
  return out;
}

export class Trainer {
  readonly updates: readonly UpdateSpec[];
  readonly rng: Random;
  readonly ema: ExponentialMovingAverage | undefined;
  /** Every variable the trainer checkpoints, in a fixed order (update variables first, then extras). */
  readonly variables: readonly tf.Variable[];
  private readonly config: TrainerConfig;
  private readonly optimizers: { optimizer: tf.Optimizer; updates: string[]; baseLearningRate: number | null }[] = [];
  private stepCount = 0;
  private sampleNoise: tf.Tensor | null = null;
  private stash = new Map<string, tf.Tensor>();
  /** Resolved `readMetricsEvery`. */
  private readonly readEvery: number;
  /** Steps whose metrics still wait on the device (only with readMetricsEvery > 1). */
  private pending: PendingStep[] = [];
  private lastWindow: MetricsWindow | null = null;

  constructor(config: TrainerConfig) {
    if (!Array.isArray(config.updates) || config.updates.length === 0) {
      throw new Error(`Trainer: 'updates' must be a non-empty array; got ${Array.isArray(config.updates) ? 'an empty array' : typeof config.updates}`);
    }
    const names = new Set<string>();
    for (const u of config.updates) {
      if (typeof u.name !== 'string' || u.name.length === 0) throw new Error(`Trainer: every update needs a non-empty 'name'`);
      if (names.has(u.name)) throw new Error(`Trainer: update names must be unique; '${u.name}' appears twice`);
      names.add(u.name);
      if (!Array.isArray(u.variables) || u.variables.length === 0 || !u.variables.every((v) => v instanceof tf.Variable)) {
        throw new Error(`Trainer: update '${u.name}': 'variables' must be a non-empty array of tf.Variable`);
      }
      if (u.optimizer == null || !(u.optimizer instanceof tf.Optimizer)) throw new Error(`Trainer: update '${u.name}': 'optimizer' must be a tf.Optimizer`);
      if (typeof u.loss !== 'function') throw new Error(`Trainer: update '${u.name}': 'loss' must be a function ctx → Scalar | LossTerms`);
      for (const key of ['every', 'repeats'] as const) {
        const v = u[key];
        if (v != null && !(Number.isInteger(v) && v > 0)) throw new Error(`Trainer: update '${u.name}': '${key}' must be a positive integer; got ${v}`);
      }
      const existing = this.optimizers.find((o) => o.optimizer === u.optimizer);
      if (existing) existing.updates.push(u.name);
      else {
        const lr = (u.optimizer as unknown as { learningRate?: unknown }).learningRate;
        this.optimizers.push({ optimizer: u.optimizer, updates: [u.name], baseLearningRate: typeof lr === 'number' ? lr : null });
      }
    }
    const spe = config.stepsPerEpoch ?? Infinity;
    if (!(spe > 0)) throw new Error(`Trainer: 'stepsPerEpoch' must be > 0; got ${spe}`);
    this.readEvery = resolveReadEvery('Trainer', 'readMetricsEvery', config.readMetricsEvery);
    this.config = config;
    this.updates = config.updates;
    this.rng = new Random(config.seed ?? 0);
    this.ema = config.ema;
    const seen = new Set<tf.Variable>();
    const vars: tf.Variable[] = [];
    for (const v of [...config.updates.flatMap((u) => u.variables), ...(config.extraVariables ?? [])]) {
      if (!seen.has(v)) {
        seen.add(v);
        vars.push(v);
      }
    }
    this.variables = vars;
    if (config.sampleNoise != null) this.sampleNoise = tf.keep(tf.clone(config.sampleNoise));
    else if (config.sampleNoiseShape != null) {
      const n = config.sampleNoiseShape.reduce((a, b) => a * b, 1);
      this.sampleNoise = tf.tensor(new Random((config.seed ?? 0) + 1).normalArray(n), config.sampleNoiseShape);
    }
  }

  /** The resolved `readMetricsEvery`: the metrics are read from the device once every this many steps. */
  get metricsInterval(): number {
    return this.readEvery;
  }

  /** Steps run since the last metrics read (0 with `readMetricsEvery: 1`). */
  get pendingMetricSteps(): number {
    return this.pending.length;
  }

  /** The last metrics window read (by a step, {@link flushMetrics} or {@link getState}), or null. */
  get lastMetrics(): MetricsWindow | null {
    return this.lastWindow;
  }

  /** Steps completed so far (the index of the next step). */
  get step(): number {
    return this.stepCount;
  }

  get epoch(): number {
    return this.epochOf(this.stepCount);
  }

  private epochOf(step: number): number {
    const spe = this.config.stepsPerEpoch ?? Infinity;
    return Number.isFinite(spe) ? Math.floor(step / spe) : 0;
  }

  private makeContext(step: number, epoch: number, update: string, repeat: number, batch: Batch | undefined): TrainContext {
    const rng = this.rng;
    const stash = this.stash;
    return {
      step,
      epoch,
      repeat,
      update,
      batch,
      rng,
      normal: (shape, mean = 0, std = 1) =>
        tf.tensor(
          rng.normalArray(
            shape.reduce((a, b) => a * b, 1),
            mean,
            std,
          ),
          shape,
        ),
      uniform: (shape, low = 0, high = 1) =>
        tf.tensor(
          rng.uniformArray(
            shape.reduce((a, b) => a * b, 1),
            low,
            high,
          ),
          shape,
        ),
      stash: (key, tensor) => {
        const old = stash.get(key);
        if (old != null && old !== tensor) old.dispose();
        stash.set(key, tf.keep(tensor));
        return tensor;
      },
      stashed: (key) => stash.get(key),
    };
  }

  private drawBatch(step: number, epoch: number, repeat: number): Batch | undefined {
    const data = this.config.data;
    if (data == null) return undefined;
    const startId = nextTensorId();
    // intermediates of the data function are freed; the batch itself is disposed after the step
    const batch = tf.tidy(() => {
      const out = data({ step, epoch, repeat, rng: this.rng });
      if (out instanceof Promise) {
        void out.then(
          (b) => tf.dispose(batchTensors(b).filter((t) => t.id >= startId)),
          () => {},
        );
        throw new Error(`Trainer: 'data' returned a Promise at step ${step}${repeat > 0 ? ` (repeat ${repeat}; freshBatch needs synchronous data)` : ''}; use runStepAsync() (runTraining does)`);
      }
      return out as tf.TensorContainer;
    }) as Batch;
    return ownBatch(batch, startId);
  }

  /**
   * Like {@link runStep}, but awaits an asynchronous `data` function (file decoding, the
   * `batches()` stream of gankit/data) for the step's first batch.
   */
  async runStepAsync(): Promise<StepResult> {
    const data = this.config.data;
    if (data == null) return this.readDueAsync(this.runStep());
    const step = this.stepCount;
    const startId = nextTensorId();
    const batch = await data({ step, epoch: this.epochOf(step), repeat: 0, rng: this.rng });
    return this.readDueAsync(this.runStep(ownBatch(batch, startId)));
  }

  /** Where reads must be asynchronous, read a due window after the step. */
  private async readDueAsync(result: StepResult): Promise<StepResult> {
    if (result.metricsRead || this.readEvery <= 1 || this.pending.length < this.readEvery) return result;
    const window = await this.flushMetricsAsync();
    return window == null ? result : { ...result, metrics: window.metrics, metricsRead: true, window };
  }

  /**
   * Run one step (all updates due at this step) and return its metrics. `preloaded` is the step's
   * first batch when the caller drew it (see {@link runStepAsync}); the trainer disposes it.
   */
  runStep(preloaded?: Batch): StepResult {
    return this.runOneStep(preloaded, false);
  }

  /**
   * Read the metrics of the steps not read yet (one host read), check them for NaN/Inf and return
   * them; null when none are pending. Throws a {@link NonFiniteLossError} naming the first bad step
   * and the window (the pending values are freed either way).
   */
  flushMetrics(): MetricsWindow | null {
    const taken = this.takePending();
    if (taken == null) return null;
    let data: Float32Array | Int32Array | Uint8Array;
    try {
      data = taken.tensors.length === 0 ? new Float32Array(0) : tf.tidy(() => tf.stack(taken.tensors).dataSync());
    } finally {
      tf.dispose(taken.tensors);
    }
    return this.windowFrom(taken.pending, data);
  }

  /**
   * {@link flushMetrics} with an asynchronous read (`await data()`): the one to use where a
   * synchronous read is impossible (webgpu in Node) or would stall the page (browsers).
   */
  async flushMetricsAsync(): Promise<MetricsWindow | null> {
    const taken = this.takePending();
    if (taken == null) return null;
    let data: Float32Array | Int32Array | Uint8Array;
    const stacked = taken.tensors.length === 0 ? null : tf.tidy(() => tf.stack(taken.tensors));
    try {
      data = stacked == null ? new Float32Array(0) : await stacked.data();
    } finally {
      tf.dispose([...taken.tensors, ...(stacked ? [stacked] : [])]);
    }
    return this.windowFrom(taken.pending, data);
  }

  private takePending(): { pending: PendingStep[]; tensors: tf.Tensor[] } | null {
    if (this.pending.length === 0) return null;
    const pending = this.pending;
    this.pending = [];
    const apps = pending.flatMap((p) => p.updates.flatMap((u) => u.repeats));
    return { pending, tensors: apps.flatMap((a) => a.tensors) };
  }

  private windowFrom(pending: PendingStep[], data: Float32Array | Int32Array | Uint8Array): MetricsWindow {
    const checkFinite = this.config.checkFinite ?? true;
    const firstStep = pending[0].step;
    const lastStep = pending[pending.length - 1].step;
    let offset = 0;
    const steps: MetricsWindow['steps'] = [];
    for (const p of pending) {
      const metrics: Record<string, number> = {};
      for (const u of p.updates) {
        if (u.lr != null) metrics[`lr/${u.name}`] = u.lr;
        const sums: Record<string, number> = {};
        for (const app of u.repeats) {
          const values = app.names.map((_, i) => data[offset + i]);
          offset += app.names.length;
          app.names.forEach((k, i) => {
            const v = values[i];
            if (checkFinite && !Number.isFinite(v)) {
              const term = k === '' ? 'loss' : k === GRADIENT_SUM ? 'gradient sum' : `loss term '${k}'`;
              throw new NonFiniteLossError(u.name, term, p.step, v, { firstStep, lastStep });
            }
            if (k !== GRADIENT_SUM) sums[k] = (sums[k] ?? 0) + v;
          });
        }
        for (const [k, v] of Object.entries(sums)) metrics[k === '' ? u.name : `${u.name}/${k}`] = v / u.repeats.length;
      }
      steps.push({ step: p.step, epoch: p.epoch, metrics });
    }
    const totals: Record<string, { sum: number; n: number }> = {};
    for (const s of steps) {
      for (const [k, v] of Object.entries(s.metrics)) {
        const t = (totals[k] ??= { sum: 0, n: 0 });
        t.sum += v;
        t.n++;
      }
    }
    const metrics = Object.fromEntries(Object.entries(totals).map(([k, t]) => [k, t.sum / t.n]));
    this.lastWindow = { firstStep, lastStep, metrics, steps };
    return this.lastWindow;
  }

  private runOneStep(preloaded: Batch | undefined, forceRead: boolean): StepResult {
    const step = this.stepCount;
    const epoch = this.epochOf(step);
    const checkFinite = this.config.checkFinite ?? true;
    const deferred = this.readEvery > 1;
    const pendingStep: PendingStep = { step, epoch, updates: [] };
    if (deferred) this.pending.push(pendingStep);
    let completed = false;
    let metrics: Record<string, number> = {};
    let batch = preloaded ?? this.drawBatch(step, epoch, 0);
    let emaDue = false;
    const emaVars = new Set(this.ema?.variables ?? []);
    try {
      this.config.beforeStep?.(this.makeContext(step, epoch, '', 0, batch));
      for (const u of this.updates) {
        const every = u.every ?? 1;
        if ((step + 1) % every !== 0) continue;
        const factor = u.schedule ? u.schedule(step, epoch) : 1;
        const entry = this.optimizers.find((o) => o.optimizer === u.optimizer)!;
        if (u.schedule) {
          if (entry.baseLearningRate == null) throw new Error(`Trainer: update '${u.name}' has a schedule but its optimizer has no numeric 'learningRate'`);
          (u.optimizer as unknown as { learningRate: number }).learningRate = entry.baseLearningRate * factor;
        }
        const lr = entry.baseLearningRate != null ? (u.optimizer as unknown as { learningRate: number }).learningRate : null;
        if (lr != null) metrics[`lr/${u.name}`] = lr;
        const pendingUpdate: PendingStep['updates'][number] = { name: u.name, lr, repeats: [] };
        if (deferred) pendingStep.updates.push(pendingUpdate);
        if (u.variables.some((v) => emaVars.has(v))) emaDue = true;
        const repeats = u.repeats ?? 1;
        const sums: Record<string, number> = {};
        for (let r = 0; r < repeats; r++) {
          if (r > 0 && u.freshBatch) {
            tf.dispose(batchTensors(batch));
            batch = this.drawBatch(step, epoch, r);
          }
          const ctx = this.makeContext(step, epoch, u.name, r, batch);
          if (deferred) pendingUpdate.repeats.push(this.applyUpdateDeferred(u, ctx, checkFinite));
          else {
            const values = this.applyUpdate(u, ctx, step, checkFinite);
            for (const [k, v] of Object.entries(values)) sums[k] = (sums[k] ?? 0) + v;
          }
          u.afterUpdate?.(ctx);
        }
        for (const [k, v] of Object.entries(sums)) metrics[k === '' ? u.name : `${u.name}/${k}`] = v / repeats;
      }
      if (emaDue) this.ema!.update();
      let window: MetricsWindow | null = null;
      if (!deferred) window = this.lastWindow = { firstStep: step, lastStep: step, metrics, steps: [{ step, epoch, metrics }] };
      else {
        // the step's updates are applied: it counts as done even if the read below finds a NaN
        this.stepCount = step + 1;
        completed = true;
        // Where no synchronous read exists (webgpu in Node), runStepAsync reads instead.
        if (forceRead || (this.pending.length >= this.readEvery && canReadSynchronously())) {
          window = this.flushMetrics();
          metrics = window!.metrics;
        } else metrics = {};
      }
      this.config.afterStep?.(this.makeContext(step, epoch, '', 0, batch), metrics, { metricsRead: window != null, window });
      this.stepCount = step + 1;
      return { step, epoch, metrics, metricsRead: window != null, window };
    } catch (err) {
      // a step that failed before its updates completed: its scalars never reach a read
      if (deferred && !completed && this.pending.at(-1) === pendingStep) {
        this.pending.pop();
        tf.dispose(pendingStep.updates.flatMap((u) => u.repeats.flatMap((a) => a.tensors)));
      }
      throw err;
    } finally {
      tf.dispose(batchTensors(batch));
      tf.dispose([...this.stash.values()]);
      this.stash.clear();
    }
  }

  /** The loss (and terms), and its gradients w.r.t. the update's variables. */
  private lossAndGradients(u: UpdateSpec, ctx: TrainContext): { value: tf.Scalar; grads: tf.NamedTensorMap; kept: Record<string, tf.Scalar> } {
    const kept: Record<string, tf.Scalar> = {};
    const { value, grads } = withClearGradientError(u, () =>
      tf.variableGrads(() => {
        const out = u.loss(ctx);
        if (out instanceof tf.Tensor) {
          if (out.size !== 1) throw new Error(`Trainer: update '${u.name}': the loss must be a scalar; got shape [${out.shape.join(', ')}]`);
          return tf.reshape(out, []) as tf.Scalar;
        }
        if (!isLossTerms(out)) throw new Error(`Trainer: update '${u.name}': the loss must return a tf.Scalar or { total, terms }; got ${typeof out}`);
        for (const [k, t] of Object.entries(out.terms ?? {})) kept[k] = tf.keep(t);
        return out.total;
      }, u.variables),
    );
    if (u.zeroMissingGradients) {
      for (const v of u.variables) if (v.trainable && grads[v.name] == null) grads[v.name] = tf.zerosLike(v);
    }
    return { value, grads, kept };
  }

  /**
   * One application with no host read (readMetricsEvery > 1): the gradients are applied at once;
   * the loss, its terms and the gradient sum are kept for the window's read.
   */
  private applyUpdateDeferred(u: UpdateSpec, ctx: TrainContext, checkFinite: boolean): PendingApplication {
    const { value, grads, kept } = this.lossAndGradients(u, ctx);
    const gradList = Object.values(grads);
    const names = ['', ...Object.keys(kept)];
    const tensors: tf.Tensor[] = [value, ...names.slice(1).map((k) => kept[k])];
    try {
      if (checkFinite) {
        names.push(GRADIENT_SUM);
        tensors.push(tf.tidy(() => (gradList.length === 0 ? tf.scalar(0) : addAll(gradList.map((g) => tf.sum(g))))));
      }
      u.optimizer.applyGradients(grads);
    } catch (err) {
      tf.dispose(tensors);
      throw err;
    } finally {
      tf.dispose(gradList);
    }
    return { names, tensors };
  }

  /** One application of one update; returns '' → total and term → value. */
  private applyUpdate(u: UpdateSpec, ctx: TrainContext, step: number, checkFinite: boolean): Record<string, number> {
    const { value, grads, kept } = this.lossAndGradients(u, ctx);
    const gradList = Object.values(grads);
    try {
      // readMetricsEvery 1: one host read per update: the loss, its terms and (when checking) the gradient sum, stacked.
      const termNames = Object.keys(kept);
      const read = tf.tidy(() => {
        const parts: tf.Tensor[] = [value, ...termNames.map((k) => kept[k])];
        if (checkFinite) parts.push(gradList.length === 0 ? tf.scalar(0) : addAll(gradList.map((g) => tf.sum(g))));
        return tf.stack(parts).dataSync();
      });
      const values: Record<string, number> = { '': read[0] };
      termNames.forEach((k, i) => (values[k] = read[i + 1]));
      if (checkFinite) {
        for (const [k, v] of Object.entries(values)) {
          if (!Number.isFinite(v)) throw new NonFiniteLossError(u.name, k === '' ? 'loss' : `loss term '${k}'`, step, v);
        }
        const gsum = read[termNames.length + 1];
        if (!Number.isFinite(gsum)) {
          for (const [index, v] of u.variables.entries()) {
            const g = grads[v.name];
            const sum = g == null ? 0 : tf.tidy(() => tf.sum(g).dataSync()[0]);
            if (!Number.isFinite(sum)) throw new NonFiniteLossError(u.name, `gradient of variable #${index} ('${v.name}')`, step, sum);
          }
          throw new NonFiniteLossError(u.name, 'gradient sum', step, gsum);
        }
      }
      u.optimizer.applyGradients(grads);
      return values;
    } finally {
      tf.dispose([value, ...gradList, ...Object.values(kept)]);
    }
  }

  /**
   * Run `steps` steps synchronously; returns the last result. The last step always reads the
   * pending metrics, so with `readMetricsEvery` > 1 the returned result holds the last window.
   */
  run(steps: number, onStep?: (result: StepResult) => void): StepResult | undefined {
    let last: StepResult | undefined;
    for (let i = 0; i < steps; i++) {
      last = this.runOneStep(undefined, i === steps - 1);
      onStep?.(last);
    }
    return last;
  }

  /** The fixed sample noise (owned by the trainer), if configured. */
  get fixedNoise(): tf.Tensor | null {
    return this.sampleNoise;
  }

  /** Samples from the fixed noise with the EMA weights (when configured). The caller disposes the result. */
  sample(): tf.Tensor {
    const { sample } = this.config;
    if (sample == null || this.sampleNoise == null) throw new Error(`Trainer.sample: configure 'sample' and 'sampleNoiseShape' (or 'sampleNoise')`);
    const noise = this.sampleNoise;
    const draw = () => tf.tidy(() => sample(noise));
    return this.ema ? this.ema.withAverages(draw) : draw();
  }

  /**
   * Snapshot everything needed for an exact resume, as plain arrays. Reads the pending metrics
   * first ({@link flushMetrics}; the window is then in {@link lastMetrics}), so a NaN/Inf from an
   * unchecked window throws here instead of being saved.
   */
  async getState(): Promise<TrainerState> {
    await this.flushMetricsAsync();
    const optimizers: TrainerState['optimizers'] = [];
    for (const { optimizer, updates, baseLearningRate } of this.optimizers) {
      let state: TrainerState['optimizers'][number]['state'];
      if (optimizer instanceof Adam) state = optimizer.exportSlots(this.variables);
      else {
        const weights = await optimizer.getWeights();
        state = { weights: await Promise.all(weights.map(async (w) => ({ name: w.name, shape: [...w.tensor.shape], data: Float32Array.from(await w.tensor.data()) }))) };
      }
      optimizers.push({ updates: [...updates], learningRate: baseLearningRate, state });
    }
    return {
      format: 'gankit-trainer-state',
      version: 1,
      step: this.stepCount,
      rng: this.rng.getState(),
      variables: await Promise.all(this.variables.map(async (v) => ({ name: v.name, shape: [...v.shape], data: Float32Array.from(await v.data()) }))),
      ema: this.ema ? await Promise.all(this.ema.averages.map(async (a) => ({ shape: [...a.shape], data: Float32Array.from(await a.data()) }))) : null,
      sampleNoise: this.sampleNoise ? { shape: [...this.sampleNoise.shape], data: Float32Array.from(await this.sampleNoise.data()) } : null,
      optimizers,
    };
  }

  /**
   * Restore a snapshot from {@link getState} into this trainer (built the same way). Variables are
   * matched by position and checked by shape. gankit's {@link Adam} is restored exactly; other
   * optimizers through their `setWeights` (tfjs's Adam may then differ in the last bit).
   */
  async setState(state: TrainerState): Promise<void> {
    if (state?.format !== 'gankit-trainer-state' || state.version !== 1) {
      throw new Error(`Trainer.setState: not a gankit trainer state (format ${String(state?.format)}, version ${String(state?.version)})`);
    }
    if (state.variables.length !== this.variables.length) {
      throw new Error(`Trainer.setState: the state has ${state.variables.length} variables; this trainer has ${this.variables.length}`);
    }
    state.variables.forEach((s, i) => {
      const v = this.variables[i];
      if (s.shape.length !== v.shape.length || s.shape.some((d, k) => d !== v.shape[k])) {
        throw new Error(`Trainer.setState: variable #${i} ('${v.name}') has shape [${v.shape.join(', ')}]; the state ('${s.name}') has [${s.shape.join(', ')}]`);
      }
    });
    if ((state.ema == null) !== (this.ema == null)) throw new Error(`Trainer.setState: EMA present in ${state.ema ? 'the state but not the trainer' : 'the trainer but not the state'}`);
    if (state.optimizers.length !== this.optimizers.length) {
      throw new Error(`Trainer.setState: the state has ${state.optimizers.length} optimizers; this trainer has ${this.optimizers.length}`);
    }
    tf.tidy(() => {
      state.variables.forEach((s, i) => this.variables[i].assign(tf.tensor(s.data, s.shape)));
      state.ema?.forEach((s, i) => this.ema!.averages[i].assign(tf.tensor(s.data, s.shape)));
    });
    if (state.sampleNoise != null) {
      this.sampleNoise?.dispose();
      this.sampleNoise = tf.tensor(state.sampleNoise.data, state.sampleNoise.shape);
    }
    for (const [i, o] of state.optimizers.entries()) {
      const entry = this.optimizers[i];
      if ('entries' in o.state) {
        if (!(entry.optimizer instanceof Adam)) throw new Error(`Trainer.setState: optimizer #${i} (${o.updates.join(', ')}) was gankit's Adam; now it is not`);
        entry.optimizer.importSlots(this.variables, o.state);
      } else {
        const tensors = o.state.weights.map((w) => ({ name: w.name, tensor: tf.tensor(w.data, w.shape) }));
        await entry.optimizer.setWeights(tensors);
        tf.dispose(tensors.map((t) => t.tensor));
      }
      if (o.learningRate != null) {
        entry.baseLearningRate = o.learningRate;
        (entry.optimizer as unknown as { learningRate: number }).learningRate = o.learningRate;
      }
    }
    this.rng.setState(state.rng);
    this.stepCount = state.step;
    this.discardPendingMetrics();
  }

  /** Free the metrics not read yet (the window is lost). */
  private discardPendingMetrics(): void {
    tf.dispose(this.pending.flatMap((p) => p.updates.flatMap((u) => u.repeats.flatMap((a) => a.tensors))));
    this.pending = [];
  }

  /**
   * Dispose the trainer's own tensors (fixed noise, stash, metrics not read yet: call
   * {@link flushMetrics} first to keep them); models, optimizers and EMA belong to the caller.
   */
  dispose(): void {
    this.discardPendingMetrics();
    this.sampleNoise?.dispose();
    this.sampleNoise = null;
    tf.dispose([...this.stash.values()]);
    this.stash.clear();
  }
}

/**
 * tfjs's "Cannot find a connection between any variable and the result of the loss function"
 * names neither the update nor its variables; say which update's loss ignores which variables.
 */
function withClearGradientError<T>(u: UpdateSpec, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('Cannot find a connection between any variable')) {
      throw new Error(`Trainer: update '${u.name}': the loss must depend on its 'variables' (${u.variables.length} given); got a loss that uses none of them`);
    }
    throw err;
  }
}
