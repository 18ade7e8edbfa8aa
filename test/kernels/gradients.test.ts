// Second derivatives of single activations through the registered gradient fixes, against closed forms.
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPARISON_KERNELS } from '../../src/kernels/gradients.js';
import { tf } from '../../src/tf.js';
import { takeData, testBackend } from '../setup.js';

const X = [-1.7, -0.4, 0.3, 1.1, 2.2];

/** d^2 f / dx^2 at X by tfjs double backprop. */
async function second(f: (x: Tensor) => Tensor): Promise<number[]> {
  return Array.from(await takeData(tf.tidy(() => tf.grad(tf.grad((x: Tensor) => tf.sum(f(x))))(tf.tensor1d(X)))));
}

function expectClose(actual: number[], expected: number[]): void {
  // float32 evaluation of smooth closed forms of size ~1: 1e-5 absolute covers rounding, not a wrong formula
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(expected[i]!)));
}

describe('gradient fixes', () => {
  beforeAll(async () => {
    await testBackend();
  });

  it('gives every comparison kernel a gradient', () => {
    for (const name of COMPARISON_KERNELS) expect(tf.getGradient(name), name).toBeDefined();
  });

  it('differentiates tanh twice: -2 tanh(x) (1 - tanh(x)^2)', async () => {
    expectClose(await second(tf.tanh), X.map((x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)));
  });

  it('differentiates sigmoid twice: s (1 - s) (1 - 2 s)', async () => {
    const s = (x: number): number => 1 / (1 + Math.exp(-x));
    expectClose(await second(tf.sigmoid), X.map((x) => s(x) * (1 - s(x)) * (1 - 2 * s(x))));
  });

  it('differentiates elu twice: exp(x) below 0, 0 above', async () => {
    expectClose(await second(tf.elu), X.map((x) => (x > 0 ? 0 : Math.exp(x))));
  });

  it('differentiates exp twice: exp(x)', async () => {
    expectClose(await second(tf.exp), X.map(Math.exp));
  });

  it('differentiates leakyRelu, relu6 and selu twice without throwing (zero or the exponential branch)', async () => {
    expectClose(await second((x) => tf.leakyRelu(x, 0.2)), X.map(() => 0));
    expectClose(await second(tf.relu6), X.map(() => 0));
    const scaleAlpha = 1.0507009873554805 * 1.6732632423543772;
    expectClose(await second(tf.selu), X.map((x) => (x > 0 ? 0 : scaleAlpha * Math.exp(x))));
  });

  it('leaves no tensors behind', async () => {
    await second(tf.tanh);
    const before = tf.memory().numTensors;
    await second(tf.tanh);
    await second((x) => tf.leakyRelu(x, 0.2));
    expect(tf.memory().numTensors).toBe(before);
  });
});
