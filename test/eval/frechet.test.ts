import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random.js';
import { frechetDistance, gaussianStats, sqrtPsd, symmetricEigen, type GaussianStats } from '../../src/eval/frechet.js';

/** A random orthogonal matrix [n, n]: a product of three Householder reflections. */
function randomOrthogonal(n: number, rng: Rng): Float64Array {
  let q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let r = 0; r < 3; r++) {
    const v = Array.from({ length: n }, () => rng.normal());
    const vv = v.reduce((s, x) => s + x * x, 0);
    const h = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i * n + j] = (i === j ? 1 : 0) - (2 * v[i]! * v[j]!) / vv;
    q = mul(q, h, n);
  }
  return q;
}
function mul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) out[i * n + j]! += a[i * n + k]! * b[k * n + j]!;
  return out;
}
/** Q diag(d) Q^T. */
function fromEigen(q: Float64Array, d: number[], n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) out[i * n + j]! += q[i * n + k]! * d[k]! * q[j * n + k]!;
  return out;
}
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]!)));

describe('matrix square root and eigendecomposition', () => {
  it('reconstructs a random symmetric matrix from its Jacobi eigendecomposition to 1e-12', () => {
    const n = 12, rng = new Rng(1);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { const x = rng.normal(); a[i * n + j] = x; a[j * n + i] = x; }
    const { values, vectors } = symmetricEigen(a, n);
    expect(maxAbsDiff(fromEigen(vectors, Array.from(values), n), a)).toBeLessThan(1e-12);
  });

  it('stays accurate on a nearly singular covariance (eigenvalues 1, 1e-10, 0)', () => {
    const n = 6, q = randomOrthogonal(n, new Rng(2));
    const eig = [1, 1e-10, 0, 0, 0.5, 1e-6];
    const s = fromEigen(q, eig, n);
    const root = sqrtPsd(s, n);
    // Squared root equals S to float64 rounding; the root's trace equals sum(sqrt(eig)) -- the quantity FID needs.
    // S carries rounding errors e ~ 1e-16, so each zero eigenvalue comes out as |e| and its root as up to sqrt(e) ~ 1e-8:
    // no method can do better from this S. The tolerance (1e-7) still resolves sqrt(1e-10) = 1e-5, which float32 would lose.
    expect(maxAbsDiff(mul(root, root, n), s)).toBeLessThan(1e-14);
    const trace = Array.from({ length: n }, (_, i) => root[i * n + i]!).reduce((x, y) => x + y, 0);
    const expected = eig.reduce((x, y) => x + Math.sqrt(y), 0);
    expect(Math.abs(trace - expected)).toBeLessThanOrEqual(1e-7 + 1e-12 * expected);
  });
});

describe('frechetDistance', () => {
  it('equals the closed form |m1 - m2|^2 + sum (sqrt(a_i) - sqrt(b_i))^2 for covariances sharing eigenvectors', () => {
    const n = 5, q = randomOrthogonal(n, new Rng(3));
    const a = [1, 2, 3, 0.5, 1e-8], b = [4, 2, 0.25, 0.5, 1];
    const s1: GaussianStats = { dim: n, count: 0, mean: Float64Array.from([0, 1, 0, 0, 0]), cov: fromEigen(q, a, n) };
    const s2: GaussianStats = { dim: n, count: 0, mean: Float64Array.from([1, 1, 0, 2, 0]), cov: fromEigen(q, b, n) };
    const expected = 1 + 4 + a.reduce((s, x, i) => s + (Math.sqrt(x) - Math.sqrt(b[i]!)) ** 2, 0);
    expect(Math.abs(frechetDistance(s1, s2) - expected)).toBeLessThanOrEqual(1e-10 * expected);
    expect(Math.abs(frechetDistance(s2, s1) - expected)).toBeLessThanOrEqual(1e-10 * expected);
  });

  it('is 0 for a feature set against itself and grows as noise is added', () => {
    const rng = new Rng(4);
    const n = 2000, d = 16;
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++) { const z = rng.normal(); for (let j = 0; j < d; j++) x[i * d + j] = z * (j % 3) + rng.normal() * (1 + j / d); }
    const base = gaussianStats(x, d);
    expect(frechetDistance(base, base)).toBeLessThan(1e-9);
    let previous = 0;
    for (const sigma of [0.1, 0.3, 1, 3]) {
      const noisy = Float32Array.from(x, (v) => v + sigma * rng.normal());
      const fd = frechetDistance(base, gaussianStats(noisy, d));
      expect(fd).toBeGreaterThan(previous);
      previous = fd;
    }
    // Adding N(0, 9 I) noise: covariances commute only approximately, but FD >= d * (sqrt(1 + 9) - 1)^2 * ~1 for unit-ish variances.
    expect(previous).toBeGreaterThan(16);
  });

  it('fits the unbiased covariance like numpy.cov', () => {
    const s = gaussianStats([1, 2, 3, 4, 5, 7], 2); // rows (1,2), (3,4), (5,7)
    expect(Array.from(s.mean)).toEqual([3, 13 / 3]);
    // numpy.cov([[1,3,5],[2,4,7]]) = [[4, 5], [5, 6.3333]]
    expect(maxAbsDiff(s.cov, [4, 5, 5, 19 / 3])).toBeLessThan(1e-14);
  });
});
