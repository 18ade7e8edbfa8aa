// Refuses a gradient penalty (WGAN-GP, Gulrajani 2017; R1, Mescheder 2018) through layers that tfjs 4.22 cannot
// differentiate twice, or that make the per-sample penalty meaningless, with a GradientError naming the layer.
import type { LayersModel } from '@tensorflow/tfjs';
import { GradientError } from '../errors.js';

/** One layer a gradient penalty cannot go through, and why. */
export interface SecondOrderProblem {
  /** Path of layer names, outer model first: 'critic/block1/bn'. */
  layer: string;
  className: string;
  reason: string;
}

export interface SecondOrderOptions {
  /**
   * Whether the critic runs in training mode when the penalty is taken (default true, as in a critic step).
   * Batch norm in inference form (fixed moving moments) is twice differentiable and is then allowed.
   */
  training?: boolean;
}

const MAX_POOL = 'tfjs-core 4.22 has no gradient for the MaxPoolGrad kernel that max pooling\'s gradient runs, so '
  + 'the second backprop throws; use a strided convolution or average pooling';
const POOL_3D = 'tfjs-core 4.22 has no gradient for the 3D pooling backward kernels (MaxPool3DGrad, AvgPool3DGrad)';
const LOG_SOFTMAX = 'tf.logSoftmax is a customGrad op whose gradient reads its own saved output, which the tape '
  + 'treats as a constant: the second-order gradient is silently wrong (no registered gradient can fix a customGrad '
  + 'op); use softmax, or logits minus tf.logSumExp';
const BATCH_NORM = 'batch norm in training form normalises each sample with statistics of the whole batch, so the '
  + 'per-sample gradient norm the penalty constrains is not defined; WGAN-GP (Gulrajani 2017, section 4) uses layer '
  + 'normalization in the critic instead';

/** Layer classes refused whatever their config. */
const REFUSED: Record<string, string> = {
  MaxPooling1D: MAX_POOL,
  MaxPooling2D: MAX_POOL,
  MaxPooling3D: POOL_3D,
  AveragePooling3D: POOL_3D,
};

/** Activations (by their serialized name) refused in any layer that applies one. */
const REFUSED_ACTIVATIONS: Record<string, string> = { logSoftmax: LOG_SOFTMAX };

interface LayerLike {
  name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  layers?: LayerLike[];
}

function collect(layer: LayerLike, path: string, options: Required<SecondOrderOptions>, out: SecondOrderProblem[]): void {
  const className = layer.getClassName();
  const here = path ? `${path}/${layer.name}` : layer.name;
  const refused = REFUSED[className];
  if (refused) out.push({ layer: here, className, reason: refused });
  if (className === 'BatchNormalization' && options.training) out.push({ layer: here, className, reason: BATCH_NORM });
  const activation = layer.getConfig().activation;
  if (typeof activation === 'string' && REFUSED_ACTIVATIONS[activation]) {
    out.push({ layer: here, className, reason: `activation '${activation}': ${REFUSED_ACTIVATIONS[activation]}` });
  }
  for (const inner of layer.layers ?? []) collect(inner, here, options, out);
}

/**
 * Lists the layers of `model` (nested models included) that a gradient penalty cannot go through. Layers not
 * listed here (dense, conv2d, conv2dTranspose, reshape, concat, layer norm, relu, leakyRelu, elu, tanh, sigmoid,
 * softplus, softmax, average pooling, ...) are checked against float64 finite differences by
 * test/kernels/second_order.test.ts. Custom layers are assumed safe: test them the same way.
 */
export function secondOrderProblems(model: LayersModel, options: SecondOrderOptions = {}): SecondOrderProblem[] {
  const resolved = { training: options.training ?? true };
  const out: SecondOrderProblem[] = [];
  for (const layer of model.layers as unknown as LayerLike[]) collect(layer, model.name, resolved, out);
  return out;
}

// Models already found safe, per training flag: a model's layers are fixed once it is built, so a D step can call
// assertSecondOrderSafe every step at the cost of one lookup.
const checked = new WeakMap<LayersModel, Set<boolean>>();

/**
 * Throws GradientError, naming every offending layer and why, if a gradient penalty through `model` would
 * throw or be silently wrong. Call it once when a regularizer that differentiates a gradient is set up.
 */
export function assertSecondOrderSafe(model: LayersModel, options: SecondOrderOptions = {}): void {
  const training = options.training ?? true;
  if (checked.get(model)?.has(training)) return;
  const problems = secondOrderProblems(model, options);
  if (problems.length === 0) {
    checked.set(model, (checked.get(model) ?? new Set()).add(training));
    return;
  }
  const lines = problems.map((p) => `layer '${p.layer}' (${p.className}): ${p.reason}`);
  throw new GradientError(`a gradient penalty cannot go through model '${model.name}': ${lines.join('; ')}`);
}
