// Exact (float64) singular values by the cyclic Jacobi eigenvalue method on the Gram matrix (Golub & Van Loan 8.5),
// the reference against which power-iteration spectral norm (Miyato et al. 2018) is tested; also the
// eigendecomposition behind the Fréchet distance's matrix square root (src/eval/frechet.ts).
import { ShapeError } from '../errors.js';

/**
 * Eigenvalues of a symmetric matrix by cyclic Jacobi rotations, in float64, sorted descending.
 * `a` is row-major [n, n] and is not modified; only its upper triangle is read (it is symmetrised first).
 */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number): Float64Array {
  if (a.length !== n * n) throw new RangeError(`symmetricEigenvalues: expected ${n * n} values for [${n}, ${n}] but got ${a.length}`);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = a[i * n + j]!;
      m[i * n + j] = v;
      m[j * n + i] = v;
    }
  }
  return symmetricEigen(m, n).values.sort().reverse();
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

/**
 * All singular values of a row-major [rows, cols] matrix, descending, in float64: square roots of the eigenvalues
 * of the smaller Gram matrix (W^T W if cols <= rows, else W W^T). Tiny negative eigenvalues from rounding become 0.
 * Accuracy: the largest value is exact to ~1e-15 relative; values far below it lose relative precision (Gram squaring).
 */
export function singularValues(w: ArrayLike<number>, rows: number, cols: number): Float64Array {
  if (w.length !== rows * cols) throw new RangeError(`singularValues: expected ${rows * cols} values for [${rows}, ${cols}] but got ${w.length}`);
  const n = Math.min(rows, cols);
  const gram = new Float64Array(n * n);
  const byCols = cols <= rows;
  // gram[i][j] = sum_k W[k][i] W[k][j] (byCols) or sum_k W[i][k] W[j][k].
  const len = byCols ? rows : cols;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < len; k++) {
        s += byCols ? w[k * cols + i]! * w[k * cols + j]! : w[i * cols + k]! * w[j * cols + k]!;
      }
      gram[i * n + j] = s;
      gram[j * n + i] = s;
    }
  }
  return symmetricEigenvalues(gram, n).map((e) => Math.sqrt(Math.max(e, 0)));
}

/**
 * Largest singular value (spectral norm, sigma(W)) of a row-major [rows, cols] matrix, in float64.
 * For a conv kernel [kh, kw, in, out] pass it as [kh * kw * in, out] (the reshaping spectral norm uses).
 */
export function largestSingularValue(w: ArrayLike<number>, rows: number, cols: number): number {
  return singularValues(w, rows, cols)[0] ?? 0;
}
