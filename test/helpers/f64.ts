// Float64 reference forwards of the ops a critic uses (NHWC, tfjs layouts), and a finite-difference gradient
// penalty, mean_b((|grad_x D(x_b)|_2 - 1)^2) (Gulrajani 2017), to check tfjs's float32 double backprop against.

/** A float64 tensor: row-major data with a shape. */
export interface T64 {
  shape: number[];
  data: Float64Array;
}

export function t64(shape: number[], data: ArrayLike<number>): T64 {
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size) throw new Error(`t64: shape [${shape}] needs ${size} values but got ${data.length}`);
  return { shape: shape.slice(), data: Float64Array.from(data) };
}

/** Smallest |z| seen at a kink (0 for relu and leakyRelu) since the last reset: FD across a kink is wrong. */
let kinkDistance = Infinity;
export function resetKinkDistance(): void {
  kinkDistance = Infinity;
}
export function minKinkDistance(): number {
  return kinkDistance;
}
function kink(z: number): void {
  kinkDistance = Math.min(kinkDistance, Math.abs(z));
}

/** Elementwise activations with tfjs's definitions (leakyRelu alpha 0.2, elu alpha 1). */
export const ACTIVATIONS64 = {
  relu: (z: number) => (kink(z), z > 0 ? z : 0),
  leakyRelu: (z: number) => (kink(z), z > 0 ? z : 0.2 * z),
  tanh: Math.tanh,
  sigmoid: (z: number) => 1 / (1 + Math.exp(-z)),
  elu: (z: number) => (kink(z), z > 0 ? z : Math.expm1(z)),
  softplus: (z: number) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))),
  linear: (z: number) => z,
} as const;
export type Activation64 = keyof typeof ACTIVATIONS64;

/**
 * erf to ~1e-15: its Maclaurin series below |x| = 2.5 (terms peak near 16, so about one digit is lost), the
 * continued fraction of erfc above (Lentz's method). Finite differences of D divide its rounding by 1e-5 and
 * then 1e-4, so an erf good to 1e-15 keeps the reference within ~1e-6 of the true penalty gradient.
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 2.5) {
    let term = x, sum = x;
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(a) = exp(-a^2) / sqrt(pi) / (a + (1/2) / (a + 1 / (a + (3/2) / (a + 2 / (a + ...)))))
  const tiny = 1e-300;
  let f = a, c = a, d = 0;
  for (let k = 1; k < 200; k++) {
    const coeff = k / 2;
    d = a + coeff * d;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = a + coeff / (Math.abs(c) < tiny ? tiny : c);
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

const SELU_SCALE = 1.0507009873554804934193349852946, SELU_SCALE_ALPHA = 1.7580993408473768599402175208123;
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The other activations of tfjs-layers (activations.ts), as tfjs-layers defines them. */
export const LAYER_ACTIVATIONS64 = {
  selu: (z: number) => (kink(z), z > 0 ? SELU_SCALE * z : SELU_SCALE_ALPHA * Math.expm1(z)),
  relu6: (z: number) => (kink(Math.min(Math.abs(z), Math.abs(z - 6))), Math.min(Math.max(z, 0), 6)),
  hardSigmoid: (z: number) => (kink(Math.abs(Math.abs(z) - 2.5)), Math.min(Math.max(0.2 * z + 0.5, 0), 1)),
  softsign: (z: number) => (kink(z), z / (1 + Math.abs(z))), // its second derivative jumps at 0
  swish: (z: number) => z * sigmoid(z),
  mish: (z: number) => z * Math.tanh(ACTIVATIONS64.softplus(z)),
  gelu: (z: number) => 0.5 * z * (1 + erf(z / Math.SQRT2)),
  gelu_new: (z: number) => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3))),
} as const;
export type LayerActivation64 = keyof typeof LAYER_ACTIVATIONS64;

/** Elementwise f(value, flat index). */
export function map(t: T64, f: (v: number, i: number) => number): T64 {
  const out = new Float64Array(t.data.length); // a plain loop: TypedArray.prototype.map is several times slower
  for (let i = 0; i < out.length; i++) out[i] = f(t.data[i]!, i);
  return { shape: t.shape.slice(), data: out };
}

