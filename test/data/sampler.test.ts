import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { EpochSampler } from '../../src/data/sampler.js';

describe('EpochSampler', () => {
  it('visits every index exactly once per epoch, in a different order each epoch', () => {
    const s = new EpochSampler(10, 3);
    const epoch1 = Array.from(s.next(10));
    const epoch2 = Array.from(s.next(10));
    expect([...epoch1].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...epoch2].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epoch1).not.toEqual(epoch2);
    expect(epoch1).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('runs batches across epoch boundaries and counts epochs', () => {
    const s = new EpochSampler(5, 1);
    const all = [...s.next(3), ...s.next(3), ...s.next(4)];
    expect(s.epoch).toBe(1);
    expect([...all.slice(0, 5)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...all.slice(5, 10)].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives the same order for the same seed and another for another seed', () => {
    expect(new EpochSampler(100, 7).next(100)).toEqual(new EpochSampler(100, 7).next(100));
    expect(new EpochSampler(100, 7).next(100)).not.toEqual(new EpochSampler(100, 8).next(100));
  });

  it('resumes the exact order from a JSON state taken mid-epoch', () => {
    const a = new EpochSampler(7, 42);
    a.next(5);
    a.next(5); // now in epoch 2, position 3
    const state = JSON.parse(JSON.stringify(a.getState()));
    const b = new EpochSampler(7, 999);
    b.setState(state);
    expect(b.epoch).toBe(1);
    expect(Array.from(b.next(20))).toEqual(Array.from(a.next(20)));
  });

  it('refuses a state made for another dataset size or a malformed state', () => {
    const state = new EpochSampler(7, 1).getState();
    expect(() => new EpochSampler(8, 1).setState(state)).toThrow(new DataError('sampler state: expected count 8 (this dataset) but got 7'));
    expect(() => new EpochSampler(7, 1).setState({ ...state, position: 9 }))
      .toThrow(new DataError('sampler state: expected position in [0, 7] but got 9'));
    expect(() => new EpochSampler(7, 1).setState({ ...state, epochRng: { s: [1, 2, 3] as never, spare: null } }))
      .toThrow(new DataError('sampler state: expected epochRng.s to be four uint32 words'));
  });
});
