// One discriminator (critic) update and one generator update, each touching only its own network.
//
// BatchNorm moving statistics (and spectral-norm `u` vectors) are state of the network they belong to and change
// only in that network's own step: G runs in training mode in both steps (batch statistics, as in DCGAN), but its
// non-trainable state is restored after the D step's forward pass; D's is restored after the G step. So a D step
// changes exactly D's variables (weights, moving stats, u) and a G step exactly G's.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { ConfigError, ShapeError } from '../errors.js';
import type { Rng } from '../random.js';
import { LOSSES, type LossName } from '../losses/index.js';
import { gradientPenalty, type Critic } from '../losses/gradient_penalty.js';
import { r1Penalty } from '../losses/r1.js';
import { assertSecondOrderSafe } from '../kernels/second_order.js';
import { clipWeights } from '../losses/weight_clipping.js';
import { generatorSignature } from '../models/generate.js';
import { conditioning, withCodes } from './conditioning.js';
import { latentCodeOneHot } from '../layers/latent_code.js';
import { auxiliaryWeight, callDiscriminator, codeLoss, codeWeight, discriminatorHeads, headLoss, rotationTerm, rotationWeights, type HeadWeights } from './heads.js';

/**
 * The two networks. A conditional pair has a second input, the one-hot label, on both; a self-conditioned pair
 * (conditioning.ts) has it on D only, G drawing the class from z through its LatentCode layer.
 */
export interface GanModels {
  generator: tfjs.LayersModel;
  discriminator: tfjs.LayersModel;
}

/**
 * What a step does besides the loss: the training config's keys of the same names (a TrainConfig is a StepConfig).
 * JSON-serialisable.
 */
export interface StepConfig extends HeadWeights {
  /** Adversarial loss (see LOSSES). */
  loss: LossName;
  /** D steps per G step (WGAN: 5). Used by ganStep. */
  criticSteps: number;
  /** lambda of the WGAN-GP gradient penalty; 0 = off (Gulrajani et al.: 10). */
  gradientPenaltyWeight: number;
  /** gamma of R1; the D loss gains gamma/2 * E|grad D(real)|^2; 0 = off (Mescheder et al.: 10 for images). */
  r1Weight: number;
  /** Clip D's weights into [-c, c] after each D step; 0 = off (WGAN: 0.01). */
  weightClip: number;
}

export const DEFAULT_STEP_CONFIG: StepConfig = {
  loss: 'nonSaturating',
  criticSteps: 1,
  gradientPenaltyWeight: 0,
  r1Weight: 0,
  weightClip: 0,
};

/** A batch of real data: x [batch, ...] as D takes it; labels int32 [batch] or one-hot [batch, numClasses]. */
export interface RealBatch {
  x: tfjs.Tensor;
  labels?: tfjs.Tensor;
}

/**
 * A D step's losses as scalars on the device: nothing is read back, so a GPU pipeline never stalls on a step.
 * The caller owns them: read them with `readLosses` (which disposes them) or dispose them.
 */
export interface DiscriminatorLosses {
  /** Total D loss (adversarial + weighted penalties). */
  loss: tfjs.Scalar;
  /** The adversarial part alone. */
  adversarialLoss: tfjs.Scalar;
  /** Unweighted gradient penalty / R1 values (0 when off). */
  gradientPenalty: tfjs.Scalar;
  r1: tfjs.Scalar;
  /** Mean of D's logits on the real and on the fake batch; for a critic their difference is the Wasserstein estimate. */
  realLogit: tfjs.Scalar;
  fakeLogit: tfjs.Scalar;
  /** Cross-entropy of D's class head on the real batch, unweighted (0 when auxiliaryClassifierWeight is off). */
  classLoss: tfjs.Scalar;
  /** Cross-entropy of D's rotation head on the rotated real batch, unweighted (0 when rotationLossWeight is off). */
  rotationLoss: tfjs.Scalar;
  /** Cross-entropy of D's code head on the fake batch against G's latent codes, unweighted (0 when latentCodeWeight is off). */
  codeLoss: tfjs.Scalar;
  /** Global L2 norm of the gradient of the total D loss over D's trainable variables (before the update). */
  gradientNorm: tfjs.Scalar;
}