/** Same data, new shape (no copy: nothing here writes into a tensor after making it). */
export function reshape(t: T64, shape: number[]): T64 {
  if (shape.reduce((a, b) => a * b, 1) !== t.data.length) throw new Error(`reshape: [${t.shape}] cannot become [${shape}]`);
  return { shape: shape.slice(), data: t.data };
}

/** x [n, in] @ W [in, out] + b [out] -> [n, out]. */
export function dense(x: T64, W: T64, b: T64): T64 {
  const [n, k] = x.shape as [number, number];
  const m = W.shape[1]!;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = b.data[j]!;
      for (let p = 0; p < k; p++) s += x.data[i * k + p]! * W.data[p * m + j]!;
      out[i * m + j] = s;
    }
  }
  return { shape: [n, m], data: out };
}

/** Padding before the first row/column, as tfjs computes it for 'same' and 'valid'. */
function padBefore(size: number, kernel: number, stride: number, pad: 'same' | 'valid'): { out: number; before: number } {
  if (pad === 'valid') return { out: Math.ceil((size - kernel + 1) / stride), before: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return { out, before: Math.floor(total / 2) };
}

/** Output shape of a conv2d of `inShape` [n, h, w, ci] with filter [kh, kw, ci, co]. */
function convShape(inShape: number[], filterShape: number[], stride: number, pad: 'same' | 'valid'): number[] {
  return [inShape[0]!, padBefore(inShape[1]!, filterShape[0]!, stride, pad).out, padBefore(inShape[2]!, filterShape[1]!, stride, pad).out, filterShape[3]!];
}

/**
 * Visits every (input pixel, filter tap, output pixel) triple of a conv2d with `inShape` [n, h, w, ci] and
 * filter [kh, kw, ci, co]: calls visit(inIndex, filterIndex, outIndex) for every channel pair.
 */
function convTriples(inShape: number[], filterShape: number[], stride: number, pad: 'same' | 'valid',
  visit: (i: number, f: number, o: number) => void): void {
  const [n, h, w, ci] = inShape as [number, number, number, number];
  const [kh, kw, , co] = filterShape as [number, number, number, number];
  const rows = padBefore(h, kh, stride, pad), cols = padBefore(w, kw, stride, pad);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < rows.out; oy++) {
      for (let ox = 0; ox < cols.out; ox++) {
        for (let dy = 0; dy < kh; dy++) {
          const iy = oy * stride - rows.before + dy;
          if (iy < 0 || iy >= h) continue;
          for (let dx = 0; dx < kw; dx++) {
            const ix = ox * stride - cols.before + dx;
            if (ix < 0 || ix >= w) continue;
            for (let c = 0; c < ci; c++) {
              for (let d = 0; d < co; d++) {
                visit(((b * h + iy) * w + ix) * ci + c, ((dy * kw + dx) * ci + c) * co + d, ((b * rows.out + oy) * cols.out + ox) * co + d);
              }
            }
          }
        }
      }
    }
  }
}

/** tf.conv2d: x [n, h, w, ci], K [kh, kw, ci, co] -> [n, oh, ow, co]. */
export function conv2d(x: T64, K: T64, stride: number, pad: 'same' | 'valid'): T64 {
  const shape = convShape(x.shape, K.shape, stride, pad);
  const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
  convTriples(x.shape, K.shape, stride, pad, (i, f, o) => {
    out[o]! += x.data[i]! * K.data[f]!;
  });
  return { shape, data: out };
}

/**
 * tf.conv2dTranspose: x [n, h, w, ci], K [kh, kw, co, ci] -> outShape [n, H, W, co]; the adjoint of a conv2d
 * from [n, H, W, co] to x's shape with the same filter, stride and padding.
 */
export function conv2dTranspose(x: T64, K: T64, outShape: number[], stride: number, pad: 'same' | 'valid'): T64 {
  const out = new Float64Array(outShape.reduce((a, b) => a * b, 1));
  convTriples(outShape, K.shape, stride, pad, (o, f, i) => {
    out[o]! += x.data[i]! * K.data[f]!;
  });
  return { shape: outShape.slice(), data: out };
}

