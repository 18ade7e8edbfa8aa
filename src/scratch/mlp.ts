// The two-layer MLP under every scratch network: x -> act(x W1 + b1) -> h W2 + b2, with a hand-written backward pass.
import { Matrix } from './matrix.js';
import type { Rng } from '../random.js';

/** Hidden activation. The seed uses ReLU everywhere; tanh exists for the double-backprop (gradient penalty) checks. */
export type Activation = 'relu' | 'tanh';

/** Weights of a two-layer MLP: W1 [in, hidden], b1 [1, hidden], W2 [hidden, out], b2 [1, out]. */
export interface MlpParams {
  W1: Matrix;
  b1: Matrix;
  W2: Matrix;
  b2: Matrix;
}

/** The parameter names in the fixed order used everywhere (flattening, tfjs variable lists). */
export const PARAM_NAMES = ['W1', 'b1', 'W2', 'b2'] as const;

/** phi, phi' and phi'' of an activation, as functions of the pre-activation a. */
export function activationFns(activation: Activation): { f: (a: number) => number; df: (a: number) => number; d2f: (a: number) => number } {
  if (activation === 'relu') return { f: (a) => (a > 0 ? a : 0), df: (a) => (a > 0 ? 1 : 0), d2f: () => 0 };
  return {
    f: Math.tanh,
    df: (a) => 1 - Math.tanh(a) ** 2,
    d2f: (a) => { const t = Math.tanh(a); return -2 * t * (1 - t * t); },
  };
}

/**
 * He initialisation as in the seed: W ~ N(0, 2 / fanIn), biases zero. Draws W1 then W2, row-major.
 * Values are rounded to float32 so a tfjs copy of the network starts from exactly the same weights.
 */
export function heInit(rng: Rng, inputDim: number, hiddenDim: number, outputDim: number): MlpParams {
  const w = (fanIn: number, fanOut: number) => {
    const std = Math.sqrt(2 / fanIn);
    return new Matrix(fanIn, fanOut, Float64Array.from({ length: fanIn * fanOut }, () => Math.fround(rng.normal() * std)));
  };
  const W1 = w(inputDim, hiddenDim);
  const W2 = w(hiddenDim, outputDim);
  return { W1, b1: new Matrix(1, hiddenDim), W2, b2: new Matrix(1, outputDim) };
}

/** Deep copy of MLP weights. */
export function cloneParams(p: MlpParams): MlpParams {
  return { W1: p.W1.clone(), b1: p.b1.clone(), W2: p.W2.clone(), b2: p.b2.clone() };
}

/** All weights in PARAM_NAMES order, flattened into one array (for comparisons). */
export function flattenParams(p: MlpParams): Float64Array {
  return Float64Array.from(PARAM_NAMES.flatMap((k) => Array.from(p[k].data)));
}

/** Two-layer MLP holding its activations from the last forward pass (like the seed's classes). */
export class Mlp {
  params: MlpParams;
  private x: Matrix | null = null;
  private a: Matrix | null = null;
  private h: Matrix | null = null;

  constructor(params: MlpParams, readonly activation: Activation = 'relu') {
    this.params = params;
  }

  /** x [batch, in] -> linear output [batch, out]; caches x, the pre-activation and h for backward. */
  forward(x: Matrix): Matrix {
    const { f } = activationFns(this.activation);
    const { W1, b1, W2, b2 } = this.params;
    const [n, d] = x.shape, H = W1.cols, o = W2.cols;
    // Plain loops (no temporaries): the seed-reproduction runs spend most of their time here.
    const a = new Float64Array(n * H), h = new Float64Array(n * H), out = new Float64Array(n * o);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < H; j++) {
        let v = b1.data[j]!;
        for (let k = 0; k < d; k++) v += x.data[i * d + k]! * W1.data[k * H + j]!;
        a[i * H + j] = v;
        h[i * H + j] = f(v);
      }
      for (let c = 0; c < o; c++) {
        let v = b2.data[c]!;
        for (let j = 0; j < H; j++) v += h[i * H + j]! * W2.data[j * o + c]!;
        out[i * o + c] = v;
      }
    }
    this.x = x;
    this.a = new Matrix(n, H, a);
    this.h = new Matrix(n, H, h);
    return new Matrix(n, o, out);
  }

  /**
   * Backward from dL/d(output) [batch, out] through the cached forward pass. Returns the weight gradients summed
   * over the batch (as the seed computes them; the seed divides by the batch size in its update) and dL/dx
   * [batch, in] per sample, computed with the weights as they were in forward.
   */
  backward(gradOut: Matrix): { grads: MlpParams; gradInput: Matrix } {
    if (!this.x || !this.a || !this.h) throw new Error('Mlp.backward called before forward');
    const { df } = activationFns(this.activation);
    const { W1: w1, W2: w2 } = this.params;
    const [n, d] = this.x.shape, H = w1.cols, o = w2.cols;
    const x = this.x.data, a = this.a.data, h = this.h.data, g = gradOut.data;
    const W1 = new Float64Array(d * H), b1 = new Float64Array(H), W2 = new Float64Array(H * o), b2 = new Float64Array(o);
    const gradA = new Float64Array(H), gradX = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < o; c++) b2[c] = b2[c]! + g[i * o + c]!;
      for (let j = 0; j < H; j++) {
        let gh = 0;
        for (let c = 0; c < o; c++) {
          const gc = g[i * o + c]!;
          W2[j * o + c] = W2[j * o + c]! + h[i * H + j]! * gc;
          gh += gc * w2.data[j * o + c]!;
        }
        const ga = gh * df(a[i * H + j]!);
        gradA[j] = ga;
        b1[j] = b1[j]! + ga;
      }
      for (let k = 0; k < d; k++) {
        const xk = x[i * d + k]!;
        let gx = 0;
        for (let j = 0; j < H; j++) {
          W1[k * H + j] = W1[k * H + j]! + xk * gradA[j]!;
          gx += gradA[j]! * w1.data[k * H + j]!;
        }
        gradX[i * d + k] = gx;
      }
    }
    return {
      grads: { W1: new Matrix(d, H, W1), b1: new Matrix(1, H, b1), W2: new Matrix(H, o, W2), b2: new Matrix(1, o, b2) },
      gradInput: new Matrix(n, d, gradX),
    };
  }

  /** The seed's SGD update: W -= lr * grad / batchSize for every weight (lr = 0 leaves the weights unchanged). */
  sgd(grads: MlpParams, lr: number, batchSize: number): void {
    if (lr === 0) return;
    for (const k of PARAM_NAMES) this.params[k] = this.params[k].sub(grads[k].scale(lr / batchSize));
  }
}
