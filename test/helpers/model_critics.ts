// Critics built as tf.layers models, the way the toolkit builds them, each with its float64 twin.
import { dcganDiscriminator } from '../../src/models/dcgan.js';
import { tf } from '../../src/tf.js';
import { dense64, EPS, head64, headWeights, W64, type Critic } from './critics.js';
import * as f64 from './f64.js';
import type { T64 } from './f64.js';

/**
 * A critic as the toolkit builds them, from tf.layers (fused dense/conv kernels, layers' own layer norm):
 * conv2d 3x3 stride 2 same -> leakyReLU 0.2 -> flatten -> dense tanh -> layerNormalization -> dense 1.
 */
const layersModel: Critic = {
  name: 'a tf.layers critic: conv2d -> leakyReLU -> flatten -> dense tanh -> layerNormalization -> dense',
  input: [4, 4, 1],
  weights: {
    k: [[3, 3, 1, 2], 'normal'], b: [[2], 'normal'], k2: [[8, 4], 'normal'], b2: [[4], 'normal'],
    gamma: [[4], 'positive'], beta: [[4], 'normal'], ...headWeights(4),
  },
  tf: () => {
    throw new Error('the tfjs side of this critic is its model');
  },
  model: () => tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, activation: 'tanh' }),
      tf.layers.layerNormalization({ epsilon: EPS }),
      tf.layers.dense({ units: 1 }),
    ],
  }),
  f64: (x, w) => {
    const n = x.shape[0]!;
    const z = f64.map(f64.conv2d(x, W64(w, 'k'), 2, 'same'), (v, i) => f64.ACTIVATIONS64.leakyRelu(v + W64(w, 'b').data[i % 2]!));
    const h = f64.map(dense64(f64.reshape(z, [n, 8]), w, 'k2', 'b2'), Math.tanh);
    return head64(f64.layerNorm(h, W64(w, 'gamma'), W64(w, 'beta'), EPS), w);
  },
};

/**
 * The toolkit's own WGAN-GP critic, dcganDiscriminator with layer norm, at 16x16x1 and base width 2:
 * conv2d 3x3 s2 (bias) -> leakyReLU 0.2 -> conv2d 3x3 s2 (no bias) -> layerNormalization over [h, w, c]
 * (epsilon 1e-5) -> leakyReLU 0.2 -> flatten -> dense 1.
 */
const dcganCritic: Critic = {
  name: "the toolkit's dcganDiscriminator with layer norm (16x16x1, base width 2)",
  input: [16, 16, 1],
  seed: 29, // 576 leakyReLU pre-activations: a seed whose nearest one is 0.02 from the kink (the default is not)
  weights: {
    k: [[3, 3, 1, 2], 'normal'], b: [[2], 'normal'], k2: [[3, 3, 2, 4], 'normal'],
    gamma: [[4, 4, 4], 'positive'], beta: [[4, 4, 4], 'normal'], ...headWeights(64),
  },
  tf: layersModel.tf,
  model: () => dcganDiscriminator({ imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3, normalization: 'layer', seed: 1 }),
  f64: (x, w) => {
    const n = x.shape[0]!;
    const leaky = f64.ACTIVATIONS64.leakyRelu;
    const h1 = f64.map(f64.conv2d(x, W64(w, 'k'), 2, 'same'), (v, i) => leaky(v + W64(w, 'b').data[i % 2]!));
    const h2 = f64.reshape(f64.conv2d(h1, W64(w, 'k2'), 2, 'same'), [n, 64]);
    const flat = (t: T64): T64 => f64.reshape(t, [64]);
    return head64(f64.map(f64.layerNorm(h2, flat(W64(w, 'gamma')), flat(W64(w, 'beta')), 1e-5), leaky), w);
  },
};

/** Model-level critics, checked after the op-level ones. */
export const MODEL_CRITICS: Critic[] = [layersModel, dcganCritic];
