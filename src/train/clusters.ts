// The clusters a self-conditioned run (config `clusters`, Liu et al. 2020) conditions on: k-means of the training data
// in pixel (or point) space, computed when the run starts; class labels are never read. A fixed set of images is
// split into equal-size clusters (centres from a subset, then every image), so G's uniform code asks for each as often as the data holds it; a stream (toy
// mixtures, Stacked MNIST) is clustered from a fixed draw, and each batch point goes to its nearest centre. The
// clusters are saved in every checkpoint's data state (SavedClusters), so a resumed run conditions on exactly the
// clusters it started with, on any backend, without clustering again.
import { createHash } from 'node:crypto';
import { Rng } from '../random.js';
import { DataError } from '../errors.js';
import { assignBalanced, kMeans, nearestCentre, type KMeansResult } from '../data/kmeans.js';

/** Seeds of the clustering draws: a run's clusters depend only on its data and seed. */
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

/**
 * A run's clusters as its checkpoints keep them (JSON): a fixed set's cluster of every point (uint16 little-endian,
 * base64) with a fingerprint of the set (dataFingerprint), or a stream's centres (float32 little-endian, base64) with
 * the sizes of their clusters in the draw.
 */
export type SavedClusters = { k: number; labels: string; data: string } | { k: number; dim: number; centroids: string; sizes: number[] };

/** sha-256 (hex, first 32 digits) of a fixed set's bytes as loaded: the clusters of one set fit no other. */
export function dataFingerprint(bytes: ArrayBufferView): string {
  return createHash('sha256').update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).digest('hex').slice(0, 32);
}

export function saveFixedClusters(assignments: Int32Array, k: number, fingerprint: string): SavedClusters {
  const bytes = Buffer.alloc(assignments.length * 2);
  assignments.forEach((c, i) => bytes.writeUInt16LE(c, 2 * i));
  return { k, labels: bytes.toString('base64'), data: fingerprint };
}

export function saveStreamClusters(centroids: Float32Array, dim: number, sizes: Int32Array): SavedClusters {
  const bytes = Buffer.alloc(centroids.length * 4);
  centroids.forEach((v, i) => bytes.writeFloatLE(v, 4 * i));
  return { k: sizes.length, dim, centroids: bytes.toString('base64'), sizes: [...sizes] };
}

/** What a saved-clusters value holds, in a few words (its base64 payload left out). */
const savedShape = (s: unknown): string =>
  typeof s === 'object' && s !== null ? `k ${JSON.stringify((s as { k?: unknown }).k)} with keys ${Object.keys(s).join(', ')}` : JSON.stringify(s) ?? String(s);

const savedError = (expected: string, got: string) =>
  new DataError(`checkpoint data state: expected the run's clusters as ${expected} but got ${got}; the checkpoint does not belong to this config`);

/**
 * A fixed set's clusters from a checkpoint: `count` points in `k` clusters, made of the set whose fingerprint is
 * `fingerprint`, checked. Throws DataError on a mismatch.
 */
export function restoreFixedClusters(saved: unknown, k: number, count: number, fingerprint: string): { assignments: Int32Array; sizes: Int32Array } {
  const s = saved as { k?: unknown; labels?: unknown; data?: unknown } | null;
  if (typeof s !== 'object' || s === null || s.k !== k || typeof s.labels !== 'string' || typeof s.data !== 'string') {
    throw savedError(`${k} clusters with a label per point and the images' fingerprint`, savedShape(s));
  }
  if (s.data !== fingerprint) {
    throw new DataError(`checkpoint data state: the run's clusters were made of other training images (fingerprint ${s.data}, these: ${fingerprint}): another folder, or images added, removed or changed since the run started; a self-conditioned run's clusters fit only its own images, so start a new run for new data`);
  }
  const bytes = Buffer.from(s.labels, 'base64');
  if (bytes.length !== count * 2) throw savedError(`a label for each of ${count} points`, `${Math.floor(bytes.length / 2)} labels`);
  const assignments = new Int32Array(count), sizes = new Int32Array(k);
  for (let i = 0; i < count; i++) {
    const c = bytes.readUInt16LE(2 * i);
    if (c >= k) throw savedError(`labels below ${k}`, `label ${c} at point ${i}`);
    assignments[i] = c;
    sizes[c]!++;
  }
  return { assignments, sizes };
}

