// The two-layer MLP under every scratch network: x -> act(x W1 + b1) -> h W2 + b2, with a hand-written backward pass.
import { Matrix, matmul, matmulTA, matmulTB } from './matrix.js';
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
    this.x = x;
    this.a = matmul(x, this.params.W1).addRow(this.params.b1);
    this.h = this.a.map(f);
    return matmul(this.h, this.params.W2).addRow(this.params.b2);
  }

  /**
   * Backward from dL/d(output) [batch, out] through the cached forward pass. Returns the weight gradients summed
   * over the batch (as the seed computes them; the seed divides by the batch size in its update) and dL/dx
   * [batch, in] per sample, computed with the weights as they were in forward.
   */
  backward(gradOut: Matrix): { grads: MlpParams; gradInput: Matrix } {
    if (!this.x || !this.a || !this.h) throw new Error('Mlp.backward called before forward');
    const { df } = activationFns(this.activation);
    const W2 = matmulTA(this.h, gradOut);
    const b2 = gradOut.sumRows();
    const gradH = matmulTB(gradOut, this.params.W2);
    const gradA = gradH.zip(this.a, (g, a) => g * df(a));
    const W1 = matmulTA(this.x, gradA);
    const b1 = gradA.sumRows();
    return { grads: { W1, b1, W2, b2 }, gradInput: matmulTB(gradA, this.params.W1) };
  }

  /** The seed's SGD update: W -= lr * grad / batchSize for every weight (lr = 0 leaves the weights unchanged). */
  sgd(grads: MlpParams, lr: number, batchSize: number): void {
    if (lr === 0) return;
    for (const k of PARAM_NAMES) this.params[k] = this.params[k].sub(grads[k].scale(lr / batchSize));
  }
}
