// The public API of tfjs-gan, on one screen. Benchmarks, the parity suite and the float64 scratch math are subpath
// exports: tfjs-gan/bench, tfjs-gan/parity, tfjs-gan/scratch. Everything else is internal.
export { tf, initBackend, probeBackends, BACKENDS } from './tf.js';
export type { BackendName, BackendChoice, BackendInfo, BackendProbe } from './tf.js';
export { Rng } from './random.js';
export {
  GanError, UsageError, ConfigError, BackendError, RunDirError, ShapeError, DataError, CheckpointError, NumericError, GradientError,
} from './errors.js';

// Networks: builder functions (the conditional variant is the same builder with numClasses), layers, losses.
export { mlpGenerator, mlpDiscriminator } from './models/mlp.js';
export { dcganGenerator, dcganDiscriminator } from './models/dcgan.js';
export type { MlpGeneratorConfig, MlpDiscriminatorConfig } from './models/mlp.js';
export type { DcganGeneratorConfig, DcganDiscriminatorConfig } from './models/dcgan.js';
export { spectralNormDense } from './layers/spectral_norm.js';
export { spectralNormConv2d, spectralNormConv2dTranspose } from './layers/spectral_norm_conv.js';
// An InfoGAN code in z, and the layer names D's extra heads must have in your own networks (see docs/training.md).
export { latentCode, LatentCode } from './layers/latent_code.js';
export { CLASS_LOGITS, ROTATION_LOGITS, CODE_LOGITS } from './models/dcgan.js';
export { LOSSES, LOSS_NAMES } from './losses/index.js';
export type { LossName, GanLoss } from './losses/index.js';
export { gradientPenalty } from './losses/gradient_penalty.js';
export { r1Penalty } from './losses/r1.js';

// Steps (losses stay on the device: read them with readLosses) and the training loop.
export { discriminatorStep, generatorStep, ganStep, readLosses, disposeStepLosses, DEFAULT_STEP_CONFIG } from './train/steps.js';
export type { GanModels, GanOptimizers, StepConfig, RealBatch, StepLosses, DiscriminatorLosses, GeneratorLosses } from './train/steps.js';
export { train } from './train/loop.js';
export type { TrainOptions, TrainResult, TrainCallbacks } from './train/loop.js';
export type { UserBatch, UserData } from './train/user_data.js';
export type { LossReading } from './train/loss_monitor.js';
export { DEFAULTS, SPEC, resolveConfig, resumeConfig, loadPreset, presetNames } from './train/config.js';
export type { TrainConfig } from './train/config.js';
export { lineReporter, silentReporter } from './train/progress.js';
export type { ProgressReporter, ProgressUpdate } from './train/progress.js';

// Checkpoints, sampling, evaluation, data, pictures.
export { saveCheckpoint, loadCheckpoint, loadGenerator, readCheckpointState, inspectCheckpoints } from './checkpoint/index.js';
export type { CheckpointState, LoadedCheckpoint } from './checkpoint/index.js';
export { generate, generateSamples, generatorSignature } from './models/generate.js';
export { saveModel, loadModel } from './models/io.js';
export { evaluateGenerator } from './eval/generator.js';
export { formatEvaluation } from './eval/report.js';
export type { EvaluationResult, EvaluateGeneratorOptions } from './eval/generator.js';
export { imageFeatures } from './eval/image_features.js';
export { precisionRecallCoverage } from './eval/precision_recall.js';
export { loadRealImages } from './train/data_source.js';
export type { ImageFolderMetrics, RealImages } from './eval/image_folder.js';
export { loadMnist } from './data/mnist.js';
export { toyDataset } from './data/toy.js';
export { imageGrid } from './viz/image_grid.js';
export { writePng } from './viz/canvas.js';
