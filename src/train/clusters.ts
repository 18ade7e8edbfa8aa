// The clusters a self-conditioned run (config `clusters`, Liu et al. 2020) conditions on: k-means of the training data
// in pixel (or point) space, computed when the run starts; class labels are never read. A fixed set of images is
// split into equal-size clusters, so G's uniform code asks for each as often as the data holds it; a stream (toy
// mixtures, Stacked MNIST) is clustered from a fixed draw, and each batch point goes to its nearest centre.
import { Rng } from '../random.js';
import { kMeans, nearestCentre, type KMeansResult } from '../data/kmeans.js';

/** Seeds of the clustering draws: the same for every start of a run, so a resumed run gets the same clusters. */
const CLUSTER_SEED_SALT = 0xc1a55e5;
/** Points drawn from a stream to place its centres. */
export const STREAM_SAMPLE = 10_000;
/** k-means runs from different seeds on a stream sample; the one of least inertia is kept (a toy's modes are cheap). */
const STREAM_RESTARTS = 5;

/** Equal-size k-means clusters of a fixed set of points [n * dim] (images in [-1, 1] as they are trained on). */
export async function clusterFixedSet(points: Float32Array, dim: number, clusters: number, seed: number): Promise<KMeansResult> {
  return kMeans(points, dim, { k: clusters, seed: seed ^ CLUSTER_SEED_SALT, balanced: true });
}

/**
 * Centres for a stream: k-means of STREAM_SAMPLE points drawn by `draw` with their own seeded Rng (the run's data
 * order is untouched), the best of STREAM_RESTARTS seeds. Returns a function giving each point its nearest centre.
 */
export async function clusterStream(draw: (rng: Rng, n: number) => Float32Array, dim: number, clusters: number, seed: number):
  Promise<{ assign: (points: Float32Array) => Int32Array; result: KMeansResult }> {
  const sample = draw(new Rng(seed ^ CLUSTER_SEED_SALT), STREAM_SAMPLE);
  let best: KMeansResult | null = null;
  for (let r = 0; r < STREAM_RESTARTS; r++) {
    const result = await kMeans(sample, dim, { k: clusters, seed: (seed ^ CLUSTER_SEED_SALT) + r + 1 });
    if (best === null || result.inertia < best.inertia) best = result;
  }
  const centroids = best!.centroids;
  return { assign: (points) => nearestCentre(points, dim, centroids), result: best! };
}

/** "10 k-means clusters of 6,000 points" / "8 k-means clusters of 1,180-1,320 points (of a 10,000-point draw)". */
export function describeClusters(result: KMeansResult, stream: boolean): string {
  const sizes = Array.from(result.sizes);
  const low = Math.min(...sizes), high = Math.max(...sizes);
  const range = low === high ? low.toLocaleString('en-US') : `${low.toLocaleString('en-US')}-${high.toLocaleString('en-US')}`;
  return `self-conditioned on ${sizes.length} k-means clusters of ${range} points${stream ? ` (of a ${STREAM_SAMPLE.toLocaleString('en-US')}-point draw)` : ''}`;
}
