// The clusters a self-conditioned run (config `clusters`, Liu et al. 2020) conditions on: k-means of the training data
// in pixel (or point) space, computed when the run starts; class labels are never read. A fixed set of images is
// split into equal-size clusters (centres from a subset, then every image), so G's uniform code asks for each as often as the data holds it; a stream (toy
// mixtures, Stacked MNIST) is clustered from a fixed draw, and each batch point goes to its nearest centre.
import { Rng } from '../random.js';
import { assignBalanced, kMeans, nearestCentre, type KMeansResult } from '../data/kmeans.js';

/** Seeds of the clustering draws: the same for every start of a run, so a resumed run gets the same clusters. */
const CLUSTER_SEED_SALT = 0xc1a55e5;
/** Points drawn from a stream to place its centres. */
export const STREAM_SAMPLE = 10_000;
/** k-means runs from different seeds on a stream sample; the one of least inertia is kept (a toy's modes are cheap). */
const STREAM_RESTARTS = 5;

/** Points of a fixed set that place the centres (a seeded subset; all when the set is smaller). */
export const FIT_SAMPLE = 10_000;

/**
 * Equal-size clusters of a fixed set of points [n * dim] (images in [-1, 1] as they are trained on): k-means of a
 * seeded subset of FIT_SAMPLE points places the centres, then every point goes to its nearest centre with room.
 */
export async function clusterFixedSet(points: Float32Array, dim: number, clusters: number, seed: number): Promise<{ assignments: Int32Array; sizes: Int32Array }> {
  const n = points.length / dim;
  const rng = new Rng(seed ^ CLUSTER_SEED_SALT);
  let fit = points;
  if (n > FIT_SAMPLE) {
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    rng.shuffle(order);
    fit = new Float32Array(FIT_SAMPLE * dim);
    for (let i = 0; i < FIT_SAMPLE; i++) fit.set(points.subarray(order[i]! * dim, (order[i]! + 1) * dim), i * dim);
  }
  const { centroids } = await kMeans(fit, dim, { k: clusters, seed: (seed ^ CLUSTER_SEED_SALT) + 1 });
  const assignments = await assignBalanced(points, dim, centroids);
  const sizes = new Int32Array(clusters);
  for (const c of assignments) sizes[c]!++;
  return { assignments, sizes };
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

/** "self-conditioned on 10 k-means clusters of 6,000 points" (a range when the sizes differ; streams: of the draw). */
export function describeClusters(sizes: Int32Array, stream: boolean): string {
  const low = Math.min(...sizes), high = Math.max(...sizes);
  const range = low === high ? low.toLocaleString('en-US') : `${low.toLocaleString('en-US')}-${high.toLocaleString('en-US')}`;
  return `self-conditioned on ${sizes.length} k-means clusters of ${range} points${stream ? ` (of a ${STREAM_SAMPLE.toLocaleString('en-US')}-point draw)` : ''}`;
}
