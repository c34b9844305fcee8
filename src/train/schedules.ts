/**
 * Learning-rate schedules as multipliers of an optimizer's base learning rate:
 * `schedule(step, epoch) → factor`, with `step` and `epoch` 0-based. Compose with {@link chainSchedules}.
 */

export type Schedule = (step: number, epoch: number) => number;

/** Factor 1 throughout. */
export function constantSchedule(): Schedule {
  return () => 1;
}

/**
 * Constant for `constantEpochs`, then linear decay to 0 over `decayEpochs`, stepped once per
 * epoch (GANimation albertpumarola/GANimation train.py + models/ganimation.py
 * `update_learning_rate`: after each epoch e > nepochs_no_decay (1-based) lr −= lr₀/nepochs_decay).
 * For 0-based epoch k: factor = 1 − clamp(k − constantEpochs, 0, decayEpochs)/decayEpochs.
 * Defaults are GANimation's 20 + 10.
 */
export function linearDecaySchedule(options: { constantEpochs?: number; decayEpochs?: number } = {}): Schedule {
  const { constantEpochs = 20, decayEpochs = 10 } = options;
  if (!(constantEpochs >= 0)) throw new Error(`linearDecaySchedule: 'constantEpochs' must be ≥ 0; got ${constantEpochs}`);
  if (!(decayEpochs > 0)) throw new Error(`linearDecaySchedule: 'decayEpochs' must be > 0; got ${decayEpochs}`);
  return (_step, epoch) => 1 - Math.min(Math.max(epoch - constantEpochs, 0), decayEpochs) / decayEpochs;
}

/**
 * Per-step linear decay to 0 over the last `decaySteps` of `totalSteps`:
 * factor = min(1, (totalSteps − step)/decaySteps), clamped at 0.
 */
export function linearDecayStepSchedule(options: { totalSteps: number; decaySteps: number }): Schedule {
  const { totalSteps, decaySteps } = options;
  if (!(decaySteps > 0)) throw new Error(`linearDecayStepSchedule: 'decaySteps' must be > 0; got ${decaySteps}`);
  if (!(totalSteps >= decaySteps)) throw new Error(`linearDecayStepSchedule: 'totalSteps' must be ≥ decaySteps (${decaySteps}); got ${totalSteps}`);
  return (step) => Math.max(0, Math.min(1, (totalSteps - step) / decaySteps));
}

/** Linear warm-up: factor (step + 1)/warmupSteps for the first `warmupSteps` steps, then 1. */
export function warmupSchedule(warmupSteps: number): Schedule {
  if (!(Number.isInteger(warmupSteps) && warmupSteps > 0)) throw new Error(`warmupSchedule: 'warmupSteps' must be a positive integer; got ${warmupSteps}`);
  return (step) => Math.min(1, (step + 1) / warmupSteps);
}

/** Product of several schedules (e.g. warm-up then linear decay). */
export function chainSchedules(...schedules: Schedule[]): Schedule {
  return (step, epoch) => schedules.reduce((f, s) => f * s(step, epoch), 1);
}
