// Toy distributions of the GAN literature: a 1D Gaussian, 8 Gaussians on a ring and 25 on a grid
// (ring and grid as in VEEGAN, Srivastava et al. 2017, and PacGAN, Lin et al. 2018).
import { ConfigError } from '../errors.js';
import type { Rng } from '../random.js';

/** A mixture of isotropic Gaussians with equal weights. */
export interface ToyDataset {
  name: ToyDatasetName;
  /** Dimension of a point (1 or 2). */
  dim: number;
  /** Mode centres, [numModes][dim]. */
  centers: number[][];
  /** Standard deviation of every mode, per coordinate. */
  std: number;
  /** `n` points: points [n, dim] row-major; labels [n] = index of the mode each was drawn from. */
  sample(rng: Rng, n: number): { points: Float32Array; labels: Int32Array };
}

export const TOY_DATASET_NAMES = ['gaussian1d', 'ring8', 'grid25'] as const;
export type ToyDatasetName = (typeof TOY_DATASET_NAMES)[number];

function mixture(name: ToyDatasetName, centers: number[][], std: number): ToyDataset {
  const dim = centers[0]!.length;
  return {
    name, dim, centers, std,
    sample(rng, n) {
      const points = new Float32Array(n * dim);
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        // One mode draw then `dim` normals per point, so a prefix of a batch is the same for any n.
        const k = centers.length === 1 ? 0 : rng.int(centers.length);
        labels[i] = k;
        const c = centers[k]!;
        for (let d = 0; d < dim; d++) points[i * dim + d] = c[d]! + std * rng.normal();
      }
      return { points, labels };
    },
  };
}

/** N(3, 0.5) in one dimension. */
export const gaussian1d: ToyDataset = mixture('gaussian1d', [[3]], 0.5);

/** 8 modes on a circle of radius 2, std 0.05; mode k at angle 2*pi*k/8. */
export const ring8: ToyDataset = mixture(
  'ring8',
  Array.from({ length: 8 }, (_, k) => [2 * Math.cos((2 * Math.PI * k) / 8), 2 * Math.sin((2 * Math.PI * k) / 8)]),
  0.05,
);

/** 25 modes at {-4, -2, 0, 2, 4}^2, std 0.05; mode 5*i + j at (x_i, y_j). */
export const grid25: ToyDataset = mixture(
  'grid25',
  [-4, -2, 0, 2, 4].flatMap((x) => [-4, -2, 0, 2, 4].map((y) => [x, y])),
  0.05,
);

const TOY_DATASETS: Record<ToyDatasetName, ToyDataset> = { gaussian1d, ring8, grid25 };

/** Looks a toy dataset up by name; ConfigError listing the names otherwise. */
export function toyDataset(name: string): ToyDataset {
  if ((TOY_DATASET_NAMES as readonly string[]).includes(name)) return TOY_DATASETS[name as ToyDatasetName];
  throw new ConfigError(`unknown toy dataset '${name}': expected one of ${TOY_DATASET_NAMES.join(', ')}`);
}