/** A stream's clusters from a checkpoint: `k` centres of `dim` values, checked. Throws DataError on a mismatch. */
export function restoreStreamClusters(saved: unknown, k: number, dim: number): { assign: (points: Float32Array) => Int32Array; sizes: Int32Array } {
  const s = saved as { k?: unknown; dim?: unknown; centroids?: unknown; sizes?: unknown } | null;
  if (typeof s !== 'object' || s === null || s.k !== k || s.dim !== dim || typeof s.centroids !== 'string' || !Array.isArray(s.sizes) || s.sizes.length !== k) {
    throw savedError(`${k} centres of ${dim} values`, savedShape(s));
  }
  const bytes = Buffer.from(s.centroids, 'base64');
  if (bytes.length !== k * dim * 4) throw savedError(`${k * dim} centre values`, `${Math.floor(bytes.length / 4)}`);
  const centroids = new Float32Array(k * dim);
  for (let i = 0; i < centroids.length; i++) centroids[i] = bytes.readFloatLE(4 * i);
  if (!centroids.every(Number.isFinite)) throw savedError('finite centres', 'a NaN or infinite value');
  return { assign: (points) => nearestCentre(points, dim, centroids), sizes: Int32Array.from(s.sizes as number[]) };
}

/**
 * A fixed set's clusters: the checkpoint's when resuming (`saved` not undefined), else clusterFixedSet's of
 * `points()` (floats as trained on). `bytes` is the set as loaded, for its fingerprint.
 */
export async function fixedSetClusters(points: () => Float32Array, bytes: ArrayBufferView, dim: number, count: number, k: number, seed: number, saved: unknown):
  Promise<{ assignments: Int32Array; sizes: Int32Array; saved: SavedClusters; description: string }> {
  const restored = saved !== undefined;
  const fingerprint = dataFingerprint(bytes);
  const { assignments, sizes } = restored ? restoreFixedClusters(saved, k, count, fingerprint) : await clusterFixedSet(points(), dim, k, seed);
  return { assignments, sizes, saved: restored ? saved as SavedClusters : saveFixedClusters(assignments, k, fingerprint), description: describeClusters(sizes, false, restored) };
}

/** A stream's clusters: the checkpoint's centres when resuming (`saved` not undefined), else clusterStream's. */
export async function streamClusters(draw: (rng: Rng, n: number) => Float32Array, dim: number, k: number, seed: number, saved: unknown):
  Promise<{ assign: (points: Float32Array) => Int32Array; saved: SavedClusters; description: string }> {
  if (saved !== undefined) {
    const { assign, sizes } = restoreStreamClusters(saved, k, dim);
    return { assign, saved: saved as SavedClusters, description: describeClusters(sizes, true, true) };
  }
  const { assign, result } = await clusterStream(draw, dim, k, seed);
  return { assign, saved: saveStreamClusters(result.centroids, dim, result.sizes), description: describeClusters(result.sizes, true, false) };
}

/** "self-conditioned on 10 k-means clusters of 6,000 points" (a range when the sizes differ; streams: of the draw). */
export function describeClusters(sizes: Int32Array, stream: boolean, restored = false): string {
  const low = Math.min(...sizes), high = Math.max(...sizes);
  const range = low === high ? low.toLocaleString('en-US') : `${low.toLocaleString('en-US')}-${high.toLocaleString('en-US')}`;
  return `self-conditioned on ${sizes.length} k-means clusters of ${range} points${stream ? ` (of a ${STREAM_SAMPLE.toLocaleString('en-US')}-point draw)` : ''}${restored ? ', from the checkpoint' : ''}`;
}
