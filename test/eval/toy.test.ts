import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random.js';
import { gaussian1d, grid25, ring8 } from '../../src/data/toy.js';
import { gaussian1dMetrics, ksStatistic, mixtureMetrics, normalCdf, truncatedSquaredRadius } from '../../src/eval/toy.js';

const close = (a: number, b: number, atol: number, rtol = 0) => Math.abs(a - b) <= atol + rtol * Math.abs(b);

describe('1D metrics', () => {
  it('computes the normal CDF to 2e-7 at known points', () => {
    // Values of Phi from tables / scipy.stats.norm.cdf.
    for (const [x, p] of [[0, 0.5], [1, 0.8413447460685429], [-1.96, 0.024997895148220435], [3, 0.9986501019683699]] as const) {
      expect(close(normalCdf(x), p, 2e-7)).toBe(true);
    }
  });

  it('gives known KS statistics: 0.25 for {0.25, 0.75} against U(0, 1), and 0.5 for one sample at the median', () => {
    expect(close(ksStatistic([0.75, 0.25], (x) => x), 0.25, 1e-15)).toBe(true);
    expect(close(ksStatistic([0.1, 0.2, 0.3], (x) => x), 0.7, 1e-15)).toBe(true);
    expect(close(ksStatistic([3], (x) => normalCdf((x - 3) / 0.5)), 0.5, 1e-7)).toBe(true);
  });

  it('scores real N(3, 0.5) samples near 0 KS and a shifted N(3.5, 0.5) near Phi(0.5) - Phi(-0.5) = 0.383', () => {
    const real = gaussian1d.sample(new Rng(1), 2500).points;
    const m = gaussian1dMetrics(real, 3, 0.5);
    // 99.9% KS critical value at n = 2500 is 1.95 / sqrt(n) = 0.039.
    expect(m.ks).toBeLessThan(0.039);
    expect(close(m.mean, 3, 4 * 0.5 / 50)).toBe(true);
    expect(close(m.std, 0.5, 4 * 0.5 / Math.sqrt(5000))).toBe(true);
    const shifted = Float32Array.from(real, (x) => x + 0.5);
    expect(close(gaussian1dMetrics(shifted, 3, 0.5).ks, 0.3829, 0.04)).toBe(true);
  });
});

describe('mixture metrics (VEEGAN / PacGAN protocol)', () => {
  it('finds samples on the mode centres 100% high quality, all modes covered and reverse KL 0', () => {
    const points = Float32Array.from(Array.from({ length: 2500 }, (_, i) => grid25.centers[i % 25]!).flat());
    const m = mixtureMetrics(points, grid25);
    expect([m.highQualityPercent, m.modesCovered, m.modesCoveredStrict, m.numModes]).toEqual([100, 25, 25, 25]);
    expect(close(m.reverseKl, 0, 1e-12)).toBe(true);
    expect(m.spread).toBe(0); // every mode drawn as a point: all high quality, no spread at all
  });

  it('finds a generator collapsed to one mode covers 1 of 8 with reverse KL log 8', () => {
    const rng = new Rng(2);
    const points = Float32Array.from({ length: 5000 }, (_, i) => ring8.centers[3]![i % 2]! + 0.05 * rng.normal());
    const m = mixtureMetrics(points, ring8);
    expect(m.modesCovered).toBe(1);
    expect(m.modesCoveredStrict).toBe(1);
    expect(close(m.reverseKl, Math.log(8), 1e-12)).toBe(true);
  });

  it('finds real ring-8 data covers 8 of 8 with 1 - exp(-4.5) = 98.9% high quality', () => {
    const { points } = ring8.sample(new Rng(3), 2500);
    const m = mixtureMetrics(points, ring8);
    expect(m.modesCovered).toBe(8);
    expect(m.modesCoveredStrict).toBe(8);
    // Binomial sd at n = 2500, p = 0.989: 0.21 points; 5 sd.
    expect(close(m.highQualityPercent, 100 * (1 - Math.exp(-4.5)), 1.05)).toBe(true);
    expect(m.reverseKl).toBeLessThan(0.01);
  });

  it("measures spread as the high-quality samples' RMS distance to their centre over real data's: 1 for real points", () => {
    // Real data: 1 up to sampling noise (10,000 points: the RMS ratio's sd is ~0.005; 0.02 is 4 sd, both sides).
    const real = mixtureMetrics(ring8.sample(new Rng(5), 10000).points, ring8);
    expect(close(real.spread, 1, 0.02)).toBe(true);
    // Every sample exactly 1 std from a centre: sqrt(1 / E[r^2 | r <= 3]) = 1 / sqrt(1.899) = 0.7257.
    const rng = new Rng(6);
    const points = Array.from({ length: 800 }, (_, i) => {
      const angle = 2 * Math.PI * rng.uniform(), c = ring8.centers[i % 8]!;
      return [c[0]! + ring8.std * Math.cos(angle), c[1]! + ring8.std * Math.sin(angle)];
    }).flat();
    expect(close(mixtureMetrics(points, ring8).spread, 1 / Math.sqrt(2 - 9 * Math.exp(-4.5) / (1 - Math.exp(-4.5))), 1e-5)).toBe(true);
    expect(mixtureMetrics([0, 0], ring8).spread).toBeNaN(); // no high-quality sample: nothing to measure
  });

  it('gives the truncated chi-square mean: closed forms in 1 and 2 dimensions, the plain mean when nothing is cut', () => {
    const phi3 = Math.exp(-4.5) / Math.sqrt(2 * Math.PI);
    expect(close(truncatedSquaredRadius(1, 3), 1 - (2 * 3 * phi3) / (2 * normalCdf(3) - 1), 1e-6)).toBe(true); // normalCdf: 1.2e-7
    expect(close(truncatedSquaredRadius(2, 3), 2 - 9 * Math.exp(-4.5) / (1 - Math.exp(-4.5)), 1e-12)).toBe(true);
    expect(close(truncatedSquaredRadius(2, 1), 2 - Math.exp(-0.5) / (1 - Math.exp(-0.5)), 1e-12)).toBe(true);
    expect(close(truncatedSquaredRadius(3, 40), 3, 1e-12)).toBe(true);
  });

  it('counts a mode with a single high-quality sample as covered but not as strictly covered', () => {
    // 2,493 samples on mode 0, one on each of modes 1..7: 8 covered, strict coverage needs 0.2 * 2500 / 8 = 62.5.
    const points: number[] = [];
    for (let i = 0; i < 2493; i++) points.push(...ring8.centers[0]!);
    for (let k = 1; k < 8; k++) points.push(...ring8.centers[k]!);
    const m = mixtureMetrics(points, ring8);
    expect(m.modesCovered).toBe(8);
    expect(m.modesCoveredStrict).toBe(1);
  });

  it('does not count samples between modes as high quality', () => {
    const m = mixtureMetrics([0, 0, 1, 0], ring8); // origin and a point halfway to the ring
    expect([m.highQualityPercent, m.modesCovered]).toEqual([0, 0]);
    expect(m.reverseKl).toBe(Infinity);
  });
});
