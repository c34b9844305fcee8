/** Node-only training helpers: checkpoints, the file-writing training loop, JSONL logs, progress. */
export { runTraining } from './run.js';
export type { RunTrainingOptions, RunTrainingResult } from './run.js';
export { saveCheckpoint, loadCheckpoint, readCheckpoint, checkpointExists, encodeTrainerState, decodeTrainerState, CHECKPOINT_JSON, TENSORS_BIN } from './checkpoint.js';
export type { SaveCheckpointOptions } from './checkpoint.js';
export { JsonlLogger } from './jsonl_log.js';
export { ProgressBar, formatDuration } from './progress.js';
export type { ProgressOptions, ProgressStream } from './progress.js';
