import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { ConfigError } from '../../src/errors.js';
import { LOSSES, LOSS_NAMES, checkLossName, type LossName } from '../../src/losses/index.js';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';

beforeAll(async () => {
  await testBackend();
});

// float32 autograd against float64 closed forms: values of order 1, so 1e-6 absolute + 1e-5 relative is ~10 ulps.
const ATOL = 1e-6;
const RTOL = 1e-5;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, b = expected[i]!;
    if (!(Math.abs(a - b) <= ATOL + RTOL * Math.abs(b))) throw new Error(`index ${i}: got ${a}, expected ${b}`);
  }
}

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
const softplus = (t: number) => Math.log1p(Math.exp(t));
const mean = (xs: number[], f: (t: number) => number) => xs.reduce((s, t) => s + f(t), 0) / xs.length;

// Different batch sizes for real and fake catch a mean taken over the wrong axis or count; no value sits on a hinge kink.
const REAL = [1.7, -0.4, 0.3, 2.6, -1.9];
const FAKE = [-0.8, 0.45, -2.2];

interface ClosedForm {
  d: number;
  g: number;
  dReal: (r: number) => number;
  dFake: (f: number) => number;
  gFake: (f: number) => number;
}

const nr = REAL.length, nf = FAKE.length;
const CLOSED: Record<LossName, ClosedForm> = {
  minimax: {
    d: mean(REAL, (r) => softplus(-r)) + mean(FAKE, softplus),
    g: -mean(FAKE, softplus),
    dReal: (r) => (sigmoid(r) - 1) / nr,
    dFake: (f) => sigmoid(f) / nf,
    gFake: (f) => -sigmoid(f) / nf,
  },
  nonSaturating: {
    d: mean(REAL, (r) => softplus(-r)) + mean(FAKE, softplus),
    g: mean(FAKE, (f) => softplus(-f)),
    dReal: (r) => (sigmoid(r) - 1) / nr,
    dFake: (f) => sigmoid(f) / nf,
    gFake: (f) => (sigmoid(f) - 1) / nf,
  },
  wasserstein: {
    d: mean(FAKE, (f) => f) - mean(REAL, (r) => r),
    g: -mean(FAKE, (f) => f),
    dReal: () => -1 / nr,
    dFake: () => 1 / nf,
    gFake: () => -1 / nf,
  },
  hinge: {
    d: mean(REAL, (r) => Math.max(0, 1 - r)) + mean(FAKE, (f) => Math.max(0, 1 + f)),
    g: -mean(FAKE, (f) => f),
    dReal: (r) => (r < 1 ? -1 / nr : 0),
    dFake: (f) => (f > -1 ? 1 / nf : 0),
    gFake: () => -1 / nf,
  },
  leastSquares: {
    d: 0.5 * mean(REAL, (r) => (r - 1) ** 2) + 0.5 * mean(FAKE, (f) => f * f),
    g: 0.5 * mean(FAKE, (f) => (f - 1) ** 2),
    dReal: (r) => (r - 1) / nr,
    dFake: (f) => f / nf,
    gFake: (f) => (f - 1) / nf,
  },
};

describe('GAN losses', () => {
  for (const name of LOSS_NAMES) {
    it(`${name}: D and G loss values and their gradients w.r.t. the logits match the closed forms`, async () => {
      const before = tf.memory().numTensors;
      const real = tf.tensor2d(REAL, [nr, 1]);
      const fake = tf.tensor2d(FAKE, [nf, 1]);
      const loss = LOSSES[name];
      const dValue = loss.discriminator(real, fake);
      const gValue = loss.generator(fake);
      const [gradReal, gradFake] = tf.grads((r: tfjs.Tensor, f: tfjs.Tensor) => loss.discriminator(r, f))([real, fake]);
      const gradG = tf.grad((f: tfjs.Tensor) => loss.generator(f))(fake);
      const c = CLOSED[name];
      expectClose(await dValue.data(), [c.d]);
      expectClose(await gValue.data(), [c.g]);
      expectClose(await gradReal!.data(), REAL.map(c.dReal));
      expectClose(await gradFake!.data(), FAKE.map(c.dFake));
      expectClose(await gradG.data(), FAKE.map(c.gFake));
      tf.dispose([real, fake, dValue, gValue, gradReal!, gradFake!, gradG]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('accept logits of shape [batch] as well as [batch, 1]', async () => {
    const flat = LOSSES.hinge.discriminator(tf.tensor1d(REAL), tf.tensor1d(FAKE));
    expectClose(await flat.data(), [CLOSED.hinge.d]);
  });

  it('reject an unknown loss name, listing the known ones', () => {
    expect(() => checkLossName('vanilla')).toThrow(
      new ConfigError("loss: expected one of minimax, nonSaturating, wasserstein, hinge, leastSquares but got 'vanilla'"),
    );
  });
});
