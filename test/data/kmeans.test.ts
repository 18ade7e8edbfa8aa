// k-means with k-means++ seeding and the equal-size assignment, on points whose clusters are known.
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { kMeans, nearestCentre } from '../../src/data/kmeans.js';
import { Rng } from '../../src/random.js';
import { testBackend } from '../setup.js';

beforeAll(async () => {
  await testBackend();
});

/** `perCluster` points around each of `centres` (2D), std `std`; returns the points and each one's true cluster. */
function blobs(centres: number[][], perCluster: number[], std: number, seed: number): { points: Float32Array; truth: Int32Array } {
  const rng = new Rng(seed);
  const n = perCluster.reduce((a, b) => a + b, 0);
  const points = new Float32Array(n * 2), truth = new Int32Array(n);
  let i = 0;
  centres.forEach((c, k) => {
    for (let j = 0; j < perCluster[k]!; j++, i++) {
      points[2 * i] = c[0]! + std * rng.normal();
      points[2 * i + 1] = c[1]! + std * rng.normal();
      truth[i] = k;
    }
  });
  return { points, truth };
}

/** True when the clustering is the truth up to a renaming of the clusters. */
function sameUpToRenaming(a: Int32Array, b: Int32Array): boolean {
  const map = new Map<number, number>();
  const back = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((map.get(a[i]!) ?? b[i]) !== b[i] || (back.get(b[i]!) ?? a[i]) !== a[i]) return false;
    map.set(a[i]!, b[i]!);
    back.set(b[i]!, a[i]!);
  }
  return true;
}

const CORNERS = [[0, 0], [10, 0], [0, 10], [10, 10]];

describe('kMeans', () => {
  it('find well-separated clusters exactly, with their means as centres', async () => {
    const { points, truth } = blobs(CORNERS, [50, 50, 50, 50], 0.5, 1);
    const r = await kMeans(points, 2, { k: 4, seed: 3 });
    expect(sameUpToRenaming(r.assignments, truth)).toBe(true);
    expect(Array.from(r.sizes)).toEqual([50, 50, 50, 50]);
    // Each centre is the mean of its points (to float32 rounding of sums of 50 values near 10).
    for (let c = 0; c < 4; c++) {
      let sx = 0, sy = 0, count = 0;
      r.assignments.forEach((a, i) => { if (a === c) { sx += points[2 * i]!; sy += points[2 * i + 1]!; count++; } });
      expect(r.centroids[2 * c]).toBeCloseTo(sx / count, 4);
      expect(r.centroids[2 * c + 1]).toBeCloseTo(sy / count, 4);
    }
    // Inertia: mean squared distance to the centre, about 2 * std^2 = 0.5 for 2D blobs of std 0.5.
    expect(r.inertia).toBeGreaterThan(0.35);
    expect(r.inertia).toBeLessThan(0.65);
    expect(r.iterations).toBeLessThan(30);
  });

  it('give every cluster floor(n / k) or ceil(n / k) points when balanced, each point to a centre with room', async () => {
    // Unequal blobs (90, 50, 30, 30): the free assignment follows them, the balanced one evens them out.
    const { points } = blobs(CORNERS, [90, 50, 30, 30], 0.5, 2);
    const free = await kMeans(points, 2, { k: 4, seed: 3 });
    expect(Array.from(free.sizes).sort((a, b) => a - b)).toEqual([30, 30, 50, 90]);
    const balanced = await kMeans(points, 2, { k: 4, seed: 3, balanced: true });
    expect(Array.from(balanced.sizes)).toEqual([50, 50, 50, 50]);
    const odd = await kMeans(points.subarray(0, 2 * 199), 2, { k: 4, seed: 3, balanced: true });
    expect(Array.from(odd.sizes).sort((a, b) => a - b)).toEqual([49, 50, 50, 50]);
  });

  it('are a function of the seed', async () => {
    const { points } = blobs([[0, 0], [1, 0], [0, 1]], [40, 40, 40], 0.6, 4); // overlapping: the seed matters
    const a = await kMeans(points, 2, { k: 5, seed: 7 }), b = await kMeans(points, 2, { k: 5, seed: 7 });
    expect(Array.from(a.assignments)).toEqual(Array.from(b.assignments));
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
  });

  it('refuse a k that does not fit, ragged or non-finite points', async () => {
    const points = new Float32Array([0, 0, 1, 1, 2, 2]);
    await expect(kMeans(points, 2, { k: 4, seed: 1 })).rejects.toThrow(/expected an integer k in \[2, 3\] but got 4/);
    await expect(kMeans(points, 2, { k: 1, seed: 1 })).rejects.toThrow(DataError);
    await expect(kMeans(points, 4, { k: 2, seed: 1 })).rejects.toThrow(/expected points of length n \* 4 but got 6/);
    await expect(kMeans(new Float32Array([0, 0, NaN, 1, 2, 2]), 2, { k: 2, seed: 1 })).rejects.toThrow(/expected finite points/);
  });
});

describe('nearestCentre', () => {
  it('name the closest centre of each point', () => {
    const centres = new Float32Array([0, 0, 10, 0, 0, 10]);
    expect(Array.from(nearestCentre(new Float32Array([1, 1, 9, 1, 1, 8, 6, 0]), 2, centres))).toEqual([0, 1, 2, 1]);
  });
});
