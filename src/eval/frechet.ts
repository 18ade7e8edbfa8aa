// Fréchet distance between Gaussians fitted to feature sets (Heusel et al. 2017, "FID"), all in float64.
// The matrix square root uses symmetric eigendecompositions (cyclic Jacobi), so nearly singular covariances stay accurate.
import { ShapeError } from '../errors.js';

/** Mean [d] and covariance [d, d] (row-major, unbiased n-1 like numpy's cov) of a feature set. */
export interface GaussianStats {
  dim: number;
  count: number;
  mean: Float64Array;
  cov: Float64Array;
}

/** Fits mean and covariance to `features` ([n, dim] row-major) in float64. */
export function gaussianStats(features: ArrayLike<number>, dim: number): GaussianStats {
  if (dim < 1 || features.length % dim !== 0) throw new ShapeError(`gaussianStats: expected [n, ${dim}] features but got ${features.length} numbers`);
  const n = features.length / dim;
  if (n < 2) throw new ShapeError(`gaussianStats: expected at least 2 samples but got ${n}`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let a = 0; a < dim; a++) mean[a]! += features[i * dim + a]!;
  for (let a = 0; a < dim; a++) mean[a]! /= n;
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) centred[a] = features[i * dim + a]! - mean[a]!;
    for (let a = 0; a < dim; a++) {
      const ca = centred[a]!;
      if (ca === 0) continue;
      const row = a * dim;
      for (let b = a; b < dim; b++) cov[row + b]! += ca * centred[b]!;
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const v = cov[a * dim + b]! / (n - 1);
      cov[a * dim + b] = v;
      cov[b * dim + a] = v;
    }
  }
  return { dim, count: n, mean, cov };
}

/**
 * Eigendecomposition of a symmetric matrix A [n, n] by cyclic Jacobi rotations (accurate to a few ulps of ||A||
 * for every eigenvalue, including tiny ones). Returns eigenvalues [n] and eigenvectors as columns of V [n, n].
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  if (matrix.length !== n * n) throw new ShapeError(`symmetricEigen: expected ${n * n} entries but got ${matrix.length}`);
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, total = 0;
    for (let p = 0; p < n; p++) {
      for (let q = 0; q < n; q++) {
        const x = a[p * n + q]! ** 2;
        total += x;
        if (p !== q) off += x;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const app = a[p * n + p]!, aqq = a[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          // columns p and q of A
          const akp = a[k * n + p]!, akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          // rows p and q of A
          const apk = a[p * n + k]!, aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!, vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
  return { values, vectors: v };
}

/** V f(diag(values)) V^T for a symmetric matrix given by its eigendecomposition. */
function reconstruct(values: Float64Array, vectors: Float64Array, n: number, f: (x: number) => number): Float64Array {
  const fv = values.map(f);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[i * n + k]! * fv[k]! * vectors[j * n + k]!;
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/** Principal square root of a symmetric positive semi-definite matrix; negative rounding-error eigenvalues clamp to 0. */
export function sqrtPsd(matrix: ArrayLike<number>, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, n);
  return reconstruct(values, vectors, n, (x) => Math.sqrt(Math.max(x, 0)));
}

function matMul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j]! += aik * b[k * n + j]!;
    }
  }
  return out;
}

/**
 * Fréchet distance ||mu1 - mu2||^2 + tr(S1) + tr(S2) - 2 tr((S1^1/2 S2 S1^1/2)^1/2).
 * The trace term equals tr((S1 S2)^1/2) but is computed from a symmetric PSD matrix, so it never goes complex.
 */
export function frechetDistance(s1: GaussianStats, s2: GaussianStats): number {
  if (s1.dim !== s2.dim) throw new ShapeError(`frechetDistance: expected equal feature dims but got ${s1.dim} and ${s2.dim}`);
  const n = s1.dim;
  let meanTerm = 0, trace = 0;
  for (let i = 0; i < n; i++) {
    meanTerm += (s1.mean[i]! - s2.mean[i]!) ** 2;
    trace += s1.cov[i * n + i]! + s2.cov[i * n + i]!;
  }
  const root1 = sqrtPsd(s1.cov, n);
  const m = matMul(matMul(root1, s2.cov, n), root1, n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) { const x = (m[i * n + j]! + m[j * n + i]!) / 2; m[i * n + j] = x; m[j * n + i] = x; }
  const { values } = symmetricEigen(m, n);
  let traceRoot = 0;
  for (const x of values) traceRoot += Math.sqrt(Math.max(x, 0));
  return Math.max(meanTerm + trace - 2 * traceRoot, 0);
}
