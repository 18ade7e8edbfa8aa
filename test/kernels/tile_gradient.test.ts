import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs';
import { Rng } from '../../src/random.js';
import { initBackend, tf } from '../../src/tf.js';
import { availableBackends } from '../setup.js';

const BACKENDS = await availableBackends();

/** The gradient of sum(tile(x, reps) * w) with respect to x, summed block by block in float64. */
function blockSums(shape: number[], reps: number[], w: Float32Array): Float64Array {
  const outShape = shape.map((s, d) => s * reps[d]!);
  const out = new Float64Array(shape.reduce((p, s) => p * s, 1));
  const index = new Array<number>(outShape.length).fill(0);
  for (let flat = 0; flat < w.length; flat++) {
    let rem = flat;
    for (let d = outShape.length - 1; d >= 0; d--) {
      index[d] = rem % outShape[d]!;
      rem = Math.floor(rem / outShape[d]!);
    }
    let src = 0;
    for (let d = 0; d < shape.length; d++) src = src * shape[d]! + (index[d]! % shape[d]!);
    out[src]! += w[flat]!;
  }
  return out;
}

describe('Tile gradient (reshape + sum per repeated axis)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  for (const backend of BACKENDS) {
    it(`equals the block sums of the upstream gradient on ${backend}, ranks 1 to 5 (float32 sums: 1e-5 + 1e-5|x|)`, async () => {
      await tf.setBackend(backend);
      const rng = new Rng(4);
      const cases: [number[], number[]][] = [
        [[3], [4]], [[2, 3], [3, 1]], [[4, 1, 1, 1], [1, 7, 7, 8]], [[1, 1, 1, 5], [6, 3, 2, 1]],
        [[2, 1, 3], [1, 5, 2]], [[2, 3, 1, 2, 2], [2, 1, 3, 1, 2]], [[3, 2], [1, 1]],
      ];
      for (const [shape, reps] of cases) {
        const x = tf.tensor(rng.normalArray(shape.reduce((p, s) => p * s, 1)), shape);
        const wSize = shape.reduce((p, s, d) => p * s * reps[d]!, 1);
        const wValues = Float32Array.from(rng.normalArray(wSize));
        const w = tf.tensor(wValues, shape.map((s, d) => s * reps[d]!));
        const g = tf.grad((t: Tensor) => tf.sum(tf.mul(tf.tile(t, reps), w)))(x);
        expect(g.shape).toEqual(shape);
        const expected = blockSums(shape, reps, wValues);
        const got = await g.data();
        for (let i = 0; i < expected.length; i++) {
          expect(Math.abs(got[i]! - expected[i]!), `${shape} x ${reps} [${i}]`).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(expected[i]!));
        }
        tf.dispose([x, w, g]);
      }
    });
  }

  it('runs a handful of kernels, not one Slice per repetition (layer norm tiles its moments H*W*C times)', async () => {
    await tf.setBackend('cpu');
    const x = tf.randomNormal([4, 1, 1, 1]);
    const info = await tf.profile(() => tf.grad((t: Tensor) => tf.sum(tf.square(tf.tile(t, [1, 7, 7, 64]))))(x));
    tf.dispose([x, info.result as Tensor]);
    expect(info.kernels.filter((k) => k.name === 'Slice')).toHaveLength(0);
    expect(info.kernels.length).toBeLessThan(20);
  });

  it('is differentiable again: with 6 copies, d/dx sum(d/dx sum(tile(x)^3)) = 36 x', async () => {
    await tf.setBackend('cpu');
    const x = tf.tensor([[0.5, -1], [2, 0.25]]);
    const reps = [3, 2];
    // d/dx sum(tile(x)^3) = 3 * 6 * x^2 (six copies); differentiating sum of that again: 36 x.
    const second = tf.grad((t: Tensor) => tf.sum(tf.grad((u: Tensor) => tf.sum(tf.pow(tf.tile(u, reps), 3)))(t)))(x);
    expect(Array.from(await second.data())).toEqual([18, -36, 72, 9]);
    tf.dispose([x, second]);
  });
});
