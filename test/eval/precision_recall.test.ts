// k-NN precision, recall and coverage on hand-made vectors (every count worked out below), and against a plain float64
// brute force on integer vectors (whose squared distances float32 holds exactly, so the counts must agree exactly).
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/tf.js';
import { knnRadii, precisionRecallCoverage } from '../../src/eval/precision_recall.js';
import { ShapeError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import { availableBackends, testBackend } from '../setup.js';

beforeAll(async () => { await testBackend(); });

const points = (xs: number[]) => Float32Array.from(xs);

/** Float64 brute force of the definitions: closed k-NN balls, the point itself excluded from its own neighbours. */
function bruteForce(real: Float32Array, fake: Float32Array, dim: number, k: number) {
  const rows = (x: Float32Array) => Array.from({ length: x.length / dim }, (_, i) => Array.from(x.subarray(i * dim, (i + 1) * dim)));
  const d2 = (a: number[], b: number[]) => a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0);
  const radii = (set: number[][]) => set.map((p, i) => set.filter((_, j) => j !== i).map((q) => d2(p, q)).sort((a, b) => a - b)[k - 1]!);
  const r = rows(real), f = rows(fake), rr = radii(r), fr = radii(f);
  return {
    precision: f.filter((p) => r.some((q, j) => d2(p, q) <= rr[j]!)).length / f.length,
    recall: r.filter((p) => f.some((q, j) => d2(p, q) <= fr[j]!)).length / r.length,
    coverage: r.filter((p, j) => f.some((q) => d2(p, q) <= rr[j]!)).length / r.length,
  };
}

describe('precisionRecallCoverage', () => {
  it('gives the hand-computed answers on 1-D points with k = 1, boundary points counting as inside', async () => {
    // real 0, 1, 3, 10: nearest-other distances 1, 1, 2, 7 (squared radii 1, 1, 4, 49).
    // fake 2, 5, 30, 31: nearest-other distances 3, 3, 1, 1.
    // precision: 2 is 1 from real 1 (radius 1, on the boundary), 5 is 2 from real 3 (radius 2, on the boundary);
    //   30 and 31 are 20+ from real 10 (radius 7): 2/4.
    // recall: reals 0, 1, 3 lie within 3 of fake 2; real 10 is 5 from fake 5 (radius 3): 3/4.
    // coverage: real 0's nearest fake is 2 away (radius 1): no; real 1: 1 <= 1; real 3: 1 <= 2; real 10: 5 <= 7: 3/4.
    const real = points([0, 1, 3, 10]), fake = points([2, 5, 30, 31]);
    expect(Array.from(await knnRadii(real, 1, { k: 1 }))).toEqual([1, 1, 4, 49]);
    expect(await precisionRecallCoverage(real, fake, 1, { k: 1 })).toEqual({ precision: 0.5, recall: 0.75, coverage: 0.75 });
  });

  it('shows recall 1 where coverage is 2/5 with k = 3: one far fake point inflates every fake ball', async () => {
    // real 0, 1, 2, 4, 8: 3rd-nearest-other distances 4, 3, 2, 4, 7.
    // fake 5, 6, 12, 20: 3rd-nearest-other distances 15, 14, 8, 15: fake 5's ball [-10, 20] holds every real (recall 1).
    // precision: 5 and 6 are within 4 of real 4, 12 within 7 of real 8; 20 is 12 from real 8: 3/4.
    // coverage: nearest fakes of reals 0, 1, 2 are 5, 4, 3 away (radii 4, 3, 2): no; 4: 1 <= 4; 8: 2 <= 7: 2/5.
    const real = points([0, 1, 2, 4, 8]), fake = points([5, 6, 12, 20]);
    expect(Array.from(await knnRadii(real, 1))).toEqual([16, 9, 4, 16, 49]);
    expect(await precisionRecallCoverage(real, fake, 1)).toEqual({ precision: 0.75, recall: 1, coverage: 0.4 });
  });

  it('agrees exactly with a float64 brute force on integer vectors, in blocks, on every backend, leaking no tensors', async () => {
    const rng = new Rng(7), dim = 6;
    // Two overlapping clusters of small integers: ties happen (closed balls decide them) and every distance is exact.
    const draw = (n: number, shift: number) => Float32Array.from({ length: n * dim }, () => Math.round(3 * rng.normal()) + shift);
    const real = draw(150, 0), fake = draw(120, 2);
    const expected = bruteForce(real, fake, dim, 3);
    expect(expected.precision).toBeGreaterThan(0.05); // not a degenerate case: both sets overlap partly
    expect(expected.precision).toBeLessThan(0.95);
    for (const backend of await availableBackends()) {
      await initBackend(backend);
      const before = tf.memory().numTensors;
      // Blocks of 7 rows (the last one shorter), then one block.
      expect(await precisionRecallCoverage(real, fake, dim, { rowsPerBlock: 7 }), backend).toEqual(expected);
      expect(await precisionRecallCoverage(real, fake, dim), backend).toEqual(expected);
      expect(tf.memory().numTensors, `${backend}: tensors left behind`).toBe(before);
    }
    await testBackend();
  });

  it('refuses sets too small for k and features of the wrong length', async () => {
    await expect(precisionRecallCoverage(points([0, 1, 2]), points([0, 1, 2, 3]), 1))
      .rejects.toThrow(new ShapeError('precisionRecallCoverage: real: expected at least 4 feature vectors but got 3'));
    await expect(knnRadii(points([0, 1, 2, 3, 4]), 2)).rejects.toThrow(new ShapeError('knnRadii: expected [n, 2] features but got 5 numbers'));
  });
});
