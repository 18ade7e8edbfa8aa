// The parity checks (micrograd style): each computes one quantity in float64 scratch and in float32 tfjs autograd
// from the same fixture. Tolerances: 1e-4 relative for single evaluations (float32 carries ~6e-8 relative per
// operation; these graphs have tens of operations, leaving a margin of ~100x), plus an atol for values near 0.
// tfjs results are read back with `await data()`: in Node the webgpu backend has no synchronous read.
import { tf } from '../tf.js';
import type { Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs';
import { Matrix } from '../scratch/matrix.js';
import { cloneParams, flattenParams, Mlp, type MlpParams } from '../scratch/mlp.js';
import { Discriminator, Generator, WassersteinCritic } from '../scratch/networks.js';
import { discriminatorLoss, generatorLossNonSaturating, generatorLossSaturating, wassersteinLoss } from '../scratch/losses.js';
import { powerIteration } from '../scratch/spectral-norm.js';
import { largestSingularValue } from '../scratch/linalg.js';
import type { Tolerance } from './compare.js';
import type { Fixture } from './fixture.js';
import {
  paramList, tensor, tfDiscriminatorLoss, tfForward, tfGeneratorLossNonSaturating, tfGeneratorLossSaturating, tfLogit,
  tfPowerIteration, tfWassersteinEstimate, readTidy, toVariables, fromTensors, type TfMlp,
} from './tfjs-mlp.js';
import { criticStep } from './tfjs-train.js';

/** One parity check: the same quantity from scratch (float64) and tfjs (float32), flattened. */
export interface ParityCheck {
  name: string;
  tolerance: Tolerance;
  compute(fx: Fixture): Promise<{ scratch: ArrayLike<number>; tfjs: ArrayLike<number> }>;
}

const SINGLE: Tolerance = { atol: 1e-6, rtol: 1e-4 };

const flat = (...parts: (ArrayLike<number> | number)[]) => Float64Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : Array.from(p))));
const scaled = (p: MlpParams, s: number) => flattenParams({ W1: p.W1.scale(s), b1: p.b1.scale(s), W2: p.W2.scale(s), b2: p.b2.scale(s) });
const sum = (a: MlpParams, b: MlpParams): MlpParams => ({ W1: a.W1.add(b.W1), b1: a.b1.add(b.b1), W2: a.W2.add(b.W2), b2: a.b2.add(b.b2) });
const consts = (p: MlpParams): TfMlp => ({ W1: tensor(p.W1), b1: tf.tensor1d(Float32Array.from(p.b1.data)), W2: tensor(p.W2), b2: tf.tensor1d(Float32Array.from(p.b2.data)) });
/** Gradients of f w.r.t. the four weights of `p`, flattened in PARAM_NAMES order, plus f's value first. */
function tfValueAndGrads(p: MlpParams, f: (w: TfMlp) => Tensor): Promise<Float32Array> {
  return readTidy(() => {
    const w = consts(p);
    const { value, grads } = tf.valueAndGrads((...ts: Tensor[]) => f({ W1: ts[0]!, b1: ts[1]!, W2: ts[2]!, b2: ts[3]! }) as Scalar)(paramList(w));
    return tf.concat([value.reshape([1]), ...grads.map((g) => g.reshape([-1]))]);
  });
}
const prob = (p: TfMlp, x: Tensor) => tf.sigmoid(tfLogit(p, x as Tensor2D));

/** Scratch D loss and its weight gradients (mean over the batch) on real and fake batches. */
function scratchDLoss(fx: Fixture, fake: Matrix): { loss: number; grads: MlpParams } {
  const D = new Discriminator(cloneParams(fx.D));
  const pReal = D.forward(fx.real).clone();
  const pFake = D.forward(fake);
  const { loss, gradReal, gradFake } = discriminatorLoss(pReal, pFake);
  D.forward(fx.real);
  D.backward(gradReal, 0);
  const gReal = D.lastGrads!;
  D.forward(fake);
  D.backward(gradFake, 0);
  return { loss, grads: sum(gReal, D.lastGrads!) };
}

