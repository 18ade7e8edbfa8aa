// The learning-rate schedule: constant, then a linear fall to 0 at the last step; Adam takes the rate it is given.
import { beforeAll, describe, expect, it } from 'vitest';
import { applyLearningRates, learningRateFactor } from '../../src/train/schedule.js';
import { resolveConfig } from '../../src/train/config.js';
import type { Scalar } from '@tensorflow/tfjs';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';

beforeAll(async () => {
  await testBackend();
});

describe('learning-rate schedule', () => {
  it('is constant before learningRateDecayStart, then falls linearly, reaching 1/(steps - start) at the last step', () => {
    const config = { steps: 10, learningRateDecayStart: 6 };
    expect([0, 5, 6, 7, 8, 9].map((done) => learningRateFactor(done, config))).toEqual([1, 1, 1, 0.75, 0.5, 0.25]);
    expect(learningRateFactor(9, { steps: 10, learningRateDecayStart: 0 })).toBe(1);
  });

  it("sets both Adam rates, and Adam's first update moves each weight by exactly the rate set (|m/sqrt(v)| = 1)", async () => {
    const config = { steps: 10, learningRateDecayStart: 6, generatorLearningRate: 0.1, discriminatorLearningRate: 0.02 };
    const optimizers = { generator: tf.train.adam(1), discriminator: tf.train.adam(1) };
    applyLearningRates(optimizers, 8, config); // factor 0.5
    const g = tf.variable(tf.tensor1d([1, -2])), d = tf.variable(tf.tensor1d([3]));
    optimizers.generator.minimize(() => tf.sum(g) as Scalar);
    optimizers.discriminator.minimize(() => tf.sum(tf.neg(d)) as Scalar);
    const [gv, dv] = [Array.from(await g.data()), Array.from(await d.data())];
    // float32: the first Adam step is lr * g / (|g| + eps), eps = 1e-7 relative
    [1 - 0.05, -2 - 0.05].forEach((want, i) => expect(Math.abs(gv[i]! - want)).toBeLessThan(1e-6));
    expect(Math.abs(dv[0]! - (3 + 0.01))).toBeLessThan(1e-6);
  });

  it('keeps the rates constant when the decay would start at or after the last step (a preset shortened with --steps)', () => {
    const config = resolveConfig({ steps: 100, learningRateDecayStart: 1500 });
    expect([0, 99].map((done) => learningRateFactor(done, config))).toEqual([1, 1]);
    expect(learningRateFactor(99, { steps: 100, learningRateDecayStart: 100 })).toBe(1);
    expect(resolveConfig({ steps: 100, learningRateDecayStart: 99 }).learningRateDecayStart).toBe(99);
  });
});
