// What a checkpoint holds and the options of saving and loading one (shared by save.ts and load.ts).
import type * as TF from '@tensorflow/tfjs';
import type { RngState } from '../random.js';
import type { WriteFault } from './files.js';

/** What a checkpoint holds. Models and optimizers are live tfjs objects; the rest is JSON. */
export interface CheckpointState {
  step: number;
  /** The resolved training config (JSON), compared on resume. */
  config: unknown;
  generator: TF.LayersModel;
  discriminator: TF.LayersModel;
  generatorOptimizer: TF.Optimizer;
  discriminatorOptimizer: TF.Optimizer;
  /** EMA of the generator's weights, parallel to `generator.weights` (same order and shapes), or null. */
  emaGenerator?: TF.Tensor[] | null;
  rng: RngState;
  /** Data sampler position (JSON). */
  data?: unknown;
  /** Anything else to get back on resume (JSON). */
  extra?: unknown;
}

/** A loaded checkpoint: the saved state plus where it came from. The caller owns (and disposes) the tensors. */
export interface LoadedCheckpoint extends CheckpointState {
  dir: string;
  emaGenerator: TF.Tensor[] | null;
  data: unknown;
  extra: unknown;
  toolkitVersion: string;
  createdAt: string;
}

export interface SaveCheckpointOptions {
  /** Keep this many newest checkpoints (by step); older ones are deleted. Default: keep all. */
  keep?: number;
  /** Test hook: fail like a full disk after this many bytes of this file. */
  failWriteAt?: WriteFault;
}

export interface LoadCheckpointOptions {
  /** Restore into these optimizers (e.g. built with a new learning rate) instead of ones built from the saved config. */
  generatorOptimizer?: TF.Optimizer;
  discriminatorOptimizer?: TF.Optimizer;
}
