// The public API of tfjs-gan, on one screen.
export { tf, initBackend, probeBackends, BACKENDS } from './tf.js';
export type { BackendName, BackendChoice, BackendInfo, BackendProbe } from './tf.js';
export { Rng } from './random.js';
export type { RngState } from './random.js';
export {
  GanError, UsageError, ConfigError, BackendError, ShapeError, DataError, CheckpointError, NumericError, GradientError,
} from './errors.js';
// From-scratch float64 GAN math and the parity suite against tfjs autograd (issue 3).
export { Matrix } from './scratch/matrix.js';
export { largestSingularValue, singularValues, symmetricEigenvalues } from './scratch/linalg.js';
export { Mlp, heInit } from './scratch/mlp.js';
export type { Activation, MlpParams } from './scratch/mlp.js';
export { Generator, Discriminator, WassersteinCritic } from './scratch/networks.js';
export { discriminatorLoss, generatorLossNonSaturating, generatorLossSaturating, wassersteinLoss } from './scratch/losses.js';
export { gradientPenalty, interpolate } from './scratch/gradient-penalty.js';
export { powerIteration, spectralNormalize } from './scratch/spectral-norm.js';
export { sample8Gaussians, ringCenters } from './scratch/data.js';
export { trainGan, trainWgan, SEED_1D, SEED_WGAN } from './scratch/train.js';
export type { GanLoopConfig, WganLoopConfig, Snapshot } from './scratch/train.js';
export { runParity, failures, ALL_CHECKS } from './parity/run.js';
export type { ParityResult, Tolerance } from './parity/compare.js';