/** A G step's losses as scalars on the device (owned by the caller, as DiscriminatorLosses). */
export interface GeneratorLosses {
  /** Total G loss (adversarial + weighted class and rotation losses). */
  loss: tfjs.Scalar;
  /** Cross-entropy of D's class head on G's fakes against the labels asked for, unweighted (0 when off). */
  classLoss: tfjs.Scalar;
  /** Cross-entropy of D's rotation head on G's rotated fakes, unweighted (0 when generatorRotationLossWeight is off). */
  rotationLoss: tfjs.Scalar;
  /** Cross-entropy of D's code head on G's fakes against their latent codes, unweighted (0 when latentCodeWeight is off). */
  codeLoss: tfjs.Scalar;
  /** Global L2 norm of the gradient of G's loss over G's trainable variables: near 0 when G's gradient vanishes. */
  gradientNorm: tfjs.Scalar;
}

/** The same losses read back as numbers. */
export type LossValues<T> = { [K in keyof T]: number };

/** Reads every scalar of a losses object in one device read (`await`, never a synchronous read), then disposes them. */
export async function readLosses<T extends { [K in keyof T]: tfjs.Scalar }>(losses: T): Promise<LossValues<T>> {
  const keys = Object.keys(losses) as (keyof T & string)[];
  const stacked = tf.tidy(() => tf.stack(keys.map((k) => losses[k] as tfjs.Scalar)));
  try {
    const values = await stacked.data();
    return Object.fromEntries(keys.map((k, i) => [k, values[i]!])) as LossValues<T>;
  } finally {
    stacked.dispose();
    tf.dispose(Object.values(losses) as tfjs.Scalar[]);
  }
}

/**
 * sqrt(sum of squares) of every gradient: the global L2 norm, as one device scalar. Summed two at a time: webgpu's
 * AddN of many inputs binds one buffer per input, and past the adapter's limit the whole step's commands fail.
 */
function globalNorm(grads: tfjs.NamedTensorMap): tfjs.Scalar {
  const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)) as tfjs.Scalar);
  return tf.sqrt(squares.reduce((total, x) => tf.add(total, x))) as tfjs.Scalar;
}

/** Trainable variables of a model in layer order (the order Adam's slots are kept in). */
export function trainableVariables(model: tfjs.LayersModel): tfjs.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tfjs.Variable);
}

/** Runs `fn`, then puts back the model's non-trainable weights (BatchNorm moving stats, spectral-norm u). */
export function withFrozenState<T>(model: tfjs.LayersModel, fn: () => T): T {
  const saved = model.nonTrainableWeights.map((w) => tf.keep(tf.clone(w.read())));
  try {
    return fn();
  } finally {
    model.nonTrainableWeights.forEach((w, i) => w.write(saved[i]!));
    for (const t of saved) t.dispose();
  }
}

function oneHot(labels: tfjs.Tensor, numClasses: number): tfjs.Tensor {
  if (labels.rank === 2) {
    if (labels.shape[1] !== numClasses) throw new ShapeError(`labels: expected one-hot [batch, ${numClasses}] but got [${labels.shape}]`);
    return tf.cast(labels, 'float32');
  }
  return tf.oneHot(tf.cast(labels, 'int32'), numClasses).toFloat();
}

/** z [batch, latentDim] ~ N(0, 1) and, when conditional, uniformly drawn one-hot labels, all from `rng`. */
export function sampleLatent(generator: tfjs.LayersModel, batchSize: number, rng: Rng): { z: tfjs.Tensor2D; labels: tfjs.Tensor2D | null } {
  const { latentDim, numClasses } = generatorSignature(generator);
  const z = tf.tensor2d(rng.normalArray(batchSize * latentDim), [batchSize, latentDim]);
  if (numClasses === null) return { z, labels: null };
  const idx = Int32Array.from({ length: batchSize }, () => rng.int(numClasses));
  return { z, labels: tf.tidy(() => tf.oneHot(tf.tensor1d(idx, 'int32'), numClasses).toFloat() as tfjs.Tensor2D) };
}

