import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import { gaussian1d, grid25, ring8, toyDataset } from '../../src/data/toy.js';

describe('toy datasets', () => {
  it('places ring-8 modes on a circle of radius 2 and grid-25 modes on {-4,-2,0,2,4}^2', () => {
    expect(ring8.centers).toHaveLength(8);
    for (const [x, y] of ring8.centers) expect(Math.abs(Math.hypot(x!, y!) - 2)).toBeLessThanOrEqual(1e-12);
    expect(ring8.centers[2]![0]!).toBeCloseTo(0, 12);
    expect(ring8.centers[2]![1]!).toBeCloseTo(2, 12);
    expect(grid25.centers).toHaveLength(25);
    expect(new Set(grid25.centers.map((c) => c.join(',')))).toEqual(
      new Set([-4, -2, 0, 2, 4].flatMap((x) => [-4, -2, 0, 2, 4].map((y) => `${x},${y}`))));
  });

  it('draws N(3, 0.5) for gaussian1d (20k samples, 4-sigma bounds on mean and std)', () => {
    const { points } = gaussian1d.sample(new Rng(5), 20000);
    const n = points.length;
    const mean = points.reduce((s, v) => s + v, 0) / n;
    const std = Math.sqrt(points.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    expect(Math.abs(mean - 3)).toBeLessThanOrEqual(4 * 0.5 / Math.sqrt(n));
    expect(Math.abs(std - 0.5)).toBeLessThanOrEqual(4 * 0.5 / Math.sqrt(2 * n));
  });

  it('labels each ring-8 point with the mode it was drawn from, all modes about equally often', () => {
    const { points, labels } = ring8.sample(new Rng(6), 8000);
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 8000; i++) {
      const c = ring8.centers[labels[i]!]!;
      expect(Math.hypot(points[2 * i]! - c[0]!, points[2 * i + 1]! - c[1]!)).toBeLessThan(0.05 * 6);
      counts[labels[i]!]!++;
    }
    // Binomial(8000, 1/8): sd = 29.6; 5 sd bounds.
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThanOrEqual(150);
  });

  it('looks datasets up by name and rejects unknown names', () => {
    expect(toyDataset('grid25')).toBe(grid25);
    expect(() => toyDataset('ring9')).toThrow(new ConfigError("unknown toy dataset 'ring9': expected one of gaussian1d, ring8, grid25"));
  });
});
