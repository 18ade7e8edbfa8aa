import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { ConfigError, GradientError, ShapeError } from '../../src/errors.js';
import { dcganDiscriminator, dcganGenerator } from '../../src/models/dcgan.js';
import { mlpDiscriminator, mlpGenerator } from '../../src/models/mlp.js';
import { Rng } from '../../src/random.js';
import { DEFAULT_STEP_CONFIG, discriminatorStep, ganStep, generatorStep, readLosses, trainableVariables, type GanModels } from '../../src/train/steps.js';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';

beforeAll(async () => {
  await testBackend();
});

/** Every weight of a model (trainable and not: BatchNorm moving stats, spectral-norm u), by variable name. */
async function snapshot(model: tfjs.LayersModel): Promise<Map<string, Float32Array>> {
  const values = await Promise.all(model.weights.map(async (w) => Float32Array.from(await w.read().data())));
  return new Map(model.weights.map((w, i) => [w.originalName, values[i]!]));
}

async function changedNames(model: tfjs.LayersModel, before: Map<string, Float32Array>): Promise<string[]> {
  const after = await snapshot(model);
  return [...before].filter(([name, values]) => after.get(name)!.some((v, i) => v !== values[i])).map(([name]) => name);
}

// A conditional DCGAN pair with every kind of state: BatchNorm in G and D (moving stats), spectral norm in D (u).
function statefulPair(): GanModels {
  return {
    generator: dcganGenerator({ latentDim: 4, imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3, numClasses: 3, seed: 1 }),
    discriminator: dcganDiscriminator({
      imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3, numClasses: 3, spectralNorm: true, normalization: 'batch', seed: 2,
    }),
  };
}

