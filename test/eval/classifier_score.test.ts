import { describe, expect, it } from 'vitest';
import { classifierScore } from '../../src/eval/classifier_score.js';

describe('classifierScore', () => {
  it('is the number of classes for confident, balanced predictions and 1 for a single class', () => {
    const balanced = Array.from({ length: 100 }, (_, i) => Array.from({ length: 10 }, (_, k) => (k === i % 10 ? 1 : 0))).flat();
    expect(Math.abs(classifierScore(balanced, 10) - 10)).toBeLessThan(1e-12);
    const single = Array.from({ length: 100 }, () => [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]).flat();
    expect(Math.abs(classifierScore(single, 10) - 1)).toBeLessThan(1e-12);
    const unsure = new Array(1000).fill(0.1);
    expect(Math.abs(classifierScore(unsure, 10) - 1)).toBeLessThan(1e-12);
  });

  it('matches exp(0.9 ln 1.8 + 0.1 ln 0.2) for two mirrored soft predictions', () => {
    const expected = Math.exp(0.9 * Math.log(1.8) + 0.1 * Math.log(0.2));
    expect(Math.abs(classifierScore([0.9, 0.1, 0.1, 0.9], 2) - expected)).toBeLessThan(1e-12 * expected);
  });
});
