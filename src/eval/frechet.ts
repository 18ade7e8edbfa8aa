// Fréchet distance between Gaussians fitted to feature sets (Heusel et al. 2017, "FID"), all in float64.
// The matrix square root uses symmetric eigendecompositions (cyclic Jacobi), so nearly singular covariances stay accurate.
import { ShapeError } from '../errors.js';
import { symmetricEigen } from '../scratch/linalg.js';

export { symmetricEigen };

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
