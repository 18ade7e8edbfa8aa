// Typed errors: one class per concept under GanError. Messages say what was expected and what came.

/** Base class of every error the toolkit throws on purpose. `exitCode` is what the CLI exits with. */
export class GanError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A command line that cannot be run as typed: unknown flag, missing or malformed value. Exit code 2. */
export class UsageError extends GanError {
  override readonly exitCode: number = 2;
}

/** A config key that is unknown, of the wrong type or out of range. Exit code 2. */
export class ConfigError extends GanError {
  override readonly exitCode: number = 2;
}

/** A backend that is not installed or fails to start. Exit code 2. */
export class BackendError extends GanError {
  override readonly exitCode: number = 2;
}

/** A run directory that cannot be used as one: a symlink or a special file where a run file belongs. Exit code 2. */
export class RunDirError extends GanError {
  override readonly exitCode: number = 2;
}

/** A tensor or model whose shape is not the one expected. */
export class ShapeError extends GanError {}

/** A data file that is missing, truncated or malformed. */
export class DataError extends GanError {}

/** A checkpoint that is missing, corrupt, incompatible or cannot be written. */
export class CheckpointError extends GanError {}

/** Training stopped because a loss or weight became NaN or infinite. */
export class NumericError extends GanError {}

/** A double-backprop (gradient penalty, R1) through an op whose second derivative is not supported. */
export class GradientError extends GanError {}
