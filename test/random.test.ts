import { describe, expect, it } from 'vitest';
import { Rng } from '../src/random.js';

describe('Rng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.nextUint32());
    const xb = Array.from({ length: 5 }, () => b.nextUint32());
    const xc = Array.from({ length: 5 }, () => c.nextUint32());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });

  it('resumes exactly from a saved state, including the cached normal', () => {
    const a = new Rng(7);
    a.normal(); // leaves a spare normal cached
    const b = Rng.fromState(JSON.parse(JSON.stringify(a.getState())));
    expect(Array.from({ length: 9 }, () => b.normal())).toEqual(Array.from({ length: 9 }, () => a.normal()));
  });

  it('draws normals with mean 0 and standard deviation 1 (100k samples, 4-sigma bounds)', () => {
    const rng = new Rng(1);
    const n = 100_000;
    const x = rng.normalArray(n);
    const mean = x.reduce((s, v) => s + v, 0) / n;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    // Standard error of the mean is 1/sqrt(n) = 0.0032; of the variance, sqrt(2/n) = 0.0045.
    expect(Math.abs(mean)).toBeLessThan(4 * 0.0032);
    expect(Math.abs(variance - 1)).toBeLessThan(4 * 0.0045);
  });

  it('draws uniforms in [0, 1) with mean 1/2', () => {
    const rng = new Rng(2);
    const x = rng.uniformArray(100_000);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x)).toBeLessThan(1);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / 100_000));
  });
});
