import { describe, expect, it } from 'vitest';
import { largestSingularValue, singularValues, symmetricEigenvalues } from '../../src/scratch/linalg.js';
import { Rng } from '../../src/random.js';

const close = (a: number, b: number, atol: number, rtol: number) => Math.abs(a - b) <= atol + rtol * Math.abs(b);

describe('linalg', () => {
  it('finds the eigenvalues of a symmetric 3x3 matrix with known spectrum', () => {
    // [[2,1,0],[1,2,1],[0,1,2]] has eigenvalues 2 + sqrt(2), 2, 2 - sqrt(2).
    const eig = symmetricEigenvalues([2, 1, 0, 1, 2, 1, 0, 1, 2], 3);
    const want = [2 + Math.SQRT2, 2, 2 - Math.SQRT2];
    want.forEach((w, i) => expect(close(eig[i]!, w, 1e-14, 1e-13)).toBe(true));
  });

  it('gives the singular values of a matrix built as U diag(s) V^T from Givens rotations', () => {
    // W = R1 diag(5, 3, 0.5) R2 with R1 (4x4) and R2 (3x3) orthogonal: singular values are exactly 5, 3, 0.5.
    const rot = (n: number, p: number, q: number, t: number) => {
      const r = new Float64Array(n * n);
      for (let i = 0; i < n; i++) r[i * n + i] = 1;
      r[p * n + p] = Math.cos(t); r[q * n + q] = Math.cos(t); r[p * n + q] = -Math.sin(t); r[q * n + p] = Math.sin(t);
      return r;
    };
    const mul = (a: Float64Array, b: Float64Array, n: number, k: number, m: number) => {
      const c = new Float64Array(n * m);
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) { let s = 0; for (let l = 0; l < k; l++) s += a[i * k + l]! * b[l * m + j]!; c[i * m + j] = s; }
      return c;
    };
    const u = mul(rot(4, 0, 2, 0.7), rot(4, 1, 3, -1.1), 4, 4, 4);
    const v = mul(rot(3, 0, 1, 0.3), rot(3, 1, 2, 2.0), 3, 3, 3);
    const d = new Float64Array(12); d[0] = 5; d[4] = 3; d[8] = 0.5; // [4, 3] diagonal
    const w = mul(mul(u, d, 4, 4, 3), v, 4, 3, 3);
    const s = singularValues(w, 4, 3);
    [5, 3, 0.5].forEach((want, i) => expect(close(s[i]!, want, 1e-13, 1e-12)).toBe(true));
    // Transposed input (wide matrix) has the same singular values.
    const wt = new Float64Array(12);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) wt[j * 4 + i] = w[i * 3 + j]!;
    expect(close(largestSingularValue(wt, 3, 4), 5, 1e-13, 1e-12)).toBe(true);
  });

  it('agrees with many power iterations on a random 64x32 matrix', () => {
    const rng = new Rng(3);
    const rows = 64, cols = 32;
    const w = Float64Array.from({ length: rows * cols }, () => rng.normal());
    let v = Float64Array.from({ length: cols }, () => rng.normal());
    let sigma = 0;
    for (let it = 0; it < 2000; it++) {
      const u = new Float64Array(rows);
      for (let i = 0; i < rows; i++) { let s = 0; for (let j = 0; j < cols; j++) s += w[i * cols + j]! * v[j]!; u[i] = s; }
      const next = new Float64Array(cols);
      for (let j = 0; j < cols; j++) { let s = 0; for (let i = 0; i < rows; i++) s += w[i * cols + j]! * u[i]!; next[j] = s; }
      const norm = Math.hypot(...next);
      sigma = Math.sqrt(norm);
      v = next.map((x) => x / norm);
    }
    expect(close(largestSingularValue(w, rows, cols), sigma, 1e-10, 1e-8)).toBe(true);
    // And it is not just any singular value: the second one is clearly smaller.
    expect(singularValues(w, rows, cols)[1]!).toBeLessThan(sigma * 0.99);
  });

  it('rejects a length that does not match the shape', () => {
    expect(() => largestSingularValue([1, 2, 3], 2, 2)).toThrow('expected 4 values for [2, 2] but got 3');
  });
});
