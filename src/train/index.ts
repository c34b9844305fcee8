/**
 * Training: a backend-agnostic trainer over explicit variable lists (GAN, conditional GAN,
 * encoder, VAE, flow), the GAN step builder, PyTorch-exact Adam, EMA and learning-rate schedules.
 * Checkpoint files, PNG sample grids, JSONL logs and the progress bar are in `gankit/node`.
 */
export { Trainer, NonFiniteLossError } from './trainer.js';
export type { Batch, BatchRequest, TrainContext, LossFn, UpdateSpec, TrainerConfig, StepResult, MetricsWindow, TrainerState } from './trainer.js';
export { ganUpdates } from './gan.js';
export type { GanUpdatesConfig, GanPenaltyConfig } from './gan.js';
export { ganimationUpdates } from './ganimation_updates.js';
export type { GanimationUpdatesConfig, GanimationInputs } from './ganimation_updates.js';
export { Adam, adam } from './adam.js';
export type { AdamOptions, OptimizerSlots, NamedTensor } from './adam.js';
export { ExponentialMovingAverage, halfLifeToBeta } from './ema.js';
export type { EmaOptions } from './ema.js';
export { constantSchedule, linearDecaySchedule, linearDecayStepSchedule, warmupSchedule, chainSchedules } from './schedules.js';
export type { Schedule } from './schedules.js';
export { modelVariables } from './variables.js';
export { updateBatchNormStatistics } from './update_batch_norm.js';
export type { UpdateBatchNormOptions } from './update_batch_norm.js';
export { shuffledBatches } from './batches.js';
