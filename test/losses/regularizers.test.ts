import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../../src/errors.js';
import { gradientPenalty } from '../../src/losses/gradient_penalty.js';
import { r1Penalty } from '../../src/losses/r1.js';
import { clipWeights } from '../../src/losses/weight_clipping.js';
import { mlpDiscriminator } from '../../src/models/mlp.js';
import { Rng } from '../../src/random.js';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';

beforeAll(async () => {
  await testBackend();
});

// float32 double backprop against float64 closed forms over ~12-value sums: 1e-5 relative covers the rounding.
function expectClose(actual: number, expected: number, atol = 1e-6, rtol = 1e-5): void {
  if (!(Math.abs(actual - expected) <= atol + rtol * Math.abs(expected))) throw new Error(`got ${actual}, expected ${expected}`);
}

// A quadratic critic D(x_i) = c/2 |x_i|^2 has grad_x D = c x_i: the penalty depends on each sample's own norm, so a
// shared interpolation weight, a batch-wide norm or a missing sqrt changes the value.
function quadraticCritic(c: tfjs.Tensor): (x: tfjs.Tensor) => tfjs.Tensor {
  return (x) => tf.mul(tf.mul(0.5, c), tf.sum(tf.square(x), Array.from({ length: x.rank - 1 }, (_, i) => i + 1)));
}

function samples(rng: Rng, shape: number[]): { t: tfjs.Tensor; rows: number[][] } {
  const [batch, ...rest] = shape;
  const per = rest.reduce((a, b) => a * b, 1);
  const data = rng.normalArray(batch! * per);
  const rows = Array.from({ length: batch! }, (_, i) => Array.from(data.subarray(i * per, (i + 1) * per)));
  return { t: tf.tensor(data, shape), rows };
}

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('gradient penalty (WGAN-GP)', () => {
  for (const shape of [[4, 3], [3, 2, 2, 3]]) {
    it(`interpolates with one weight per sample and takes each sample's norm, for inputs of shape [${shape}]`, async () => {
      const rng = new Rng(3);
      const before = tf.memory().numTensors;
      const real = samples(rng, shape), fake = samples(rng, shape);
      const alphas = Array.from({ length: shape[0]! }, () => rng.uniform());
      const alpha = tf.tensor1d(alphas);
      const c = 0.7;
      const cT = tf.scalar(c);
      const [penalty, dPenalty] = [
        gradientPenalty(quadraticCritic(cT), real.t, fake.t, alpha),
        tf.grad((cc: tfjs.Tensor) => gradientPenalty(quadraticCritic(cc), real.t, fake.t, alpha))(cT),
      ];
      const interpNorms = real.rows.map((r, i) => norm(r.map((v, j) => alphas[i]! * v + (1 - alphas[i]!) * fake.rows[i]![j]!)));
      const expected = interpNorms.reduce((s, n) => s + (c * n - 1) ** 2, 0) / interpNorms.length;
      const expectedGrad = interpNorms.reduce((s, n) => s + 2 * (c * n - 1) * n, 0) / interpNorms.length;
      expectClose((await penalty.data())[0]!, expected);
      expectClose((await dPenalty.data())[0]!, expectedGrad);
      tf.dispose([real.t, fake.t, alpha, cT, penalty, dPenalty]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('passes the label to a conditional critic through the closure', async () => {
    const D = mlpDiscriminator({ inputDim: 2, hiddenUnits: [4], numClasses: 3, activation: 'tanh', seed: 1 });
    const y = tf.oneHot([0, 2], 3).toFloat();
    const x = tf.tensor2d([[0.1, 0.2], [0.3, -0.4]]);
    const gp = gradientPenalty((xx) => D.apply([xx, y]) as tfjs.Tensor, x, x, tf.tensor1d([0.5, 0.5]));
    expect(Number.isFinite((await gp.data())[0])).toBe(true);
  });

  it('rejects alpha with the wrong number of values and mismatched real/fake shapes', () => {
    const x = tf.zeros([4, 2]);
    const critic = quadraticCritic(tf.scalar(1));
    expect(() => gradientPenalty(critic, x, x, tf.zeros([3]))).toThrow(
      new ShapeError('gradientPenalty: expected alpha of 4 values (one per sample) but got shape [3]'),
    );
    expect(() => gradientPenalty(critic, x, tf.zeros([4, 3]), tf.zeros([4]))).toThrow(ShapeError);
  });
});

describe('R1 penalty', () => {
  it('equals the mean squared input-gradient norm on real data, and its gradient w.r.t. the critic is exact', async () => {
    const rng = new Rng(5);
    const real = samples(rng, [3, 2, 2, 1]);
    const c = 1.3;
    const cT = tf.scalar(c);
    const value = (await r1Penalty(quadraticCritic(cT), real.t).data())[0]!;
    const grad = (await tf.grad((cc: tfjs.Tensor) => r1Penalty(quadraticCritic(cc), real.t))(cT).data())[0]!;
    const meanSq = real.rows.reduce((s, r) => s + norm(r) ** 2, 0) / real.rows.length;
    expectClose(value, c * c * meanSq);
    expectClose(grad, 2 * c * meanSq);
  });
});

describe('weight clipping', () => {
  it('clips every trainable weight into [-c, c] and leaves smaller ones alone', async () => {
    const D = mlpDiscriminator({ inputDim: 3, hiddenUnits: [5], seed: 2 });
    const before = await Promise.all(D.getWeights().map(async (w) => Array.from(await w.data())));
    clipWeights(D, 0.05);
    const after = await Promise.all(D.getWeights().map(async (w) => Array.from(await w.data())));
    after.forEach((values, i) => {
      const old = before[i]!;
      values.forEach((v, j) => expect(v).toBe(Math.fround(Math.max(-0.05, Math.min(0.05, old[j]!)))));
    });
    expect(() => clipWeights(D, 0)).toThrow(new ConfigError('clipValue: expected a positive number but got 0'));
  });
});
