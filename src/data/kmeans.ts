// k-means (Lloyd 1982) with k-means++ seeding (Arthur & Vassilvitskii 2007) and an equal-size assignment: the
// label-free clusters a self-conditioned GAN (Liu et al. 2020) conditions on. Distances run as one matmul per pass.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { DataError } from '../errors.js';
import { Rng } from '../random.js';

export interface KMeansOptions {
  /** Number of clusters (2 <= k <= points). */
  k: number;
  /** Seed of the k-means++ draws. */
  seed: number;
  /** Lloyd passes at most (default 30); stops early when no point changes cluster. */
  iterations?: number;
  /**
   * Equal-size clusters (default false): each point goes to its nearest centre that still has room, taken from the
   * closest (point, centre) pairs first, so every cluster holds floor(n / k) or ceil(n / k) points.
   */
  balanced?: boolean;
}

export interface KMeansResult {
  /** Centres [k * dim] row-major. */
  centroids: Float32Array;
  /** Cluster of each point [n]. */
  assignments: Int32Array;
  /** Points per cluster [k]. */
  sizes: Int32Array;
  /** Mean squared distance of a point to its centre. */
  inertia: number;
  /** Lloyd passes run. */
  iterations: number;
}

/** Squared distances [n, k] between points [n, dim] and centres [k, dim]: |x|^2 - 2 x.c + |c|^2, one matmul. */
function squaredDistances(points: tfjs.Tensor2D, centres: tfjs.Tensor2D): tfjs.Tensor2D {
  return tf.tidy(() => {
    const xx = tf.sum(tf.square(points), 1, true);
    const cc = tf.reshape(tf.sum(tf.square(centres), 1), [1, -1]);
    return tf.relu(tf.add(tf.sub(xx, tf.mul(2, tf.matMul(points, centres, false, true))), cc)) as tfjs.Tensor2D;
  });
}

/** Cluster of each of `n` points [n * dim] under centres [k * dim]: the nearest centre (plain JS, for small batches). */
export function nearestCentre(points: Float32Array, dim: number, centroids: Float32Array): Int32Array {
  const n = points.length / dim, k = centroids.length / dim;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0, bestDistance = Infinity;
    for (let c = 0; c < k; c++) {
      let d = 0;
      for (let j = 0; j < dim; j++) {
        const e = points[i * dim + j]! - centroids[c * dim + j]!;
        d += e * e;
      }
      if (d < bestDistance) { bestDistance = d; best = c; }
    }
    out[i] = best;
  }
  return out;
}

/** Each point to its nearest centre with room, (point, centre) pairs taken from the closest: n mod k clusters get ceil(n / k) points, the rest floor(n / k). */
function balancedAssignment(distances: Float32Array, n: number, k: number): Int32Array {
  const small = Math.floor(n / k), large = n % k; // `large` clusters hold small + 1
  const order = new Uint32Array(n * k);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => distances[a]! - distances[b]!);
  const assignments = new Int32Array(n).fill(-1);
  const sizes = new Int32Array(k);
  let fullLarge = 0;
  for (const pair of order) {
    const point = Math.floor(pair / k), centre = pair % k;
    if (assignments[point] !== -1) continue;
    const room = sizes[centre]! < small || (sizes[centre] === small && fullLarge < large);
    if (!room) continue;
    if (sizes[centre] === small) fullLarge++;
    assignments[point] = centre;
    sizes[centre]!++;
  }
  return assignments;
}

/**
 * Equal-size clusters of `points` [n * dim] around given centres [k * dim]: each point to its nearest centre that
 * still has room (balancedAssignment). Returns the cluster of each point.
 */
export async function assignBalanced(points: Float32Array, dim: number, centroids: Float32Array): Promise<Int32Array> {
  const n = points.length / dim, k = centroids.length / dim;
  const d = tf.tidy(() => squaredDistances(tf.tensor2d(points, [n, dim]), tf.tensor2d(centroids, [k, dim])));
  try {
    return balancedAssignment(await d.data() as Float32Array, n, k);
  } finally {
    d.dispose();
  }
}

