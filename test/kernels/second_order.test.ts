// Double backprop checked against float64 finite differences: the gradient, w.r.t. a critic's weights, of the
// gradient penalty P = mean_b((|grad_x D(x_b)|_2 - 1)^2) (Gulrajani 2017), for every op the toolkit's critics use.
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/random.js';
import { initBackend, tf } from '../../src/tf.js';
import { availableBackends } from '../setup.js';
import { CRITICS as OP_CRITICS, LOG_SOFTMAX, type Critic } from '../helpers/critics.js';
import { MODEL_CRITICS } from '../helpers/model_critics.js';
import { gradientPenalty64, minKinkDistance, resetKinkDistance, t64, type T64 } from '../helpers/f64.js';

const CRITICS = [...OP_CRITICS, ...MODEL_CRITICS];
const BATCH = 3;
const CHECKED = 6; // weight entries checked per critic

// Finite-difference steps, in float64. The inner step h differentiates D w.r.t. x: truncation ~h^2 |D'''| / 6
// ~ 1e-11, rounding ~1e-16 / h ~ 1e-11. The outer step H differentiates P w.r.t. one weight: truncation
// ~H^2 |P'''| / 6 ~ 1e-9, plus the inner rounding noise amplified by 1/H: 1e-11 / 1e-4 = 1e-7. So the reference
// is good to ~1e-7 absolute, far below what float32 autograd can match.
const H_INNER = 1e-5;
const H_OUTER = 1e-4;
// Tolerance |tfjs - reference| <= ATOL + RTOL * |reference|: float32 autograd through two backward passes
// (~10 to 30 chained kernels, sums of up to 108 terms) carries relative errors of ~1e-5 and absolute errors of a
// few 1e-6 where terms cancel. Measured (SECOND_ORDER_REPORT=1 prints it): the worst error is 0.25 of this
// tolerance (the toolkit's dcganDiscriminator, 6e-6 on an entry of 0.023 whose neighbours are ~1: layer norm over
// 64 features in float32), at most 0.04 for every other critic, on cpu and wasm alike.
// Yet it catches each bug fixed in src/kernels/gradients.ts: without the fixes 28 of the 53 tests fail; the
// tanh, sigmoid, softmax, swish, mish and gelu_new critics miss by 450 to 8800 times this tolerance, the others throw.
const ATOL = 2e-5;
const RTOL = 2e-4;
// FD is only valid if no pre-activation of relu/leakyRelu/elu crosses its kink during any evaluation; the
// steps move pre-activations by < 1e-3, so every evaluated value must stay at least that far from 0.
const KINK_MARGIN = 1e-3;

function fround(values: Float32Array): Float64Array {
  return Float64Array.from(values); // float32 values, exactly representable in float64: both sides see the same numbers
}

interface Fixture {
  x: Float64Array;
  weights: Record<string, Float64Array>;
  /** Which (weight, flat index) pairs are checked. */
  checked: Array<[string, number]>;
}

