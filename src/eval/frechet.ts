// Fréchet distance between Gaussians fitted to feature sets (Heusel et al. 2017, "FID"), all in float64.
// The trace term uses symmetric eigendecompositions: cyclic Jacobi up to 128 dims (MNIST features), so nearly singular
// covariances stay accurate relative to their tiny eigenvalues; Householder + implicit QL above, where Jacobi is too
// slow (~25 s for the 512-d image-folder features, QL under 1 s; its errors are ~1e-16 ||S||, absolute).
import { ShapeError } from '../errors.js';
import { symmetricEigen } from '../scratch/linalg.js';
import { symmetricEigenQl } from '../scratch/householder_ql.js';

export { symmetricEigen };

/** Covariances of more dims than this are decomposed by Householder + QL instead of Jacobi. */
export const JACOBI_MAX_DIM = 128;

function eigen(matrix: ArrayLike<number>, n: number, vectors = true): { values: Float64Array; vectors: Float64Array } {
  return n <= JACOBI_MAX_DIM ? symmetricEigen(matrix, n) : symmetricEigenQl(matrix, n, { vectors });
}

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
  const { values, vectors } = eigen(matrix, n);
  return reconstruct(values, vectors, n, (x) => Math.sqrt(Math.max(x, 0)));
}

/**
 * Statistics with the eigendecomposition of their covariance S1 = V diag(l) V^T, kept as B = diag(sqrt(l)) V^T over
 * the eigenvalues above rounding noise ([rank, dim] row-major): many distances to one set decompose its covariance once.
 */
export interface FrechetReference extends GaussianStats {
  rank: number;
  scaledBasis: Float64Array;
}

/** `stats` with its covariance decomposed, to pass as the first argument of frechetDistance again and again. */
export function frechetReference(stats: GaussianStats): FrechetReference {
  const n = stats.dim;
  const { values, vectors } = eigen(stats.cov, n);
  // Numerical rank (numpy's matrix_rank rule): eigenvalues below n eps max are rounding noise, and their roots (~1e-8
  // each, hundreds of them when there are fewer samples than dims) would only add noise to the trace term.
  const floor = n * 2 ** -52 * Math.max(0, ...values);
  const kept = Array.from(values.keys()).filter((k) => values[k]! > floor);
  const scaledBasis = new Float64Array(kept.length * n);
  kept.forEach((k, r) => {
    const root = Math.sqrt(values[k]!);
    for (let j = 0; j < n; j++) scaledBasis[r * n + j] = root * vectors[j * n + k]!;
  });
  return { ...stats, rank: kept.length, scaledBasis };
}

/**
 * tr((S1^1/2 S2 S1^1/2)^1/2). S1^1/2 S2 S1^1/2 = V (B S2 B^T) V^T up to zero rows and columns, so its eigenvalues are
 * those of the symmetric PSD [rank, rank] matrix B S2 B^T (cheap when S1 has low rank: fewer samples than dims).
 */
function traceRoot(reference: FrechetReference, cov: Float64Array): number {
  const { rank: r, dim: n, scaledBasis: b } = reference;
  const bs = new Float64Array(r * n);
  for (let i = 0; i < r; i++) {
    for (let k = 0; k < n; k++) {
      const bik = b[i * n + k]!;
      if (bik === 0) continue;
      for (let j = 0; j < n; j++) bs[i * n + j]! += bik * cov[k * n + j]!;
    }
  }
  const m = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    for (let j = i; j < r; j++) {
      let x = 0;
      for (let k = 0; k < n; k++) x += bs[i * n + k]! * b[j * n + k]!;
      m[i * r + j] = x;
      m[j * r + i] = x;
    }
  }
  let trace = 0;
  for (const x of eigen(m, r, false).values) trace += Math.sqrt(Math.max(x, 0));
  return trace;
}

/**
 * Fréchet distance ||mu1 - mu2||^2 + tr(S1) + tr(S2) - 2 tr((S1^1/2 S2 S1^1/2)^1/2).
 * The trace term equals tr((S1 S2)^1/2) but is computed from a symmetric PSD matrix, so it never goes complex.
 * Pass s1 from frechetReference to reuse its decomposition.
 */
export function frechetDistance(s1: GaussianStats | FrechetReference, s2: GaussianStats): number {
  if (s1.dim !== s2.dim) throw new ShapeError(`frechetDistance: expected equal feature dims but got ${s1.dim} and ${s2.dim}`);
  const n = s1.dim;
  let meanTerm = 0, trace = 0;
  for (let i = 0; i < n; i++) {
    meanTerm += (s1.mean[i]! - s2.mean[i]!) ** 2;
    trace += s1.cov[i * n + i]! + s2.cov[i * n + i]!;
  }
  const reference = 'scaledBasis' in s1 ? s1 : frechetReference(s1);
  return Math.max(meanTerm + trace - 2 * traceRoot(reference, s2.cov), 0);
}
