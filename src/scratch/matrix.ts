// A minimal float64 matrix (Float64Array + shape [rows, cols]) with only the operations the scratch GAN math needs.

/** Row-major float64 matrix of shape [rows, cols]. A bias vector is a [1, n] matrix. */
export class Matrix {
  constructor(readonly rows: number, readonly cols: number, readonly data: Float64Array = new Float64Array(rows * cols)) {
    if (data.length !== rows * cols) throw new RangeError(`Matrix: expected ${rows * cols} values for [${rows}, ${cols}] but got ${data.length}`);
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** Copies `values` (any numeric array, e.g. a tensor's Float32Array) into a new [rows, cols] matrix. */
  static from(rows: number, cols: number, values: ArrayLike<number>): Matrix {
    return new Matrix(rows, cols, Float64Array.from(values));
  }

  /** A [rows, cols] matrix filled with `value`. */
  static full(rows: number, cols: number, value: number): Matrix {
    return new Matrix(rows, cols, new Float64Array(rows * cols).fill(value));
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j]!;
  }

  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** Elementwise f(value, flat index). */
  map(f: (v: number, k: number) => number): Matrix {
    const out = new Float64Array(this.data.length);
    for (let k = 0; k < out.length; k++) out[k] = f(this.data[k]!, k);
    return new Matrix(this.rows, this.cols, out);
  }

  /** Elementwise f(this, other) for two matrices of the same shape. */
  zip(other: Matrix, f: (a: number, b: number) => number): Matrix {
    sameShape('zip', this, other);
    return this.map((v, k) => f(v, other.data[k]!));
  }

  add(other: Matrix): Matrix { return this.zip(other, (a, b) => a + b); }
  sub(other: Matrix): Matrix { return this.zip(other, (a, b) => a - b); }
  mul(other: Matrix): Matrix { return this.zip(other, (a, b) => a * b); }
  scale(s: number): Matrix { return this.map((v) => v * s); }

  /** this + row broadcast over rows; `row` is [1, cols]. */
  addRow(row: Matrix): Matrix {
    if (row.rows !== 1 || row.cols !== this.cols) throw new RangeError(`addRow: expected [1, ${this.cols}] but got [${row.shape.join(', ')}]`);
    return this.map((v, k) => v + row.data[k % this.cols]!);
  }

  /** Column sums: [rows, cols] -> [1, cols] (sum over the batch). */
  sumRows(): Matrix {
    const out = new Float64Array(this.cols);
    for (let i = 0; i < this.rows; i++) for (let j = 0; j < this.cols; j++) out[j] = out[j]! + this.data[i * this.cols + j]!;
    return new Matrix(1, this.cols, out);
  }

  sum(): number {
    let s = 0;
    for (const v of this.data) s += v;
    return s;
  }

  mean(): number {
    return this.sum() / this.data.length;
  }

  /** Population standard deviation (NumPy's default, ddof = 0). */
  std(): number {
    const m = this.mean();
    let s = 0;
    for (const v of this.data) s += (v - m) * (v - m);
    return Math.sqrt(s / this.data.length);
  }

  /** Transpose: [rows, cols] -> [cols, rows]. */
  transpose(): Matrix {
    const out = new Float64Array(this.data.length);
    for (let i = 0; i < this.rows; i++) for (let j = 0; j < this.cols; j++) out[j * this.rows + i] = this.data[i * this.cols + j]!;
    return new Matrix(this.cols, this.rows, out);
  }
}

function sameShape(op: string, a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new RangeError(`${op}: shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] differ`);
}

/** a @ b: [n, k] x [k, m] -> [n, m]. */
export function matmul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new RangeError(`matmul: [${a.shape.join(', ')}] @ [${b.shape.join(', ')}] do not chain`);
  const n = a.rows, k = a.cols, m = b.cols;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < k; l++) {
      const ail = a.data[i * k + l]!;
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] = out[i * m + j]! + ail * b.data[l * m + j]!;
    }
  }
  return new Matrix(n, m, out);
}

/** a^T @ b: [k, n]^T x [k, m] -> [n, m] (weight gradients: x^T @ grad). */
export function matmulTA(a: Matrix, b: Matrix): Matrix {
  return matmul(a.transpose(), b);
}

/** a @ b^T: [n, k] x [m, k]^T -> [n, m] (input gradients: grad @ W^T). */
export function matmulTB(a: Matrix, b: Matrix): Matrix {
  return matmul(a, b.transpose());
}

/** Euclidean norm of all entries. */
export function norm(a: Matrix): number {
  let s = 0;
  for (const v of a.data) s += v * v;
  return Math.sqrt(s);
}
