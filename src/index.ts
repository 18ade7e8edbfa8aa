// The public API of tfjs-gan, on one screen.
export { tf, initBackend, probeBackends, BACKENDS } from './tf.js';
export type { BackendName, BackendChoice, BackendInfo, BackendProbe } from './tf.js';
export { Rng } from './random.js';
export type { RngState } from './random.js';
export {
  GanError, UsageError, ConfigError, BackendError, ShapeError, DataError, CheckpointError, NumericError, GradientError,
} from './errors.js';
// Threads for the wasm backend (GAN_WASM_THREADS).
export { setWasmThreads, requestedWasmThreads, wasmThreadsStatus, WASM_MAX_THREADS } from './kernels/wasm_threads.js';
export type { WasmThreadsStatus } from './kernels/wasm_threads.js';
// Second-order gradients (gradient penalties): refuse layers that tfjs cannot differentiate twice.
export { assertSecondOrderSafe, secondOrderProblems } from './kernels/second_order.js';
export type { SecondOrderProblem, SecondOrderOptions } from './kernels/second_order.js';


// Models, layers, losses, regularizers and G/D steps.
export { mlpGenerator, mlpDiscriminator } from './models/mlp.js';
export type { MlpGeneratorConfig, MlpDiscriminatorConfig } from './models/mlp.js';
export { dcganGenerator, dcganDiscriminator, dcganLadder } from './models/dcgan.js';
export type { DcganGeneratorConfig, DcganDiscriminatorConfig } from './models/dcgan.js';
export type { Normalization } from './models/blocks.js';
export { ACTIVATIONS } from './layers/activation.js';
export type { ActivationName } from './layers/activation.js';
export { SpectralNormDense, spectralNormDense, spectralSigma } from './layers/spectral_norm.js';
export { UnfusedConv2D, UnfusedDense, unfusedConv2d, unfusedDense, withUnfusedLayers } from './layers/unfused.js';
export type { SpectralNormDenseArgs, SpectralNormOptions } from './layers/spectral_norm.js';
export {
  SpectralNormConv2D, SpectralNormConv2DTranspose, spectralNormConv2d, spectralNormConv2dTranspose,
} from './layers/spectral_norm_conv.js';
export type { SpectralNormConvArgs } from './layers/spectral_norm_conv.js';
export { LOSSES, LOSS_NAMES, checkLossName } from './losses/index.js';
export type { LossName, GanLoss } from './losses/index.js';
export { gradientPenalty, inputGradient } from './losses/gradient_penalty.js';
export type { Critic } from './losses/gradient_penalty.js';
export { r1Penalty } from './losses/r1.js';
export { clipWeights } from './losses/weight_clipping.js';
export {
  discriminatorStep, generatorStep, ganStep, readLosses, disposeStepLosses, checkStepConfig, sampleLatent, trainableVariables,
  withFrozenState, DEFAULT_STEP_CONFIG,
} from './train/steps.js';
export type {
  GanModels, GanOptimizers, StepConfig, RealBatch, DiscriminatorLosses, GeneratorLosses, StepLosses,
} from './train/steps.js';

// Data: IDX/MNIST loaders, toy distributions, seeded epoch sampler, tf.data datasets.
export { readIdx, parseIdx, parseIdxBytes, MAX_IDX_BYTES } from './data/idx.js';
export type { IdxData } from './data/idx.js';
export { loadMnist, defaultMnistDir, findIdxFile, gatherBatch } from './data/mnist.js';
export type { MnistData, MnistSplit, LoadMnistOptions } from './data/mnist.js';
export { gaussian1d, ring8, grid25, toyDataset, TOY_DATASET_NAMES } from './data/toy.js';
export type { ToyDataset, ToyDatasetName } from './data/toy.js';
export { EpochSampler } from './data/sampler.js';
export type { EpochSamplerState } from './data/sampler.js';
export { mnistDataset, toyDatasetBatches } from './data/dataset.js';
export type { Batch } from './data/dataset.js';

