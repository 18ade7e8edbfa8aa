// The public API of tfjs-gan, on one screen.
export { tf, initBackend, probeBackends, BACKENDS } from './tf.js';
export type { BackendName, BackendChoice, BackendInfo, BackendProbe } from './tf.js';
export { Rng } from './random.js';
export type { RngState } from './random.js';
export {
  GanError, UsageError, ConfigError, BackendError, ShapeError, DataError, CheckpointError, NumericError, GradientError,
} from './errors.js';

// Performance: the `gan bench` workloads (reference DCGAN of shared/peers/dcgan_torch.py, ring-8 MLP GAN).
export { runBench, profileKernels, DEFAULT_BENCH } from './bench/run.js';
export type { BenchOptions, BenchReport, KernelTime } from './bench/run.js';
export { referenceGan, buildReferenceGenerator, buildReferenceDiscriminator, REFERENCE } from './bench/reference_dcgan.js';
export type { ReferenceGan } from './bench/reference_dcgan.js';
