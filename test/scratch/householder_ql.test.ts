// Householder + QL eigendecomposition against known spectra and the Jacobi method, and the Fréchet distance above
// 128 dims (where frechet.ts switches to it) against its closed form for covariances sharing eigenvectors.
import { describe, expect, it } from 'vitest';
import { symmetricEigenQl } from '../../src/scratch/householder_ql.js';
import { symmetricEigen } from '../../src/scratch/linalg.js';
import { frechetDistance, frechetReference, JACOBI_MAX_DIM, type GaussianStats } from '../../src/eval/frechet.js';
import { Rng } from '../../src/random.js';

function randomSymmetric(n: number, rng: Rng): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { const x = rng.normal(); a[i * n + j] = x; a[j * n + i] = x; }
  return a;
}

/** Q diag(d) Q^T with Q = the product of three random Householder reflections (orthogonal, dense). */
function withSpectrum(d: number[], rng: Rng): Float64Array {
  const n = d.length;
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let r = 0; r < 3; r++) {
    const v = Array.from({ length: n }, () => rng.normal());
    const vv = v.reduce((s, x) => s + x * x, 0);
    // q <- q (I - 2 v v^T / vv)
    for (let i = 0; i < n; i++) {
      let qv = 0;
      for (let k = 0; k < n; k++) qv += q[i * n + k]! * v[k]!;
      for (let j = 0; j < n; j++) q[i * n + j]! -= (2 * qv * v[j]!) / vv;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < n; k++) s += q[i * n + k]! * d[k]! * q[j * n + k]!; out[i * n + j] = s; }
  return out;
}

const sorted = (x: ArrayLike<number>) => Float64Array.from(x).sort();
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]!)));

describe('symmetricEigenQl', () => {
  it('reconstructs a random symmetric matrix to 1e-12 and matches the Jacobi eigenvalues to 1e-12', () => {
    const n = 40, a = randomSymmetric(n, new Rng(1));
    const { values, vectors } = symmetricEigenQl(a, n);
    const rebuilt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) rebuilt[i * n + j]! += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!;
    expect(maxAbsDiff(rebuilt, a)).toBeLessThan(1e-12);
    expect(maxAbsDiff(sorted(values), sorted(symmetricEigen(a, n).values))).toBeLessThan(1e-12);
    // Without vectors: the same eigenvalues, bit for bit (the QL sweep does not depend on the rotations kept).
    expect(symmetricEigenQl(a, n, { vectors: false }).values).toEqual(values);
  });

  it('finds a known spectrum with tiny and repeated eigenvalues, and handles 1x1 and diagonal matrices', () => {
    const spectrum = [3, 1, 1, 1e-6, 1e-10, 0, 0, 0.5];
    const { values } = symmetricEigenQl(withSpectrum(spectrum, new Rng(2)), spectrum.length);
    // Errors are ~1e-16 times the largest eigenvalue, absolute: tiny eigenvalues come out to ~1e-15.
    expect(maxAbsDiff(sorted(values), sorted(spectrum))).toBeLessThan(1e-14);
    expect(Array.from(symmetricEigenQl([7], 1).values)).toEqual([7]);
    expect(Array.from(sorted(symmetricEigenQl([2, 0, 0, 0, -1, 0, 0, 0, 5], 3).values))).toEqual([-1, 2, 5]);
  });
});

describe('frechetDistance above JACOBI_MAX_DIM', () => {
  it('equals the closed form |m1 - m2|^2 + sum (sqrt(a_i) - sqrt(b_i))^2 at 160 dims, with a reused covariance root', () => {
    const n = 160;
    expect(n).toBeGreaterThan(JACOBI_MAX_DIM);
    const rng = new Rng(3);
    const a = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1e-8 : 0.1 + rng.uniform()));
    const b = Array.from({ length: n }, () => 0.1 + 2 * rng.uniform());
    // Same eigenvectors: build both from one seed.
    const s1: GaussianStats = { dim: n, count: 0, mean: new Float64Array(n), cov: withSpectrum(a, new Rng(4)) };
    const s2: GaussianStats = { dim: n, count: 0, mean: Float64Array.from({ length: n }, (_, i) => (i === 3 ? 2 : 0)), cov: withSpectrum(b, new Rng(4)) };
    const expected = 4 + a.reduce((s, x, i) => s + (Math.sqrt(x) - Math.sqrt(b[i]!)) ** 2, 0);
    // The 1e-8 eigenvalues carry absolute errors ~1e-15, so their roots ~1e-4 move by < 1e-10 each.
    expect(Math.abs(frechetDistance(s1, s2) - expected)).toBeLessThanOrEqual(1e-9 * expected);
    expect(Math.abs(frechetDistance(s2, s1) - expected)).toBeLessThanOrEqual(1e-9 * expected);
    expect(Math.abs(frechetDistance(frechetReference(s1), s2) - expected)).toBeLessThanOrEqual(1e-9 * expected);
  });
});
