// Persistence: checkpoints (save, load, verify), optimizer state, the run lock. The rest of the toolkit imports this.
export { saveCheckpoint } from './save.js';
export { describeSkipped, findLatestValidCheckpoint, inspectCheckpoints, loadCheckpoint, loadGenerator, readCheckpointState } from './load.js';
export type { CheckpointInfo } from './load.js';
export type { CheckpointState, LoadedCheckpoint, SaveCheckpointOptions, LoadCheckpointOptions } from './types.js';
export { CHECKPOINT_FORMAT_VERSION } from './files.js';
export { checkpointName, checkpointsDir, listCheckpoints, toolkitVersion } from './layout.js';
export { acquireRunLock, inspectRunLock, LOCK_FILE } from './run_lock.js';
export type { RunLockRelease } from './run_lock.js';
