// tfjs-gan/bench: the `gan bench` workloads (the reference DCGAN step of scripts/peers/dcgan_torch.py, the ring MLP GAN).
export { runBench, profileKernels, DEFAULT_BENCH } from './run.js';
export type { BenchOptions, BenchReport, KernelTime } from './run.js';
export { referenceGan, REFERENCE } from './reference_dcgan.js';
export { timeSteps } from './measure.js';
