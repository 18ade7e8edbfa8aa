import { describe, expect, it } from 'vitest';
import { powerIteration, spectralNormalize } from '../../src/scratch/spectral-norm.js';
import { largestSingularValue } from '../../src/scratch/linalg.js';
import { gaussian } from '../../src/scratch/data.js';
import { Rng } from '../../src/random.js';

describe('scratch spectral norm', () => {
  it('converges to the exact largest singular value from below, and normalising gives sigma 1', () => {
    const rng = new Rng(21);
    const W = gaussian(rng, 20, 10);
    const u0 = gaussian(rng, 20, 1);
    const exact = largestSingularValue(W.data, 20, 10);
    const one = powerIteration(W, u0, 1).sigma;
    const many = powerIteration(W, u0, 300).sigma;
    expect(one).toBeLessThan(exact); // a single step underestimates (Rayleigh quotient)
    expect(one).toBeGreaterThan(0.5 * exact);
    expect(Math.abs(many - exact)).toBeLessThanOrEqual(1e-12 + 1e-10 * exact);
    expect(Math.abs(largestSingularValue(spectralNormalize(W, exact).data, 20, 10) - 1)).toBeLessThanOrEqual(1e-12);
  });
});
