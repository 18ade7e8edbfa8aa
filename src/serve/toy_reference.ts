// The real distribution of a toy run, for the page to draw under the generated points: the mixture's mode centres
// and a fixed sample of real points (the same seed every time, so checkpoints are compared against the same cloud).
import { ConfigError } from '../errors.js';
import { toyDataset } from '../data/toy.js';
import { Rng } from '../random.js';

/** Real points of a toy dataset: `points` [n * dim] row-major. */
export interface ToyReference {
  data: string;
  dim: number;
  centers: number[][];
  std: number;
  points: number[];
}

/** The reference for the run's config (null for image data or an unknown dataset name). */
export function toyReference(config: Record<string, unknown> | null, n = 1000): ToyReference | null {
  const data = config?.['data'];
  if (typeof data !== 'string' || data === 'mnist') return null;
  try {
    const toy = toyDataset(data);
    const { points } = toy.sample(new Rng(12345), n);
    return { data, dim: toy.dim, centers: toy.centers, std: toy.std, points: Array.from(points) };
  } catch (e) {
    if (e instanceof ConfigError) return null;
    throw e;
  }
}