/** tf.avgPool with 'valid' padding: x [n, h, w, c], square window k, stride s -> [n, oh, ow, c]. */
export function avgPoolValid(x: T64, k: number, s: number): T64 {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const oh = Math.ceil((h - k + 1) / s), ow = Math.ceil((w - k + 1) / s);
  const out = new Float64Array(n * oh * ow * c);
  for (let b = 0; b < n; b++) for (let y = 0; y < oh; y++) for (let z = 0; z < ow; z++) for (let d = 0; d < c; d++) {
    let sum = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sum += x.data[((b * h + y * s + i) * w + z * s + j) * c + d]!;
    out[((b * oh + y) * ow + z) * c + d] = sum / (k * k);
  }
  return { shape: [n, oh, ow, c], data: out };
}

/** Softmax (or log-softmax) of [n, f] over f. */
export function softmax(x: T64, log = false): T64 {
  const [n, f] = x.shape as [number, number];
  const out = new Float64Array(n * f);
  for (let i = 0; i < n; i++) {
    const row = x.data.subarray(i * f, (i + 1) * f);
    const max = Math.max(...row);
    const logSum = max + Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0));
    for (let j = 0; j < f; j++) out[i * f + j] = log ? row[j]! - logSum : Math.exp(row[j]! - logSum);
  }
  return { shape: [n, f], data: out };
}

/** Concatenates [n, a], [n, b], ... along the last axis. */
export function concat(ts: T64[]): T64 {
  const n = ts[0]!.shape[0]!;
  const widths = ts.map((t) => t.data.length / n);
  const total = widths.reduce((a, b) => a + b, 0);
  const out = new Float64Array(n * total);
  for (let i = 0; i < n; i++) {
    let at = 0;
    ts.forEach((t, j) => {
      const wj = widths[j]!;
      out.set(t.data.subarray(i * wj, (i + 1) * wj), i * total + at);
      at += wj;
    });
  }
  return { shape: [n, total], data: out };
}

/** Per-feature affine normalisation over the last axis: (x - mean) / sqrt(variance + eps) * scale + offset. */
export function batchNormInference(x: T64, mean: T64, variance: T64, offset: T64, scale: T64, eps: number): T64 {
  const c = x.shape[x.shape.length - 1]!;
  return map(x, (v, i) => {
    const k = i % c;
    return (v - mean.data[k]!) / Math.sqrt(variance.data[k]! + eps) * scale.data[k]! + offset.data[k]!;
  });
}

/** Layer norm of [n, f] over f (biased variance, as tf.moments), then gamma [f], beta [f]. */
export function layerNorm(x: T64, gamma: T64, beta: T64, eps: number): T64 {
  const [n, f] = x.shape as [number, number];
  const out = new Float64Array(n * f);
  for (let i = 0; i < n; i++) {
    const row = x.data.subarray(i * f, (i + 1) * f);
    const mean = row.reduce((a, b) => a + b, 0) / f;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / f;
    for (let j = 0; j < f; j++) out[i * f + j] = (row[j]! - mean) / Math.sqrt(variance + eps) * gamma.data[j]! + beta.data[j]!;
  }
  return { shape: [n, f], data: out };
}

/**
 * The gradient penalty mean_b((|grad_x D(x_b)|_2 - 1)^2) in float64, with grad_x by central differences of
 * step `h`. `D` maps a batch [n, ...] to one value per sample [n] and must not mix samples, so one batched
 * forward per perturbed coordinate gives that coordinate's derivative for every sample at once.
 */
export function gradientPenalty64(D: (x: T64) => Float64Array, x: T64, h: number): number {
  const n = x.shape[0]!;
  const per = x.data.length / n;
  const sq = new Float64Array(n);
  for (let j = 0; j < per; j++) {
    const plus = { shape: x.shape, data: x.data.slice() }, minus = { shape: x.shape, data: x.data.slice() };
    for (let b = 0; b < n; b++) {
      plus.data[b * per + j]! += h;
      minus.data[b * per + j]! -= h;
    }
    const dp = D(plus), dm = D(minus);
    for (let b = 0; b < n; b++) sq[b]! += ((dp[b]! - dm[b]!) / (2 * h)) ** 2;
  }
  let p = 0;
  for (let b = 0; b < n; b++) p += (Math.sqrt(sq[b]!) - 1) ** 2;
  return p / n;
}
