// The scratch networks and losses written with tfjs ops (float32, autograd), for the parity checks and seed runs.
import { tf } from '../tf.js';
import type { Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import { Matrix } from '../scratch/matrix.js';
import { PARAM_NAMES, type Activation, type MlpParams } from '../scratch/mlp.js';

/** tfjs weights (tensors or variables): W1 [in, hidden], b1 [hidden], W2 [hidden, out], b2 [out]. */
export type TfMlp = Record<'W1' | 'b1' | 'W2' | 'b2', Tensor>;

// Reads are asynchronous throughout: in Node the webgpu backend has no synchronous read (dataSync, arraySync and
// bufferSync throw there), and `await data()` works on every backend.

/** Reads `t` (float32) back to the host as a copy, then disposes it. */
export async function read(t: Tensor): Promise<Float32Array> {
  try {
    return (await t.data<'float32'>()).slice();
  } finally {
    t.dispose();
  }
}

/** Runs `f` inside tf.tidy and reads its one kept tensor back (then disposes it): tidy, then `read`. */
export function readTidy(f: () => Tensor): Promise<Float32Array> {
  return read(tf.tidy(f));
}

/** Reads a scalar tensor back to the host, then disposes it. */
export async function readScalar(t: Tensor): Promise<number> {
  return (await read(t))[0]!;
}

/** The same weights as tfjs variables (float32; the scratch init is already float32-exact). */
let variableCount = 0;
export function toVariables(p: MlpParams, prefix: string): Record<keyof TfMlp, Variable> {
  const v = (m: Matrix, name: string, vector: boolean) =>
    tf.tidy(() => tf.variable(vector ? tf.tensor1d(Float32Array.from(m.data)) : tf.tensor2d(Float32Array.from(m.data), m.shape), true, `parity/${prefix}/${name}/${variableCount++}`));
  return { W1: v(p.W1, 'W1', false), b1: v(p.b1, 'b1', true), W2: v(p.W2, 'W2', false), b2: v(p.b2, 'b2', true) };
}

/** Variables (or tensors) in PARAM_NAMES order. */
export function paramList<T>(p: Record<keyof TfMlp, T>): T[] {
  return PARAM_NAMES.map((k) => p[k]);
}

/** Reads tfjs weights back into scratch matrices (b as [1, n]); the tensors stay alive (they are the caller's). */
export async function fromTensors(p: Record<keyof TfMlp, Tensor>): Promise<MlpParams> {
  const m = async (t: Tensor) => {
    const data = await t.data<'float32'>();
    return t.rank === 1 ? Matrix.from(1, t.shape[0]!, data) : Matrix.from(t.shape[0]!, t.shape[1]!, data);
  };
  const [W1, b1, W2, b2] = await Promise.all([m(p.W1), m(p.b1), m(p.W2), m(p.b2)]);
  return { W1, b1, W2, b2 };
}

/** x [batch, in] -> act(x W1 + b1) W2 + b2 [batch, out]. */
export function tfForward(p: TfMlp, x: Tensor2D, activation: Activation = 'relu'): Tensor2D {
  const a = tf.add(tf.matMul(x, p.W1 as Tensor2D), p.b1) as Tensor2D;
  const h = activation === 'relu' ? tf.relu(a) : tf.tanh(a);
  return tf.add(tf.matMul(h, p.W2 as Tensor2D), p.b2) as Tensor2D;
}

/** D's logit clipped to [-20, 20] as in the seed (tfjs's clip passes no gradient outside; the seed's does). */
export function tfLogit(p: TfMlp, x: Tensor2D): Tensor2D {
  return tf.clipByValue(tfForward(p, x), -20, 20);
}

const EPS = 1e-8;
const mean = (t: Tensor) => tf.mean(t);

/** BCE of D on probabilities: -mean log(pReal + eps) - mean log(1 - pFake + eps). */
export function tfDiscriminatorLoss(pReal: Tensor, pFake: Tensor): Tensor {
  return tf.neg(tf.add(mean(tf.log(tf.add(pReal, EPS))), mean(tf.log(tf.add(tf.sub(1, pFake), EPS)))));
}

/** -mean log(pFake + eps). */
export function tfGeneratorLossNonSaturating(pFake: Tensor): Tensor {
  return tf.neg(mean(tf.log(tf.add(pFake, EPS))));
}

/** mean log(1 - pFake + eps) (minimised by G). */
export function tfGeneratorLossSaturating(pFake: Tensor): Tensor {
  return mean(tf.log(tf.add(tf.sub(1, pFake), EPS)));
}

/** mean f(real) - mean f(fake). */
export function tfWassersteinEstimate(cReal: Tensor, cFake: Tensor): Tensor {
  return tf.sub(mean(cReal), mean(cFake));
}

/** lambda * mean (|df/dx| - 1)^2 at xHat [batch, dim], by double backprop (tf.grad inside the caller's gradient). */
export function tfGradientPenalty(p: TfMlp, xHat: Tensor2D, activation: Activation, weight = 10): Tensor {
  const gradX = tf.grad((x: Tensor) => tf.sum(tfForward(p, x as Tensor2D, activation)))(xHat);
  const norms = tf.sqrt(tf.sum(tf.square(gradX), 1));
  return tf.mul(weight, tf.mean(tf.square(tf.sub(norms, 1))));
}

/** `iterations` power-iteration steps on W [rows, cols] from u0 [rows, 1]; returns [sigma, ...u, ...v] [1 + rows + cols]. */
export function tfPowerIteration(W: Tensor2D, u0: Tensor2D, iterations: number): Tensor1D {
  return tf.tidy(() => {
    let u = u0;
    let v = tf.zeros([W.shape[1], 1]) as Tensor2D;
    for (let k = 0; k < iterations; k++) {
      const wtu = tf.matMul(W, u, true, false);
      v = tf.div(wtu, tf.norm(wtu)) as Tensor2D;
      const wv = tf.matMul(W, v);
      u = tf.div(wv, tf.norm(wv)) as Tensor2D;
    }
    const sigma = tf.sum(tf.mul(u, tf.matMul(W, v)));
    return tf.concat([sigma.reshape([1]), u.reshape([-1]), v.reshape([-1])]) as Tensor1D;
  });
}

/** A scratch matrix as a float32 tensor [rows, cols]. */
export function tensor(m: Matrix): Tensor2D {
  return tf.tensor2d(Float32Array.from(m.data), m.shape);
}
