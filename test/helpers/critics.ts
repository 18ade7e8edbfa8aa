// Tiny critics D(x) -> [n], each built through one op, written twice: in tfjs (float32) and in float64 (f64.ts).
import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { tf } from '../../src/tf.js';
import * as f64 from './f64.js';
import type { T64 } from './f64.js';

export type Weights<T> = Record<string, T>;

/** How a weight is initialised: 'normal' N(0, 0.8^2), 'positive' U(0.5, 1.5) (variances, scales). */
export type Init = 'normal' | 'positive';

export interface Critic {
  name: string;
  /** Shape of one sample (the batch axis is prepended). */
  input: number[];
  /** Weight name -> [shape, init]. The penalty gradient is taken with respect to all of them. */
  weights: Record<string, [number[], Init]>;
  /** The critic in tfjs: x [n, ...input] -> [n]. */
  tf: (x: Tensor, w: Weights<Tensor>) => Tensor;
  /** Fixture seed, where the default one puts a pre-activation too near a kink for finite differences. */
  seed?: number;
  /** If set, the tfjs side is this tf.layers model (weights in `weights` order) instead of `tf`. */
  model?: () => LayersModel;
  /** The same critic in float64: x [n, ...input] -> [n]. */
  f64: (x: T64, w: Weights<T64>) => Float64Array;
}

const W = (w: Weights<Tensor>, name: string): Tensor => w[name]!;
export const W64 = (w: Weights<T64>, name: string): T64 => w[name]!;

/** Linear head: flatten h to [n, k], then h @ v [k, 1] + c [1] -> [n]. */
function head(h: Tensor, w: Weights<Tensor>): Tensor {
  const flat = tf.reshape(h, [h.shape[0]!, -1]);
  return tf.reshape(tf.add(tf.matMul(flat, W(w, 'v')), W(w, 'c')), [h.shape[0]!]);
}
export function head64(h: T64, w: Weights<T64>): Float64Array {
  const n = h.shape[0]!;
  return f64.dense(f64.reshape(h, [n, h.data.length / n]), W64(w, 'v'), W64(w, 'c')).data;
}
export const headWeights = (k: number): Record<string, [number[], Init]> => ({ v: [[k, 1], 'normal'], c: [[1], 'normal'] });

const dense = (x: Tensor, w: Weights<Tensor>, k = 'k', b = 'b'): Tensor => tf.add(tf.matMul(x, W(w, k)), W(w, b));
export const dense64 = (x: T64, w: Weights<T64>, k = 'k', b = 'b'): T64 => f64.dense(x, W64(w, k), W64(w, b));
const softplus64 = (t: T64): T64 => f64.map(t, f64.ACTIVATIONS64.softplus);

const ACTIVATIONS_TF: Record<f64.Activation64, (z: Tensor) => Tensor> = {
  relu: (z) => tf.relu(z),
  leakyRelu: (z) => tf.leakyRelu(z, 0.2),
  tanh: (z) => tf.tanh(z),
  sigmoid: (z) => tf.sigmoid(z),
  elu: (z) => tf.elu(z),
  softplus: (z) => tf.softplus(z),
  linear: (z) => z,
};

/**
 * dense(4 -> 8) -> activation -> dense(8 -> 1): one critic per activation (the 'linear' one is plain dense).
 * relu's biases are positive so that no sample has every unit dead: there |grad_x D| = 0 and the penalty's
 * sqrt has an infinite derivative (tfjs gives NaN, honestly).
 */
function activationCritic(act: f64.Activation64): Critic {
  return {
    name: act === 'linear' ? 'dense (matMul + bias), linear' : `dense -> ${act}`,
    input: [4],
    weights: { k: [[4, 8], 'normal'], b: [[8], act === 'relu' ? 'positive' : 'normal'], ...headWeights(8) },
    tf: (x, w) => head(ACTIVATIONS_TF[act](dense(x, w)), w),
    f64: (x, w) => head64(f64.map(dense64(x, w), f64.ACTIVATIONS64[act]), w),
  };
}

