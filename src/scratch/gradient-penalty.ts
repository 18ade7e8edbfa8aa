// WGAN-GP gradient penalty (Gulrajani et al. 2017) for the two-layer MLP critic, with its gradient w.r.t. the critic's
// weights written out by hand (double backprop): lambda * mean_i (||d f(x_i) / d x_i|| - 1)^2.
import { Matrix } from './matrix.js';
import { activationFns, type Activation, type MlpParams } from './mlp.js';
import type { Rng } from '../random.js';

/** x_hat = eps * real + (1 - eps) * fake with eps ~ U(0, 1) per sample (float32-rounded); all [batch, dim]. */
export function interpolate(rng: Rng, real: Matrix, fake: Matrix): Matrix {
  const eps = rng.uniformArray(real.rows);
  return real.map((r, k) => Math.fround(eps[Math.floor(k / real.cols)]! * r + (1 - eps[Math.floor(k / real.cols)]!) * fake.data[k]!));
}

/**
 * Penalty and its gradients w.r.t. W1, b1, W2, b2 for f(x) = phi(x W1 + b1) W2 + b2 with W2 [hidden, 1].
 * Per sample: a = x W1 + b1, s = phi'(a) * w2, g = W1 s (= df/dx), u = dP/dg = 2 (|g| - 1) g / |g|,
 * r = W1^T u, t = r * phi''(a) * w2. Then dP/dW1 = u s^T + x^T t, dP/db1 = t, dP/dw2 = r * phi'(a), dP/db2 = 0.
 * For ReLU phi'' = 0 (almost everywhere), so only the u s^T and r phi' terms remain.
 */
export function gradientPenalty(params: MlpParams, xHat: Matrix, activation: Activation, weight = 10): { penalty: number; grads: MlpParams; gradNorms: Float64Array } {
  const { W1, b1, W2 } = params;
  if (W2.cols !== 1) throw new RangeError(`gradientPenalty: expected a critic with one output but W2 is [${W2.shape.join(', ')}]`);
  const { df, d2f } = activationFns(activation);
  const [n, dim] = xHat.shape;
  const hidden = W1.cols;
  const gW1 = new Matrix(dim, hidden), gb1 = new Matrix(1, hidden), gW2 = new Matrix(hidden, 1), gb2 = new Matrix(1, 1);
  const gradNorms = new Float64Array(n);
  let penalty = 0;
  const a = new Float64Array(hidden), s = new Float64Array(hidden), g = new Float64Array(dim), u = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < hidden; j++) {
      let v = b1.data[j]!;
      for (let d = 0; d < dim; d++) v += xHat.data[i * dim + d]! * W1.data[d * hidden + j]!;
      a[j] = v;
      s[j] = df(v) * W2.data[j]!;
    }
    let sq = 0;
    for (let d = 0; d < dim; d++) {
      let v = 0;
      for (let j = 0; j < hidden; j++) v += W1.data[d * hidden + j]! * s[j]!;
      g[d] = v;
      sq += v * v;
    }
    const gNorm = Math.sqrt(sq);
    gradNorms[i] = gNorm;
    penalty += (gNorm - 1) ** 2;
    const coef = (weight / n) * 2 * (gNorm - 1) / gNorm;
    for (let d = 0; d < dim; d++) u[d] = coef * g[d]!;
    for (let j = 0; j < hidden; j++) {
      let r = 0;
      for (let d = 0; d < dim; d++) r += W1.data[d * hidden + j]! * u[d]!;
      const t = r * d2f(a[j]!) * W2.data[j]!;
      for (let d = 0; d < dim; d++) gW1.data[d * hidden + j] = gW1.data[d * hidden + j]! + u[d]! * s[j]! + xHat.data[i * dim + d]! * t;
      gb1.data[j] = gb1.data[j]! + t;
      gW2.data[j] = gW2.data[j]! + r * df(a[j]!);
    }
  }
  return { penalty: (weight * penalty) / n, grads: { W1: gW1, b1: gb1, W2: gW2, b2: gb2 }, gradNorms };
}
