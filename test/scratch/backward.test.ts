import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/scratch/matrix.js';
import { cloneParams, heInit, Mlp, PARAM_NAMES, type Activation, type MlpParams } from '../../src/scratch/mlp.js';
import { Discriminator } from '../../src/scratch/networks.js';
import { discriminatorLoss, generatorLossNonSaturating, generatorLossSaturating } from '../../src/scratch/losses.js';
import { gradientPenalty } from '../../src/scratch/gradient-penalty.js';
import { gaussian } from '../../src/scratch/data.js';
import { Rng } from '../../src/random.js';

const close = (a: number, b: number, atol: number, rtol: number) => Math.abs(a - b) <= atol + rtol * Math.abs(b);

/** Central differences (float64, h = 1e-6) of f w.r.t. every entry of every weight matrix. */
function numericGrads(params: MlpParams, f: (p: MlpParams) => number): MlpParams {
  const out = cloneParams(params);
  for (const k of PARAM_NAMES) {
    for (let i = 0; i < params[k].data.length; i++) {
      const plus = cloneParams(params), minus = cloneParams(params);
      plus[k].data[i] = plus[k].data[i]! + 1e-6;
      minus[k].data[i] = minus[k].data[i]! - 1e-6;
      out[k].data[i] = (f(plus) - f(minus)) / 2e-6;
    }
  }
  return out;
}

function expectGradsClose(analytic: MlpParams, numeric: MlpParams): void {
  // Central differences at h = 1e-6 in float64 are good to ~1e-8 here (truncation h^2 and rounding eps/h).
  for (const k of PARAM_NAMES) {
    analytic[k].data.forEach((v, i) => expect(close(v, numeric[k].data[i]!, 1e-7, 1e-5), `${k}[${i}]: ${v} vs ${numeric[k].data[i]}`).toBe(true));
  }
}

function setup(activation: Activation, seed = 11) {
  const rng = new Rng(seed);
  const params = heInit(rng, 3, 8, 2);
  params.b1 = params.b1.map(() => 0.1 * rng.normal());
  const x = gaussian(rng, 5, 3);
  const r = gaussian(rng, 5, 2); // loss = sum(out * r): dL/dout = r
  const loss = (p: MlpParams, xx = x) => new Mlp(p, activation).forward(xx).mul(r).sum();
  return { params, x, r, loss };
}

describe('scratch backward passes against float64 finite differences', () => {
  for (const activation of ['relu', 'tanh'] as const) {
    it(`gives the MLP's weight and input gradients (${activation})`, () => {
      const { params, x, r, loss } = setup(activation);
      const mlp = new Mlp(cloneParams(params), activation);
      mlp.forward(x);
      const { grads, gradInput } = mlp.backward(r);
      expectGradsClose(grads, numericGrads(params, (p) => loss(p)));
      gradInput.data.forEach((g, i) => {
        const plus = x.clone(), minus = x.clone();
        plus.data[i] = plus.data[i]! + 1e-6;
        minus.data[i] = minus.data[i]! - 1e-6;
        expect(close(g, (loss(params, plus) - loss(params, minus)) / 2e-6, 1e-7, 1e-5)).toBe(true);
      });
    });
  }

  it('gives the gradient of the BCE and both G losses through the sigmoid discriminator, per sample', () => {
    const rng = new Rng(12);
    const params = heInit(rng, 2, 8, 1);
    const x = gaussian(rng, 6, 2);
    const lossOf = (p: MlpParams, which: 'real' | 'fake' | 'ns' | 'sat') => {
      const prob = new Discriminator(p).forward(x);
      if (which === 'real') return discriminatorLoss(prob, Matrix.full(6, 1, 0)).loss;
      if (which === 'fake') return discriminatorLoss(Matrix.full(6, 1, 1), prob).loss;
      return (which === 'ns' ? generatorLossNonSaturating : generatorLossSaturating)(prob).loss;
    };
    for (const which of ['real', 'fake', 'ns', 'sat'] as const) {
      const D = new Discriminator(cloneParams(params));
      const prob = D.forward(x);
      const grad = which === 'real' ? discriminatorLoss(prob, Matrix.full(6, 1, 0)).gradReal
        : which === 'fake' ? discriminatorLoss(Matrix.full(6, 1, 1), prob).gradFake
        : (which === 'ns' ? generatorLossNonSaturating : generatorLossSaturating)(prob).grad;
      D.backward(grad, 0);
      // The losses' gradients are per sample; the loss is a batch mean, hence the 1/6.
      const analytic = D.lastGrads!;
      const scaled = { W1: analytic.W1.scale(1 / 6), b1: analytic.b1.scale(1 / 6), W2: analytic.W2.scale(1 / 6), b2: analytic.b2.scale(1 / 6) };
      expectGradsClose(scaled, numericGrads(params, (p) => lossOf(p, which)));
    }
  });

  it('leaves the weights unchanged with lr = 0 and moves them by lr * mean gradient otherwise', () => {
    const rng = new Rng(13);
    const params = heInit(rng, 2, 4, 1);
    const x = gaussian(rng, 4, 2);
    const D = new Discriminator(cloneParams(params));
    D.forward(x);
    const gx0 = D.backward(Matrix.full(4, 1, 1), 0);
    expect(Array.from(D.mlp.params.W1.data)).toEqual(Array.from(params.W1.data));
    D.forward(x);
    const gx1 = D.backward(Matrix.full(4, 1, 1), 0.5);
    // The input gradient uses the forward pass's weights even when the step updates them (the seed's does not).
    expect(Array.from(gx1.data)).toEqual(Array.from(gx0.data));
    const moved = D.mlp.params.W2.data[0]! - params.W2.data[0]!;
    expect(close(moved, -0.5 * D.lastGrads!.W2.data[0]! / 4, 1e-15, 1e-12)).toBe(true);
    expect(moved).not.toBe(0);
  });

  for (const activation of ['relu', 'tanh'] as const) {
    it(`gives the gradient penalty's gradient w.r.t. the critic's weights by hand-written double backprop (${activation})`, () => {
      const rng = new Rng(14);
      const params = heInit(rng, 2, 8, 1);
      params.b1 = params.b1.map(() => 0.2 * rng.normal());
      const xHat = gaussian(rng, 5, 2);
      const { grads, penalty } = gradientPenalty(params, xHat, activation, 10);
      expect(penalty).toBeGreaterThan(0);
      expectGradsClose(grads, numericGrads(params, (p) => gradientPenalty(p, xHat, activation, 10).penalty));
    });
  }
});