function convCritic(input: [number, number, number], kernel: number, filters: number, stride: number, pad: 'same' | 'valid'): Critic {
  const [h, wd] = input;
  const out = (s: number): number => (pad === 'same' ? Math.ceil(s / stride) : Math.ceil((s - kernel + 1) / stride));
  return {
    name: `conv2d ${kernel}x${kernel} stride ${stride} ${pad} -> softplus`,
    input,
    weights: { k: [[kernel, kernel, input[2], filters], 'normal'], b: [[filters], 'normal'], ...headWeights(out(h) * out(wd) * filters) },
    tf: (x, w) => head(tf.softplus(tf.add(tf.conv2d(x as Tensor4D, W(w, 'k') as Tensor4D, stride, pad), W(w, 'b'))), w),
    f64: (x, w) => {
      const z = f64.conv2d(x, W64(w, 'k'), stride, pad);
      return head64(softplus64(f64.map(z, (v, i) => v + W64(w, 'b').data[i % filters]!)), w);
    },
  };
}

/** dense(4 -> 8) -> a tfjs-layers activation, applied by tf.layers.activation -> dense(8 -> 1). */
function layerActivationCritic(act: f64.LayerActivation64): Critic {
  let layer: ReturnType<typeof tf.layers.activation> | undefined;
  return {
    name: `dense -> tf.layers activation '${act}'`,
    input: [4],
    weights: { k: [[4, 8], 'normal'], b: [[8], 'normal'], ...headWeights(8) },
    tf: (x, w) => {
      layer ??= tf.layers.activation({ activation: act });
      return head(layer.apply(dense(x, w)) as Tensor, w);
    },
    f64: (x, w) => head64(f64.map(dense64(x, w), f64.LAYER_ACTIVATIONS64[act]), w),
  };
}

/** dense(4 -> 5) -> softmax or logSoftmax over features -> head. */
function softmaxCritic(log: boolean): Critic {
  return {
    name: `dense -> ${log ? 'logSoftmax' : 'softmax'}`,
    input: [4],
    weights: { k: [[4, 5], 'normal'], b: [[5], 'normal'], ...headWeights(5) },
    tf: (x, w) => head(log ? tf.logSoftmax(dense(x, w)) : tf.softmax(dense(x, w)), w),
    f64: (x, w) => head64(f64.softmax(dense64(x, w), log), w),
  };
}

/** conv2d 3x3 same (2 -> 2 channels) -> softplus -> avgPool 2x2 stride 2 -> softplus -> head. */
const avgPool: Critic = {
  name: 'avgPool 2x2 stride 2 valid (after conv2d -> softplus) -> softplus',
  input: [4, 4, 2],
  weights: { k: [[3, 3, 2, 2], 'normal'], b: [[2], 'normal'], ...headWeights(2 * 2 * 2) },
  tf: (x, w) => {
    const h = tf.softplus(tf.add(tf.conv2d(x as Tensor4D, W(w, 'k') as Tensor4D, 1, 'same'), W(w, 'b')));
    return head(tf.softplus(tf.avgPool(h as Tensor4D, 2, 2, 'valid')), w);
  },
  f64: (x, w) => {
    const h = softplus64(f64.map(f64.conv2d(x, W64(w, 'k'), 1, 'same'), (v, i) => v + W64(w, 'b').data[i % 2]!));
    return head64(softplus64(f64.avgPoolValid(h, 2, 2)), w);
  },
};

const transposeOut = [6, 6, 3] as const;
const conv2dTranspose: Critic = {
  name: 'conv2dTranspose 3x3 stride 2 same -> softplus',
  input: [3, 3, 2],
  weights: { k: [[3, 3, transposeOut[2], 2], 'normal'], b: [[transposeOut[2]], 'normal'], ...headWeights(6 * 6 * 3) },
  tf: (x, w) => {
    const y = tf.conv2dTranspose(x as Tensor4D, W(w, 'k') as Tensor4D, [x.shape[0]!, ...transposeOut], 2, 'same');
    return head(tf.softplus(tf.add(y, W(w, 'b'))), w);
  },
  f64: (x, w) => {
    const y = f64.conv2dTranspose(x, W64(w, 'k'), [x.shape[0]!, ...transposeOut], 2, 'same');
    return head64(softplus64(f64.map(y, (v, i) => v + W64(w, 'b').data[i % transposeOut[2]]!)), w);
  },
};