/** A seed from the critic's name (FNV-1a), so adding a critic leaves the others' fixtures as they were. */
function nameSeed(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function fixture(critic: Critic, seed: number): Fixture {
  const rng = new Rng(seed);
  const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
  const x = fround(rng.normalArray(BATCH * size(critic.input)));
  const weights: Record<string, Float64Array> = {};
  const entries: Array<[string, number]> = [];
  for (const [name, [shape, init]] of Object.entries(critic.weights)) {
    const n = size(shape);
    weights[name] = fround(init === 'normal' ? rng.normalArray(n, 0, 0.8) : rng.uniformArray(n, 0.5, 1.5));
    for (let i = 0; i < n; i++) entries.push([name, i]);
  }
  rng.shuffle(entries);
  return { x, weights, checked: entries.slice(0, CHECKED) };
}

/** d P / d w by tfjs autograd (float32), at the checked entries. */
async function penaltyGradientTf(critic: Critic, fx: Fixture): Promise<number[]> {
  const names = Object.keys(critic.weights);
  const values = (): Tensor[] => names.map((n) => tf.tensor(Float32Array.from(fx.weights[n]!), critic.weights[n]![0]));
  const model = critic.model?.();
  if (model) tf.tidy(() => model.setWeights(values()));
  const vars = model
    ? model.weights.map((w) => w.read() as Variable)
    : tf.tidy(() => values().map((v, i) => tf.variable(v, true, `w_${names[i]}`)));
  try {
    const grads = tf.tidy(() => {
      const x = tf.tensor(Float32Array.from(fx.x), [BATCH, ...critic.input]);
      const w = Object.fromEntries(names.map((n, i) => [n, vars[i]! as Tensor]));
      const D = (xx: Tensor): Tensor => (model ? model.apply(xx) as Tensor : critic.tf(xx, w));
      const penalty = (): Scalar => {
        const g = tf.grad((xx: Tensor) => tf.sum(D(xx)))(x);
        const axes = critic.input.map((_, i) => i + 1);
        return tf.mean(tf.square(tf.sub(tf.sqrt(tf.sum(tf.square(g), axes)), 1)));
      };
      // variableGrads leaves out weights that grad_x D does not depend on (a head bias, a batch-norm offset):
      // their penalty gradient is exactly 0.
      return tf.variableGrads(penalty, vars).grads;
    });
    const values = new Map<string, Float32Array>();
    for (const [name, g] of Object.entries(grads)) values.set(name, (await g.data()) as Float32Array);
    tf.dispose(grads);
    return fx.checked.map(([n, i]) => values.get(vars[names.indexOf(n)]!.name)?.[i] ?? 0);
  } finally {
    if (model) model.dispose();
    else vars.forEach((v) => v.dispose());
  }
}

/** d P / d w by central differences of the float64 critic, at the checked entries. */
function penaltyGradient64(critic: Critic, fx: Fixture): number[] {
  const x = t64([BATCH, ...critic.input], fx.x);
  const P = (weights: Record<string, Float64Array>): number => {
    const w: Record<string, T64> = {};
    for (const [n, v] of Object.entries(weights)) w[n] = t64(critic.weights[n]![0], v);
    return gradientPenalty64((xx) => critic.f64(xx, w), x, H_INNER);
  };
  return fx.checked.map(([n, i]) => {
    const shifted = (delta: number): Record<string, Float64Array> => {
      const v = fx.weights[n]!.slice();
      v[i]! += delta;
      return { ...fx.weights, [n]: v };
    };
    return (P(shifted(H_OUTER)) - P(shifted(-H_OUTER))) / (2 * H_OUTER);
  });
}

// The float64 reference does not depend on the backend: computed once per critic.
const references = new Map<string, { expected: number[]; kinkDistance: number }>();
function reference(critic: Critic, fx: Fixture): { expected: number[]; kinkDistance: number } {
  let ref = references.get(critic.name);
  if (!ref) {
    resetKinkDistance();
    ref = { expected: penaltyGradient64(critic, fx), kinkDistance: minKinkDistance() };
    references.set(critic.name, ref);
  }
  return ref;
}

for (const backend of await availableBackends()) {
  describe(`second-order gradients on ${backend}`, () => {
    let previous: string;
    beforeAll(async () => {
      previous = tf.getBackend();
      await initBackend(backend);
    });
    afterAll(async () => {
      if (previous) await tf.setBackend(previous);
    });

    CRITICS.forEach((critic) => {
      it(`matches float64 finite differences for the penalty gradient through ${critic.name}`, async () => {
        const fx = fixture(critic, critic.seed ?? nameSeed(critic.name));
        const { expected, kinkDistance } = reference(critic, fx);
        expect(kinkDistance).toBeGreaterThan(KINK_MARGIN); // the fixture keeps FD away from kinks
        // The check must be able to fail: some checked entries are clearly non-zero (dead relu units give exact 0s).
        expect(expected.filter((e) => Math.abs(e) > 100 * ATOL).length).toBeGreaterThanOrEqual(2);
        const before = tf.memory().numTensors;
        const actual = await penaltyGradientTf(critic, fx);
        expect(tf.memory().numTensors).toBe(before);
        if (process.env.SECOND_ORDER_REPORT) {
          const ratio = Math.max(...actual.map((a, k) => Math.abs(a - expected[k]!) / (ATOL + RTOL * Math.abs(expected[k]!))));
          console.log(`${backend} | ${critic.name} | max |tfjs - float64| / tolerance = ${ratio.toFixed(3)}`);
        }
        actual.forEach((a, k) => {
          const e = expected[k]!;
          const [name, i] = fx.checked[k]!;
          expect(Math.abs(a - e), `${name}[${i}]: tfjs ${a} vs float64 ${e}`).toBeLessThanOrEqual(ATOL + RTOL * Math.abs(e));
        });
      });
    });
  });
}

describe('second-order gradients that tfjs gets wrong and the toolkit refuses', () => {
  it('shows tf.logSoftmax (a customGrad op) giving a wrong penalty gradient; fails if a tfjs upgrade fixes it', async () => {
    await initBackend('cpu');
    const fx = fixture(LOG_SOFTMAX, 7);
    const expected = penaltyGradient64(LOG_SOFTMAX, fx);
    const actual = await penaltyGradientTf(LOG_SOFTMAX, fx);
    const worst = Math.max(...actual.map((a, k) => Math.abs(a - expected[k]!) / (Math.abs(expected[k]!) + 1e-3)));
    expect(worst).toBeGreaterThan(1e-2);
  });
});