function call(model: tfjs.LayersModel, x: tfjs.Tensor, labels: tfjs.Tensor | null): tfjs.Tensor {
  return model.apply(labels === null ? x : [x, labels], { training: true }) as tfjs.Tensor;
}

// Critics already checked for penalties: the check walks every layer, so it runs once per model, not per step.
const penaltySafe = new WeakSet<tfjs.LayersModel>();

function checkPenaltyCritic(critic: tfjs.LayersModel, config: StepConfig): void {
  if ((config.gradientPenaltyWeight > 0 || config.r1Weight > 0) && !penaltySafe.has(critic)) {
    assertSecondOrderSafe(critic);
    penaltySafe.add(critic);
  }
}

// Configs already validated: a step validates its config object once, never inside the hot loop.
const validConfigs = new WeakSet<StepConfig>();

/** Throws ConfigError naming the key when a step config is invalid. Each config object is checked once. */
export function checkStepConfig(config: StepConfig): void {
  if (validConfigs.has(config)) return;
  if (!(config.loss in LOSSES)) throw new ConfigError(`loss: expected one of ${Object.keys(LOSSES).join(', ')} but got '${config.loss}'`);
  for (const key of ['gradientPenaltyWeight', 'r1Weight', 'weightClip'] as const) {
    if (!(config[key] >= 0)) throw new ConfigError(`${key}: expected a number >= 0 but got ${config[key]}`);
  }
  for (const key of ['auxiliaryClassifierWeight', 'rotationLossWeight', 'generatorRotationLossWeight', 'latentCodeWeight'] as const) {
    if (config[key] !== undefined && !(config[key] >= 0)) throw new ConfigError(`${key}: expected a number >= 0 but got ${config[key]}`);
  }
  if (!Number.isInteger(config.criticSteps) || config.criticSteps < 1) {
    throw new ConfigError(`criticSteps: expected a positive integer but got ${config.criticSteps}`);
  }
  validConfigs.add(config);
}

/**
 * One D update on a real batch and a fresh fake batch of the same size (z, and for the gradient penalty the per-sample
 * interpolation weights, drawn from `rng`). A conditional D step generates its fakes with the real batch's labels,
 * so real, fake and their interpolates share labels. Only D's variables change. Returns the losses as device
 * scalars (the caller disposes them or reads them with readLosses): a step never waits for the device.
 * With a gradient penalty or R1, throws GradientError (first call only) if D has a layer a penalty cannot go through,
 * e.g. BatchNorm in training mode: build the critic with `normalization: 'layer'` or `'none'`.
 */
