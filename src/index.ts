// The public API of tfjs-gan, on one screen.
export { tf, initBackend, probeBackends, BACKENDS } from './tf.js';
export type { BackendName, BackendChoice, BackendInfo, BackendProbe } from './tf.js';
export { Rng } from './random.js';
export type { RngState } from './random.js';
export {
  GanError, UsageError, ConfigError, BackendError, ShapeError, DataError, CheckpointError, NumericError, GradientError,
} from './errors.js';
// Checkpoints (branch ckpt): atomic checksummed checkpoints, exact optimizer state, run lock, model files.
export {
  saveCheckpoint, loadCheckpoint, loadGenerator, findLatestValidCheckpoint, listCheckpoints, acquireRunLock,
  checkpointName, checkpointsDir, CHECKPOINT_FORMAT_VERSION,
} from './train/checkpoint.js';
export type { CheckpointState, LoadedCheckpoint, SaveCheckpointOptions, LoadCheckpointOptions } from './train/checkpoint.js';
export type { RunLockRelease } from './train/run_lock.js';
export { captureOptimizerState, restoreOptimizerState, createOptimizer } from './train/optimizer_state.js';
export type { OptimizerStateJson } from './train/optimizer_state.js';
export { fileSystemHandler, saveModel, loadModel } from './models/io.js';
