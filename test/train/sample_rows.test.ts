// The line that says what the rows of a conditional run's 10x10 sample grid show (row r: class r mod K).
import { expect, it } from 'vitest';
import { sampleGridRows } from '../../src/train/samples.js';

it('names the classes the 10 rows show: MNIST digits, fewer classes cycling, more classes cut at 10', () => {
  expect(sampleGridRows(0, [])).toBeNull();
  expect(sampleGridRows(0, [], 30)).toBe('one row per latent code 0-9 (of 30)');
  expect(sampleGridRows(0, [], 4)).toBe('rows cycle through the 4 latent codes');
  expect(sampleGridRows(10, [])).toBe('one row per class 0-9');
  expect(sampleGridRows(2, ['cat', 'dog'])).toBe('rows cycle through the 2 classes: cat, dog');
  expect(sampleGridRows(10, 'abcdefghij'.split(''))).toBe('one row per class: a, b, c, d, e, f, g, h, i, j');
  expect(sampleGridRows(12, 'abcdefghijkl'.split(''))).toBe('one row per class for the first 10 of 12: a, b, c, d, e, f, g, h, i, j');
});