export function discriminatorStep(
  models: GanModels, optimizer: tfjs.Optimizer, real: RealBatch, config: StepConfig, rng: Rng,
): DiscriminatorLosses {
  checkStepConfig(config);
  const { generator: G, discriminator: D } = models;
  const { latentDim } = generatorSignature(G);
  const { classes: numClasses, fromCode } = conditioning(G, D);
  if ((numClasses === null) !== (real.labels === undefined)) {
    throw new ShapeError(numClasses === null
      ? 'real.labels: the models are unconditional but labels were given'
      : 'real.labels: the models are conditional but no labels were given');
  }
  checkPenaltyCritic(D, config);
  const heads = discriminatorHeads(D, G, numClasses, config);
  const auxiliary = auxiliaryWeight(config), rotation = rotationWeights(config).d, coding = codeWeight(config);
  const batch = real.x.shape[0]!;
  const z = tf.tensor2d(rng.normalArray(batch * latentDim), [batch, latentDim]);
  const alpha = config.gradientPenaltyWeight > 0 ? tf.tensor1d(rng.uniformArray(batch)) : null;
  const variables = trainableVariables(D);
  const parts = tf.tidy(() => {
    const labels = numClasses === null ? null : oneHot(real.labels!, numClasses);
    // A self-conditioned G draws its cluster from z: the fakes' latents get the real batch's clusters as their codes.
    const fake = withFrozenState(G, () => (fromCode ? call(G, withCodes(z, labels!, numClasses!), null) : call(G, z, labels)));
    const critic: Critic = (x) => callDiscriminator(D, x, labels, heads).logits;
    let adversarial: tfjs.Scalar | null = null;
    let rotationValue: tfjs.Scalar | null = null;
    let codeValue: tfjs.Scalar | null = null;
    let gp: tfjs.Scalar | null = null;
    let r1: tfjs.Scalar | null = null;
    let classLoss: tfjs.Scalar | null = null;
    let realMean: tfjs.Scalar | null = null, fakeMean: tfjs.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const realOut = callDiscriminator(D, real.x, labels, heads), fakeOut = callDiscriminator(D, fake, labels, heads);
      const fakeLogits = fakeOut.logits;
      realMean = tf.keep(tf.mean(realOut.logits) as tfjs.Scalar);
      fakeMean = tf.keep(tf.mean(fakeLogits) as tfjs.Scalar);
      adversarial = tf.keep(LOSSES[config.loss].discriminator(realOut.logits, fakeLogits));
      let total: tfjs.Scalar = adversarial;
      if (auxiliary > 0) {
        classLoss = tf.keep(headLoss(realOut.classLogits!, labels!));
        total = tf.add(total, tf.mul(auxiliary, classLoss));
      }
      if (rotation > 0) {
        rotationValue = tf.keep(rotationTerm(D, real.x, labels, heads));
        total = tf.add(total, tf.mul(rotation, rotationValue));
      }
      if (coding > 0) {
        codeValue = tf.keep(codeLoss(fakeOut.codeLogits!, z, heads.codes));
        total = tf.add(total, tf.mul(coding, codeValue));
      }
      if (alpha !== null) {
        gp = tf.keep(gradientPenalty(critic, real.x, fake, alpha));
        total = tf.add(total, tf.mul(config.gradientPenaltyWeight, gp));
      }
      if (config.r1Weight > 0) {
        r1 = tf.keep(r1Penalty(critic, real.x));
        total = tf.add(total, tf.mul(config.r1Weight / 2, r1));
      }
      return total;
    }, variables);
    const norm = globalNorm(grads);
    optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
    return [value, adversarial!, gp ?? tf.scalar(0), r1 ?? tf.scalar(0), realMean!, fakeMean!, classLoss ?? tf.scalar(0), rotationValue ?? tf.scalar(0), codeValue ?? tf.scalar(0), norm];
  });
  if (config.weightClip > 0) clipWeights(D, config.weightClip);
  tf.dispose([z, ...(alpha ? [alpha] : [])]);
  const [loss, adversarialLoss, gradientPenaltyValue, r1Value, realLogit, fakeLogit, classLossValue, rotationLossValue, codeLossValue, gradientNorm] = parts as tfjs.Scalar[];
  return {
    loss: loss!, adversarialLoss: adversarialLoss!, gradientPenalty: gradientPenaltyValue!, r1: r1Value!,
    realLogit: realLogit!, fakeLogit: fakeLogit!, classLoss: classLossValue!, rotationLoss: rotationLossValue!, codeLoss: codeLossValue!,
    gradientNorm: gradientNorm!,
  };
}

/**
 * One G update on a fresh batch of `batchSize` latents (and uniformly drawn labels when conditional), from `rng`.
 * D runs in training mode (as in the D step) but its state is put back: only G's variables change. Returns the loss
 * as a device scalar (owned by the caller).
 */
