// Toy target distributions of the seed: a 1D Gaussian and 8 Gaussians on a ring (the mode-collapse test).
import { Matrix } from './matrix.js';
import type { Rng } from '../random.js';

/** [n, dim] standard normals scaled by std and shifted by mean, drawn as float32 (so tfjs gets identical values). */
export function gaussian(rng: Rng, n: number, dim = 1, mean = 0, std = 1): Matrix {
  return Matrix.from(n, dim, rng.normalArray(n * dim, mean, std));
}

/** The 8 mode centres: radius (cos 2 pi i / 8, sin 2 pi i / 8), as [8, 2]. */
export function ringCenters(radius = 2): Matrix {
  const c = new Float64Array(16);
  for (let i = 0; i < 8; i++) {
    c[2 * i] = radius * Math.cos((2 * Math.PI * i) / 8);
    c[2 * i + 1] = radius * Math.sin((2 * Math.PI * i) / 8);
  }
  return new Matrix(8, 2, c);
}

/**
 * The seed's sample_8_gaussians: n points [n, 2] from 8 Gaussians (std `std`) on a circle of `radius`, and the
 * mode index of each point. Draws the n indices first, then the 2n normals.
 */
export function sample8Gaussians(rng: Rng, n: number, radius = 2, std = 0.05): { samples: Matrix; indices: Int32Array } {
  const centers = ringCenters(radius);
  const indices = Int32Array.from({ length: n }, () => rng.int(8));
  const noise = rng.normalArray(2 * n, 0, std);
  const samples = new Matrix(n, 2, Float64Array.from({ length: 2 * n }, (_, k) => Math.fround(centers.get(indices[k >> 1]!, k & 1) + noise[k]!)));
  return { samples, indices };
}