const reshape: Critic = {
  name: 'reshape [2, 3] -> [6] -> dense -> softplus -> reshape [2, 2] -> head',
  input: [2, 3],
  weights: { k: [[6, 4], 'normal'], b: [[4], 'normal'], ...headWeights(4) },
  tf: (x, w) => head(tf.reshape(tf.softplus(dense(tf.reshape(x, [x.shape[0]!, 6]), w)), [x.shape[0]!, 2, 2]), w),
  f64: (x, w) => head64(softplus64(dense64(f64.reshape(x, [x.shape[0]!, 6]), w)), w),
};

const concat: Critic = {
  name: 'concat [softplus(dense), x, softplus(dense)] -> head',
  input: [3],
  weights: { k: [[3, 4], 'normal'], b: [[4], 'normal'], k2: [[3, 2], 'normal'], b2: [[2], 'normal'], ...headWeights(9) },
  tf: (x, w) => head(tf.concat([tf.softplus(dense(x, w)), x, tf.softplus(dense(x, w, 'k2', 'b2'))], -1), w),
  f64: (x, w) => head64(f64.concat([softplus64(dense64(x, w)), x, softplus64(dense64(x, w, 'k2', 'b2'))]), w),
};

export const EPS = 1e-3;
const batchNormInference: Critic = {
  name: 'batch norm, inference form (tf.batchNorm with fixed moments) -> softplus',
  input: [4],
  weights: {
    k: [[4, 5], 'normal'], b: [[5], 'normal'], mean: [[5], 'normal'], variance: [[5], 'positive'],
    offset: [[5], 'normal'], scale: [[5], 'positive'], ...headWeights(5),
  },
  tf: (x, w) => head(tf.softplus(tf.batchNorm(dense(x, w), W(w, 'mean'), W(w, 'variance'), W(w, 'offset'), W(w, 'scale'), EPS)), w),
  f64: (x, w) => head64(softplus64(f64.batchNormInference(dense64(x, w), W64(w, 'mean'), W64(w, 'variance'), W64(w, 'offset'), W64(w, 'scale'), EPS)), w),
};

/** Layer norm written as tf.layers.layerNormalization computes it: moments over features, tiled, tf.batchNorm. */
const layerNorm: Critic = {
  name: 'layer norm (moments over features, as tf.layers.layerNormalization) -> softplus',
  input: [4],
  weights: { k: [[4, 5], 'normal'], b: [[5], 'normal'], gamma: [[5], 'positive'], beta: [[5], 'normal'], ...headWeights(5) },
  tf: (x, w) => {
    const z = dense(x, w);
    const [n, f] = z.shape as [number, number];
    const { mean, variance } = tf.moments(z, -1, true);
    const tile = (t: Tensor, reps: number[]): Tensor => tf.tile(t, reps);
    const gamma = tile(tf.reshape(W(w, 'gamma'), [1, f]), [n, 1]), beta = tile(tf.reshape(W(w, 'beta'), [1, f]), [n, 1]);
    return head(tf.softplus(tf.batchNorm(z, tile(mean, [1, f]), tile(variance, [1, f]), beta, gamma, EPS)), w);
  },
  f64: (x, w) => head64(softplus64(f64.layerNorm(dense64(x, w), W64(w, 'gamma'), W64(w, 'beta'), EPS)), w),
};

/** tf.logSoftmax: a customGrad op whose gradient reads its saved output, so double backprop is wrong (refused). */
export const LOG_SOFTMAX = softmaxCritic(true);

/** The op-level critics of the suite, one per op the toolkit's critics use (model critics: model_critics.ts). */
export const CRITICS: Critic[] = [
  ...(['relu', 'leakyRelu', 'tanh', 'sigmoid', 'elu', 'softplus', 'linear'] as const).map(activationCritic),
  ...(['selu', 'relu6', 'hardSigmoid', 'softsign', 'swish', 'mish', 'gelu', 'gelu_new'] as const).map(layerActivationCritic),
  softmaxCritic(false),
  convCritic([5, 5, 2], 3, 3, 2, 'same'),
  convCritic([4, 4, 2], 2, 2, 1, 'valid'),
  conv2dTranspose,
  avgPool,
  reshape,
  concat,
  batchNormInference,
  layerNorm,
];