export function generatorStep(
  models: GanModels, optimizer: tfjs.Optimizer, batchSize: number, config: StepConfig, rng: Rng,
): GeneratorLosses {
  checkStepConfig(config);
  const { generator: G, discriminator: D } = models;
  const { classes, fromCode } = conditioning(G, D);
  const { z, labels: drawn } = sampleLatent(G, batchSize, rng);
  // A self-conditioned G's labels are the codes it draws from z; a conditional G's are drawn beside z.
  const labels = fromCode ? latentCodeOneHot(z, classes!) : drawn;
  const heads = discriminatorHeads(D, G, classes, config);
  const auxiliary = auxiliaryWeight(config), rotation = rotationWeights(config).g, coding = codeWeight(config);
  const variables = trainableVariables(G);
  const [loss, classLoss, rotationLossValue, codeLossValue, gradientNorm] = withFrozenState(D, () => tf.tidy(() => {
    let classLoss: tfjs.Scalar | null = null;
    let rotationValue: tfjs.Scalar | null = null;
    let codeValue: tfjs.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const fake = call(G, z, fromCode ? null : labels);
      const out = callDiscriminator(D, fake, labels, heads);
      let total = LOSSES[config.loss].generator(out.logits);
      if (auxiliary > 0) {
        classLoss = tf.keep(headLoss(out.classLogits!, labels!));
        total = tf.add(total, tf.mul(auxiliary, classLoss));
      }
      if (rotation > 0) {
        rotationValue = tf.keep(rotationTerm(D, fake, labels, heads));
        total = tf.add(total, tf.mul(rotation, rotationValue));
      }
      if (coding > 0) {
        codeValue = tf.keep(codeLoss(out.codeLogits!, z, heads.codes));
        total = tf.add(total, tf.mul(coding, codeValue));
      }
      return total;
    }, variables);
    const norm = globalNorm(grads);
    optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
    return [value, classLoss ?? tf.scalar(0), rotationValue ?? tf.scalar(0), codeValue ?? tf.scalar(0), norm];
  }));
  tf.dispose([z, ...(labels ? [labels] : [])]);
  return {
    loss: loss as tfjs.Scalar, classLoss: classLoss as tfjs.Scalar, rotationLoss: rotationLossValue as tfjs.Scalar,
    codeLoss: codeLossValue as tfjs.Scalar, gradientNorm: gradientNorm as tfjs.Scalar,
  };
}

/** Optimizers, one per network (Adam keeps its slots by variable position: never share one). */
export interface GanOptimizers {
  generator: tfjs.Optimizer;
  discriminator: tfjs.Optimizer;
}

/**
 * `config.criticSteps` D steps, each on a batch from `nextReal()` (the caller owns and disposes them), then one G step
 * of the same batch size. Returns the last D step's losses, the G step's, and `finite` (bool [2]): whether every D
 * step's loss and the G step's loss were finite. All are device tensors the caller owns (`disposeStepLosses`);
 * nothing is read back.
 */
export function ganStep(
  models: GanModels, optimizers: GanOptimizers, nextReal: () => RealBatch, config: StepConfig, rng: Rng,
): StepLosses {
  checkStepConfig(config);
  let discriminator: DiscriminatorLosses | null = null;
  let discriminatorFinite: tfjs.Tensor | null = null;
  let batchSize = 0;
  for (let i = 0; i < config.criticSteps; i++) {
    const real = nextReal();
    batchSize = real.x.shape[0]!;
    const losses = discriminatorStep(models, optimizers.discriminator, real, config, rng);
    const previous: tfjs.Tensor | null = discriminatorFinite;
    discriminatorFinite = tf.tidy((): tfjs.Tensor => (previous ? tf.logicalAnd(previous, tf.isFinite(losses.loss)) : tf.isFinite(losses.loss)));
    if (discriminator) tf.dispose(Object.values(discriminator));
    previous?.dispose();
    discriminator = losses;
  }
  const generator = generatorStep(models, optimizers.generator, batchSize, config, rng);
  const finite = tf.tidy(() => tf.stack([discriminatorFinite!, tf.isFinite(generator.loss)]) as tfjs.Tensor1D);
  discriminatorFinite!.dispose();
  return { discriminator: discriminator!, generator, finite };
}

/** What ganStep returns: device scalars, owned by the caller. */
export interface StepLosses {
  discriminator: DiscriminatorLosses;
  generator: GeneratorLosses;
  /** bool [2]: every D step's loss was finite; the G step's loss was finite. */
  finite: tfjs.Tensor1D;
}

/** Disposes every tensor of a ganStep result. */
export function disposeStepLosses(losses: StepLosses): void {
  tf.dispose([...Object.values(losses.discriminator), ...Object.values(losses.generator), losses.finite]);
}