describe('discriminatorStep and generatorStep', () => {
  it("change only their own network's variables, moving statistics and spectral-norm vectors included", async () => {
    const models = statefulPair();
    const rng = new Rng(1);
    const x = tf.randomUniform([4, 16, 16, 1], -1, 1, 'float32', 3);
    const labels = tf.tensor1d([0, 1, 2, 1], 'int32');
    // Not hinge: with every logit inside (-1, 1) its gradient w.r.t. D's output bias is exactly 0 and the bias would not move.
    const config = { ...DEFAULT_STEP_CONFIG, loss: 'leastSquares' as const };
    const dOpt = tf.train.adam(1e-3), gOpt = tf.train.adam(1e-3);
    const g0 = await snapshot(models.generator), d0 = await snapshot(models.discriminator);

    discriminatorStep(models, dOpt, { x, labels }, config, rng);
    expect(await changedNames(models.generator, g0)).toEqual([]);
    expect(await changedNames(models.discriminator, d0)).toEqual([...d0.keys()]);
    expect([...d0.keys()].some((n) => n.endsWith('moving_mean'))).toBe(true);
    expect([...d0.keys()].some((n) => n.endsWith('/u'))).toBe(true);

    const d1 = await snapshot(models.discriminator);
    generatorStep(models, gOpt, 4, config, rng);
    expect(await changedNames(models.discriminator, d1)).toEqual([]);
    expect(await changedNames(models.generator, g0)).toEqual([...g0.keys()]);
    expect([...g0.keys()].some((n) => n.endsWith('moving_variance'))).toBe(true);
  });

  it('keep Adam slots in the order of the trainable weights', () => {
    const models = { generator: mlpGenerator({ latentDim: 2, hiddenUnits: [3], outputDim: 2, seed: 1 }), discriminator: mlpDiscriminator({ inputDim: 2, hiddenUnits: [3], seed: 2 }) };
    const opt = tf.train.adam(1e-3);
    discriminatorStep(models, opt, { x: tf.zeros([2, 2]) }, DEFAULT_STEP_CONFIG, new Rng(2));
    const slotNames = opt.getWeights().then((ws) => ws.slice(1).map((w) => w.name));
    const names = trainableVariables(models.discriminator).map((v) => v.name);
    return expect(slotNames).resolves.toEqual([...names.map((n) => `${n}/m`), ...names.map((n) => `${n}/v`)]);
  });

  it('run criticSteps D steps, each on its own real batch, per G step', () => {
    const models = { generator: mlpGenerator({ latentDim: 2, hiddenUnits: [3], outputDim: 2, seed: 1 }), discriminator: mlpDiscriminator({ inputDim: 2, hiddenUnits: [3], seed: 2 }) };
    const optimizers = { generator: tf.train.adam(1e-3), discriminator: tf.train.adam(1e-3) };
    let batches = 0;
    const x = tf.zeros([5, 2]);
    ganStep(models, optimizers, () => {
      batches++;
      return { x };
    }, { ...DEFAULT_STEP_CONFIG, loss: 'wasserstein', criticSteps: 3, weightClip: 0.01 }, new Rng(3));
    expect(batches).toBe(3);
    expect(optimizers.discriminator.iterations).toBe(3);
    expect(optimizers.generator.iterations).toBe(1);
  });

  it('draw everything from the Rng, so the same seed gives the same losses and another seed other losses', async () => {
    const run = async (seed: number) => {
      const models = { generator: mlpGenerator({ latentDim: 2, hiddenUnits: [3], outputDim: 2, seed: 1 }), discriminator: mlpDiscriminator({ inputDim: 2, hiddenUnits: [3], activation: 'tanh', seed: 2 }) };
      const optimizers = { generator: tf.train.adam(1e-2), discriminator: tf.train.adam(1e-2) };
      const x = tf.tensor2d([[1, 2], [0, -1], [3, 1]]);
      const rng = new Rng(seed);
      const out = [];
      for (let i = 0; i < 3; i++) {
        const losses = ganStep(models, optimizers, () => ({ x }), { ...DEFAULT_STEP_CONFIG, loss: 'wasserstein', gradientPenaltyWeight: 10 }, rng);
        out.push({ d: await readLosses(losses.discriminator), g: await readLosses(losses.generator), finite: Array.from(await losses.finite.data()) });
        losses.finite.dispose();
      }
      return out;
    };
    const first = await run(9);
    expect(first.every((s) => s.finite.every(Boolean) && Number.isFinite(s.d.loss))).toBe(true);
    expect(await run(9)).toEqual(first);
    // Same weights and data, another Rng: other latents and interpolation weights, so other losses.
    expect((await run(10)).map((s) => s.d.loss)).not.toEqual(first.map((s) => s.d.loss));
  });

  it('reject labels for unconditional models, missing labels for conditional ones, and bad config values', () => {
    const models = { generator: mlpGenerator({ latentDim: 2, hiddenUnits: [3], outputDim: 2 }), discriminator: mlpDiscriminator({ inputDim: 2, hiddenUnits: [3] }) };
    const opt = tf.train.adam(1e-3);
    const x = tf.zeros([2, 2]);
    expect(() => discriminatorStep(models, opt, { x, labels: tf.zeros([2], 'int32') }, DEFAULT_STEP_CONFIG, new Rng(1))).toThrow(
      new ShapeError('real.labels: the models are unconditional but labels were given'),
    );
    const conditional = { generator: mlpGenerator({ latentDim: 2, hiddenUnits: [3], outputDim: 2, numClasses: 2 }), discriminator: mlpDiscriminator({ inputDim: 2, hiddenUnits: [3], numClasses: 2 }) };
    expect(() => discriminatorStep(conditional, opt, { x }, DEFAULT_STEP_CONFIG, new Rng(1))).toThrow(
      new ShapeError('real.labels: the models are conditional but no labels were given'),
    );
    expect(() => generatorStep(models, opt, 2, { ...DEFAULT_STEP_CONFIG, criticSteps: 0 }, new Rng(1))).toThrow(
      new ConfigError('criticSteps: expected a positive integer but got 0'),
    );
    expect(() => generatorStep(models, opt, 2, { ...DEFAULT_STEP_CONFIG, r1Weight: -1 }, new Rng(1))).toThrow(
      new ConfigError('r1Weight: expected a number >= 0 but got -1'),
    );
  });

  it('refuse a gradient penalty or R1 through a critic with BatchNorm, naming the layer', () => {
    const models = {
      generator: dcganGenerator({ latentDim: 4, imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3 }),
      discriminator: dcganDiscriminator({ imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3, normalization: 'batch' }),
    };
    const x = tf.zeros([2, 16, 16, 1]);
    for (const penalty of [{ gradientPenaltyWeight: 10 }, { r1Weight: 1 }]) {
      expect(() => discriminatorStep(models, tf.train.adam(1e-3), { x }, { ...DEFAULT_STEP_CONFIG, ...penalty }, new Rng(1))).toThrow(
        /^a gradient penalty cannot go through model 'discriminator': layer 'discriminator\/batch_normalization\w*' \(BatchNormalization\)/,
      );
    }
    expect(() => discriminatorStep(models, tf.train.adam(1e-3), { x }, { ...DEFAULT_STEP_CONFIG, gradientPenaltyWeight: 1 }, new Rng(1))).toThrow(GradientError);
  });
});