// Checkpoints and model files: atomic checksummed checkpoints, exact optimizer state, run lock.
export { fileSystemHandler, saveModel, loadModel, MODEL_JSON, WEIGHTS_BIN } from './models/io.js';
export {
  saveCheckpoint, loadCheckpoint, loadGenerator, findLatestValidCheckpoint, listCheckpoints, acquireRunLock, inspectCheckpoints,
  checkpointName, checkpointsDir, CHECKPOINT_FORMAT_VERSION,
} from './train/checkpoint.js';
export type { CheckpointState, LoadedCheckpoint, SaveCheckpointOptions, LoadCheckpointOptions, CheckpointInfo } from './train/checkpoint.js';
export type { RunLockRelease } from './train/run_lock.js';
export { captureOptimizerState, restoreOptimizerState, createOptimizer } from './train/optimizer_state.js';
export type { OptimizerStateJson } from './train/optimizer_state.js';
// Performance: the `gan bench` workloads (reference DCGAN of scripts/peers/dcgan_torch.py, ring-8 MLP GAN).
export { runBench, profileKernels, DEFAULT_BENCH } from './bench/run.js';
export type { BenchOptions, BenchReport, KernelTime } from './bench/run.js';
export { referenceGan, buildReferenceGenerator, buildReferenceDiscriminator, REFERENCE } from './bench/reference_dcgan.js';
export type { ReferenceGan } from './bench/reference_dcgan.js';
// From-scratch float64 GAN math and the parity suite against tfjs autograd.
export * as scratch from './scratch/index.js';
export { runParity, failures, ALL_CHECKS } from './parity/run.js';
export type { ParityResult, Tolerance } from './parity/compare.js';
// Training: config and presets, the training loop, progress, sample plots.
export {
  DEFAULTS, KEYS, CONFIG_KEYS, ARCHITECTURE_KEYS, resolveConfig, validateConfig, validatePartial, parseOverrides,
  loadPreset, presetNames, diffConfigs,
} from './train/config.js';
export type { TrainConfig, KeySpec, DataName, ModelName } from './train/config.js';
export { train } from './train/loop.js';
export type { TrainOptions, TrainResult } from './train/loop.js';
export { buildModels, buildGenerator, buildDiscriminator, withSeededInit } from './train/build.js';
export { createEma, emaDecayAt, updateEma, nonFiniteWeight } from './train/ema.js';
export { evaluateSamples } from './train/samples.js';
export { generate, generateSamples, generatorSignature } from './models/generate.js';
export type { GeneratedSamples, GeneratorSignature } from './models/generate.js';
export type { EvalResult } from './train/samples.js';
export { lineReporter, barReporter, silentReporter } from './train/progress.js';
export type { ProgressReporter, ProgressUpdate } from './train/progress.js';
export { imageGrid } from './viz/image_grid.js';
export type { ImageBatch } from './viz/image_grid.js';
export { scatterPlot } from './viz/scatter.js';
export { lossCurves } from './viz/curves.js';
export { writePng, pngBytes } from './viz/canvas.js';

// Evaluation: toy metrics, Fréchet distance, classifier score, MNIST metrics, evaluateGenerator.
export { gaussian1dMetrics, mixtureMetrics, ksStatistic, normalCdf, STRICT_SHARE, HIGH_QUALITY_STDS } from './eval/toy.js';
export type { Gaussian1dMetrics, MixtureMetrics } from './eval/toy.js';
export { gaussianStats, frechetDistance, sqrtPsd, symmetricEigen } from './eval/frechet.js';
export type { GaussianStats } from './eval/frechet.js';
export { classifierScore } from './eval/classifier_score.js';
export { buildMnistClassifier, loadMnistClassifier, CLASSIFIER_DIR } from './eval/classifier.js';
export type { MnistClassifier } from './eval/classifier.js';
export { classifyImages, mnistMetrics, loadMnistReference, CLASS_COVERAGE_SHARE } from './eval/mnist.js';
export type { MnistMetrics, MnistReference, MnistReferenceRow, ClassifierOutputs } from './eval/mnist.js';
export { evaluateGenerator, scalarMetrics, DATA_KINDS } from './eval/generator.js';
export type { EvaluateGeneratorOptions, EvaluationResult, DataKind } from './eval/generator.js';
export { formatEvaluation } from './eval/report.js';