/**
 * Clusters `points` [n * dim] into k groups. Deterministic for a seed (on one backend). Throws DataError on a k that
 * does not fit the data or on non-finite points.
 */
export async function kMeans(points: Float32Array, dim: number, options: KMeansOptions): Promise<KMeansResult> {
  const { k, seed, iterations = 30, balanced = false } = options;
  if (!Number.isInteger(dim) || dim < 1 || points.length % dim !== 0) {
    throw new DataError(`kMeans: expected points of length n * ${dim} but got ${points.length}`);
  }
  const n = points.length / dim;
  if (!Number.isInteger(k) || k < 2 || k > n) throw new DataError(`kMeans: expected an integer k in [2, ${n}] but got ${k}`);
  if (!points.every(Number.isFinite)) throw new DataError('kMeans: expected finite points but got NaN or Infinity');
  const rng = new Rng(seed);
  const x = tf.tensor2d(points, [n, dim]);
  try {
    // k-means++: each next centre drawn with probability proportional to the squared distance to the nearest one so far.
    const centroids = new Float32Array(k * dim);
    const first = rng.int(n);
    centroids.set(points.subarray(first * dim, (first + 1) * dim), 0);
    const nearest = new Float64Array(n).fill(Infinity);
    for (let c = 1; c < k; c++) {
      const d = tf.tidy(() => squaredDistances(x, tf.tensor2d(centroids.subarray((c - 1) * dim, c * dim), [1, dim])));
      const values = await d.data();
      d.dispose();
      let total = 0;
      for (let i = 0; i < n; i++) {
        nearest[i] = Math.min(nearest[i]!, values[i]!);
        total += nearest[i]!;
      }
      let target = rng.uniform() * total, chosen = n - 1;
      for (let i = 0; i < n; i++) {
        target -= nearest[i]!;
        if (target < 0) { chosen = i; break; }
      }
      centroids.set(points.subarray(chosen * dim, (chosen + 1) * dim), c * dim);
    }
    let assignments = new Int32Array(n).fill(-1);
    let passes = 0;
    let distances = new Float32Array(0);
    for (; passes < iterations; passes++) {
      const d = tf.tidy(() => squaredDistances(x, tf.tensor2d(centroids, [k, dim])));
      distances = (await d.data()) as Float32Array;
      d.dispose();
      const next = balanced ? balancedAssignment(distances, n, k) : argMinRows(distances, n, k);
      const changed = next.some((c, i) => c !== assignments[i]);
      assignments = next;
      if (!changed) break;
      updateCentroids(points, dim, assignments, centroids);
    }
    const sizes = new Int32Array(k);
    let inertia = 0;
    for (let i = 0; i < n; i++) {
      sizes[assignments[i]!]!++;
      inertia += distances[i * k + assignments[i]!]!;
    }
    return { centroids, assignments, sizes, inertia: inertia / n, iterations: passes };
  } finally {
    x.dispose();
  }
}

function argMinRows(distances: Float32Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (distances[i * k + c]! < distances[i * k + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** Each centre to the mean of its points (a centre with none keeps its place). */
function updateCentroids(points: Float32Array, dim: number, assignments: Int32Array, centroids: Float32Array): void {
  const k = centroids.length / dim;
  const sums = new Float64Array(k * dim), counts = new Int32Array(k);
  for (let i = 0; i < assignments.length; i++) {
    const c = assignments[i]!;
    counts[c]!++;
    for (let j = 0; j < dim; j++) sums[c * dim + j]! += points[i * dim + j]!;
  }
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) continue;
    for (let j = 0; j < dim; j++) centroids[c * dim + j] = sums[c * dim + j]! / counts[c]!;
  }
}