/** Scratch G loss through D: value, G's weight gradients (batch mean) and dL/dG(z) (per sample / batch). */
function scratchGLoss(fx: Fixture, kind: 'ns' | 'sat'): { loss: number; grads: MlpParams; gradFake: Matrix; gradLogit: Matrix } {
  const G = new Generator(cloneParams(fx.G));
  const D = new Discriminator(cloneParams(fx.D));
  const pFake = D.forward(G.forward(fx.z));
  const { loss, grad } = (kind === 'ns' ? generatorLossNonSaturating : generatorLossSaturating)(pFake);
  const gradX = D.backward(grad, 0);
  const grads = G.mlp.backward(gradX).grads;
  const n = fx.z.rows;
  return { loss, grads, gradFake: gradX.scale(1 / n), gradLogit: grad.zip(pFake, (g, p) => (g * p * (1 - p)) / n) };
}

function tfGLoss(fx: Fixture, kind: 'ns' | 'sat'): Promise<Float32Array> {
  const loss = kind === 'ns' ? tfGeneratorLossNonSaturating : tfGeneratorLossSaturating;
  return tfValueAndGrads(fx.G, (g) => loss(prob(consts(fx.D), tfForward(g, tensor(fx.z)))));
}

export const CHECKS: ParityCheck[] = [
  {
    name: 'G forward: G(z)', tolerance: SINGLE,
    compute: async (fx) => ({ scratch: new Mlp(fx.G).forward(fx.z).data, tfjs: await readTidy(() => tfForward(consts(fx.G), tensor(fx.z))) }),
  },
  {
    name: 'D forward: D(x) on real and G(z)', tolerance: SINGLE,
    compute: async (fx) => {
      const D = new Discriminator(fx.D);
      const fake = new Mlp(fx.G).forward(fx.z);
      return {
        scratch: flat(D.forward(fx.real).data, D.forward(fake).data),
        tfjs: await readTidy(() => tf.concat([prob(consts(fx.D), tensor(fx.real)), prob(consts(fx.D), tfForward(consts(fx.G), tensor(fx.z)))])),
      };
    },
  },
  {
    name: 'critic forward: f(x) on real', tolerance: SINGLE,
    compute: async (fx) => ({ scratch: new WassersteinCritic(fx.C).forward(fx.real).data, tfjs: await readTidy(() => tfForward(consts(fx.C), tensor(fx.real))) }),
  },
  {
    name: 'D loss (BCE): value and grads w.r.t. W1, b1, W2, b2', tolerance: SINGLE,
    compute: async (fx) => {
      const fake = new Mlp(fx.G).forward(fx.z);
      const { loss, grads } = scratchDLoss(fx, fake);
      const fakeTf = await readTidy(() => tfForward(consts(fx.G), tensor(fx.z)));
      return {
        scratch: flat(loss, scaled(grads, 1 / fx.z.rows)),
        tfjs: await tfValueAndGrads(fx.D, (d) => tfDiscriminatorLoss(prob(d, tensor(fx.real)), prob(d, tf.tensor2d(fakeTf, fake.shape)))),
      };
    },
  },
  {
    name: 'G loss (non-saturating): value and grads w.r.t. G weights', tolerance: SINGLE,
    compute: async (fx) => { const s = scratchGLoss(fx, 'ns'); return { scratch: flat(s.loss, scaled(s.grads, 1 / fx.z.rows)), tfjs: await tfGLoss(fx, 'ns') }; },
  },
  {
    name: 'gradient from D into G(z) (non-saturating)', tolerance: SINGLE,
    compute: async (fx) => ({
      scratch: scratchGLoss(fx, 'ns').gradFake.data,
      tfjs: await readTidy(() => tf.grad((x: Tensor) => tfGeneratorLossNonSaturating(prob(consts(fx.D), x)))(tfForward(consts(fx.G), tensor(fx.z)))),
    }),
  },
  {
    name: 'G loss (saturating): value and grads w.r.t. G weights', tolerance: SINGLE,
    compute: async (fx) => { const s = scratchGLoss(fx, 'sat'); return { scratch: flat(s.loss, scaled(s.grads, 1 / fx.z.rows)), tfjs: await tfGLoss(fx, 'sat') }; },
  },
  {
    // W.r.t. the logit: saturating -D(G(z)) / n, non-saturating -(1 - D(G(z))) / n.
    name: 'saturating vs non-saturating: dL/dlogit of D', tolerance: SINGLE,
    compute: async (fx) => {
      const logitGrad = (loss: (p: Tensor) => Tensor) => readTidy(() =>
        tf.grad((l: Tensor) => loss(tf.sigmoid(l)))(tfLogit(consts(fx.D), tfForward(consts(fx.G), tensor(fx.z)))));
      return {
        scratch: flat(scratchGLoss(fx, 'sat').gradLogit.data, scratchGLoss(fx, 'ns').gradLogit.data),
        tfjs: flat(await logitGrad(tfGeneratorLossSaturating), await logitGrad(tfGeneratorLossNonSaturating)),
      };
    },
  },
  {
    name: 'Wasserstein estimate and critic grads (critic minimises -estimate)', tolerance: SINGLE,
    compute: async (fx) => {
      const C = new WassersteinCritic(fx.C);
      const fake = new Mlp(fx.G).forward(fx.z);
      const w = wassersteinLoss(C.forward(fx.real), C.forward(fake));
      C.forward(fx.real); C.backward(w.gradReal.scale(-1), 0); const gReal = C.lastGrads!;
      C.forward(fake); C.backward(w.gradFake.scale(-1), 0);
      const fakeTf = await readTidy(() => tfForward(consts(fx.G), tensor(fx.z)));
      const t = await tfValueAndGrads(fx.C, (c) => tf.neg(tfWassersteinEstimate(tfForward(c, tensor(fx.real)), tfForward(c, tf.tensor2d(fakeTf, fake.shape)))));
      return { scratch: flat(w.wDistance, scaled(sum(gReal, C.lastGrads!), 1 / fx.z.rows)), tfjs: flat(-t[0]!, t.subarray(1)) };
    },
  },
  {
    name: 'WGAN G loss -mean f(G(z)): grads w.r.t. G weights', tolerance: SINGLE,
    compute: async (fx) => {
      const G = new Generator(cloneParams(fx.G));
      const C = new WassersteinCritic(fx.C);
      C.forward(G.forward(fx.z));
      const grads = G.mlp.backward(C.backward(Matrix.full(fx.z.rows, 1, -1), 0)).grads;
      const t = await tfValueAndGrads(fx.G, (g) => tf.neg(tf.mean(tfForward(consts(fx.C), tfForward(g, tensor(fx.z))))));
      return { scratch: scaled(grads, 1 / fx.z.rows), tfjs: t.subarray(1) };
    },
  },
  {
    name: 'critic SGD step (lr 0.05) + weight clipping at 0.5: params after', tolerance: SINGLE,
    compute: async (fx) => {
      const C = new WassersteinCritic(cloneParams(fx.C));
      const G = new Mlp(fx.G);
      const fake = G.forward(fx.z);
      const w = wassersteinLoss(C.forward(fx.real), C.forward(fake));
      C.backward(w.gradFake.scale(-1), 0.05);
      C.forward(fx.real);
      C.backward(w.gradReal.scale(-1), 0.05);
      C.clipWeights(0.5);
      const vars = toVariables(fx.C, 'C');
      const opt = tf.train.sgd(0.05);
      const g = consts(fx.G);
      await criticStep(g, vars, fx.real, fx.z, opt, 0.5); // computes G(z) itself from the noise
      const after = flattenParams(await fromTensors(vars));
      opt.dispose();
      tf.dispose([...paramList(vars), ...paramList(g)]);
      return { scratch: flattenParams(C.mlp.params), tfjs: after };
    },
  },
  {
    name: 'spectral norm: one power iteration (sigma, u, v)', tolerance: SINGLE,
    compute: async (fx) => {
      const s = powerIteration(fx.W, fx.u0, 1);
      return { scratch: flat(s.sigma, s.u.data, s.v.data), tfjs: await readTidy(() => tfPowerIteration(tensor(fx.W), tensor(fx.u0), 1)) };
    },
  },
  {
    // Power iteration converges geometrically (ratio (sigma2/sigma1)^2 per step); 100 steps reach float32 precision here.
    name: 'spectral norm: 100 power iterations (tfjs) vs exact sigma (Jacobi)', tolerance: SINGLE,
    compute: async (fx) => ({
      scratch: [largestSingularValue(fx.W.data, fx.W.rows, fx.W.cols)],
      tfjs: [(await readTidy(() => tfPowerIteration(tensor(fx.W), tensor(fx.u0), 100)))[0]!],
    }),
  },
];
