// Spectral normalisation's sigma by power iteration (Miyato et al. 2018), in float64; compare with linalg's exact value.
import { Matrix, matmul, matmulTA, norm } from './matrix.js';

/**
 * `iterations` power-iteration steps for W [rows, cols] from u [rows, 1]: v = W^T u / |W^T u|, u = W v / |W v|.
 * Returns sigma = u^T W v (a lower bound that tends to the largest singular value) and the final u, v.
 */
export function powerIteration(W: Matrix, u0: Matrix, iterations = 1): { sigma: number; u: Matrix; v: Matrix } {
  let u = u0;
  let v = new Matrix(W.cols, 1);
  for (let k = 0; k < iterations; k++) {
    const wtu = matmulTA(W, u);
    v = wtu.scale(1 / norm(wtu));
    const wv = matmul(W, v);
    u = wv.scale(1 / norm(wv));
  }
  return { sigma: matmulTA(u, matmul(W, v)).data[0]!, u, v };
}

/** W / sigma: the spectrally normalised weight. */
export function spectralNormalize(W: Matrix, sigma: number): Matrix {
  return W.scale(1 / sigma);
}
