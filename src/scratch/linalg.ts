// Exact (float64) singular values by the cyclic Jacobi eigenvalue method on the Gram matrix (Golub & Van Loan 8.5),
// the reference against which power-iteration spectral norm (Miyato et al. 2018) is tested.

/**
 * Eigenvalues of a symmetric matrix by cyclic Jacobi rotations, in float64, sorted descending.
 * `a` is row-major [n, n] and is not modified; only its upper triangle is read (it is symmetrised first).
 * Converges quadratically; stops when the off-diagonal mass is below 1e-30 of the total (or after 100 sweeps).
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
  let total = 0;
  for (let k = 0; k < n * n; k++) total += m[k]! * m[k]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += 2 * m[i * n + j]! * m[i * n + j]!;
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const app = m[p * n + p]!, aqq = m[q * n + q]!;
        // Rotation angle that zeroes m[p][q]: t = tan(theta), the smaller root of t^2 + 2 tau t - 1 = 0.
        const tau = (aqq - app) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t), s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!, mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!, mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
      }
    }
  }
  const eig = new Float64Array(n);
  for (let i = 0; i < n; i++) eig[i] = m[i * n + i]!;
  return eig.sort().reverse();
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
