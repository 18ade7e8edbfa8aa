// assertSecondOrderSafe: a gradient penalty through a layer tfjs cannot differentiate twice is a GradientError.
import type { layers, Sequential, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, GradientError } from '../../src/errors.js';
import { assertSecondOrderSafe, secondOrderProblems } from '../../src/kernels/second_order.js';
import { dcganDiscriminator, dcganGenerator } from '../../src/models/dcgan.js';
import { mlpDiscriminator } from '../../src/models/mlp.js';
import { Rng } from '../../src/random.js';
import { tf } from '../../src/tf.js';
import { resolveConfig } from '../../src/train/config.js';
import { DEFAULT_STEP_CONFIG, discriminatorStep } from '../../src/train/steps.js';
import { testBackend } from '../setup.js';

function critic(name: string, body: layers.Layer[]): Sequential {
  return tf.sequential({ name, layers: body });
}

describe('assertSecondOrderSafe', () => {
  beforeAll(async () => {
    await testBackend();
  });

  it('accepts a WGAN-GP critic: conv2d, leakyReLU, layer norm, dense', () => {
    const model = critic('gp_critic', [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.layerNormalization(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, activation: 'tanh' }),
      tf.layers.dense({ units: 1 }),
    ]);
    expect(() => assertSecondOrderSafe(model)).not.toThrow();
    model.dispose();
  });

  it("accepts the toolkit's penalty-ready critics: dcgan with layer norm or spectral norm, conditional, and mlp", () => {
    const models = [
      dcganDiscriminator({ imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3, normalization: 'layer' }),
      dcganDiscriminator({ imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3, normalization: 'none', spectralNorm: true }),
      dcganDiscriminator({ imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3, normalization: 'layer', numClasses: 3, conditioning: 'projection' }),
      mlpDiscriminator({ inputDim: 2, hiddenUnits: [3], activation: 'tanh', normalization: 'layer' }),
    ];
    for (const model of models) expect(secondOrderProblems(model)).toEqual([]);
    models.forEach((m) => m.dispose());
  });

  it('refuses batch norm in training form, naming the layer and suggesting layer norm', () => {
    const model = critic('bn_critic', [
      tf.layers.dense({ inputShape: [3], units: 4, name: 'hidden' }),
      tf.layers.batchNormalization({ name: 'bn' }),
      tf.layers.dense({ units: 1, name: 'out' }),
    ]);
    expect(() => assertSecondOrderSafe(model)).toThrow(GradientError);
    expect(() => assertSecondOrderSafe(model)).toThrow(/^a gradient penalty cannot go through model 'bn_critic': layer 'bn_critic\/bn' \(BatchNormalization\): batch norm in training form .* layer normalization in the critic instead$/);
    expect(() => assertSecondOrderSafe(model, { training: false })).not.toThrow();
    model.dispose();
  });

  it('refuses max pooling and a logSoftmax activation, listing both, also inside a nested model', () => {
    const inner = critic('block', [
      tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, padding: 'same', name: 'conv' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
    ]);
    // tfjs-layers registers the 'logSoftmax' activation, but its ActivationIdentifier type leaves it out
    const outer = critic('outer', [inner, tf.layers.flatten(), tf.layers.dense({ units: 2, activation: 'logSoftmax' as 'softmax', name: 'head' })]);
    const problems = secondOrderProblems(outer);
    expect(problems.map((p) => [p.layer, p.className])).toEqual([['outer/block/pool', 'MaxPooling2D'], ['outer/head', 'Dense']]);
    expect(() => assertSecondOrderSafe(outer)).toThrow(/layer 'outer\/block\/pool' \(MaxPooling2D\): .*MaxPoolGrad.*; layer 'outer\/head' \(Dense\): activation 'logSoftmax'/);
    outer.dispose();
  });

  it('makes a D step with a gradient penalty or R1 refuse a batch-norm critic, and accept a layer-norm one', () => {
    const G = dcganGenerator({ latentDim: 2, imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3, seed: 1 });
    const withBatchNorm = dcganDiscriminator({ imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3, normalization: 'batch', seed: 2 });
    const withLayerNorm = dcganDiscriminator({ imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3, normalization: 'layer', seed: 2 });
    const x = tf.zeros([2, 16, 16, 1]);
    const step = (D: typeof withBatchNorm, penalty: object) => {
      const optimizer = tf.train.adam(1e-3); // one per step: Adam keeps its slots by position, per model
      try {
        discriminatorStep({ generator: G, discriminator: D }, optimizer, { x }, { ...DEFAULT_STEP_CONFIG, loss: 'wasserstein', ...penalty }, new Rng(1));
      } finally {
        optimizer.dispose();
      }
    };
    expect(() => step(withBatchNorm, { gradientPenaltyWeight: 10 })).toThrow(GradientError);
    expect(() => step(withBatchNorm, { r1Weight: 1 })).toThrow(/\(BatchNormalization\): batch norm in training form/);
    expect(() => step(withBatchNorm, {})).not.toThrow(); // no penalty: batch norm is fine
    expect(() => step(withLayerNorm, { gradientPenaltyWeight: 10 })).not.toThrow();
    tf.dispose([x]);
    [G, withBatchNorm, withLayerNorm].forEach((m) => m.dispose());
  });

  it('makes the training config refuse batch norm in the critic with a penalty, before anything runs', () => {
    const expected = new ConfigError("discriminatorNormalization: expected 'layer' or 'none' when gradientPenaltyWeight or r1Weight > 0 but got 'batch'");
    expect(() => resolveConfig({ discriminatorNormalization: 'batch', gradientPenaltyWeight: 10 })).toThrow(expected);
    expect(() => resolveConfig({ discriminatorNormalization: 'batch', r1Weight: 1 })).toThrow(expected);
    expect(resolveConfig({ discriminatorNormalization: 'layer', gradientPenaltyWeight: 10 }).gradientPenaltyWeight).toBe(10);
  });

  it('refuses max pooling because tfjs itself cannot differentiate it twice (fails if a tfjs upgrade fixes it)', () => {
    const x = tf.randomNormal([1, 4, 4, 1], 0, 1, 'float32', 1);
    const w = tf.scalar(1.5);
    const penalty = (scale: Tensor): Tensor => tf.sum(tf.square(tf.grad((xx: Tensor) => tf.sum(tf.mul(tf.maxPool(xx as Tensor4D, 2, 2, 'valid'), scale)))(x)));
    expect(() => tf.grad(penalty)(w)).toThrow(/MaxPoolGrad/);
    tf.dispose([x, w]);
  });
});
