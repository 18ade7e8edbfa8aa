// wasm kernels against the cpu backend: webgpu runs its own stock kernels, so these tests do not loop over it.
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/random.js';
import { initBackend, tf } from '../../src/tf.js';
import { takeArray } from '../setup.js';
import { expectNoLeak } from './helpers.js';

describe('wasm Tile (block copies)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('matches the cpu backend exactly for ranks 1 to 5, float32, int32 and bool', async () => {
    const rng = new Rng(9);
    const cases: [number[], number[]][] = [
      [[3], [4]], [[2, 3], [3, 1]], [[1, 1, 1, 5], [4, 3, 2, 1]], [[2, 1, 3], [1, 5, 2]], [[2, 3, 1, 2, 2], [2, 1, 3, 1, 2]],
      [[4, 1], [1, 7]], [[3, 2], [1, 1]],
    ];
    for (const [shape, reps] of cases) {
      const size = shape.reduce((p, d) => p * d, 1);
      const values = rng.normalArray(size);
      const ints = Int32Array.from(values, (v) => Math.round(v * 10));
      const run = () => Promise.all(tf.tidy(() => [
        tf.tile(tf.tensor(values, shape), reps),
        tf.tile(tf.tensor(ints, shape, 'int32'), reps),
        tf.tile(tf.greater(tf.tensor(values, shape), 0), reps),
      ]).map(takeArray));
      await tf.setBackend('cpu');
      const expected = await run();
      await tf.setBackend('wasm');
      expect(await run(), `${shape} x ${reps}`).toEqual(expected);
    }
  });

  it('leaves no tensor behind, in the engine or in the wasm heap', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([1, 1, 1, 8]);
    expectNoLeak(() => tf.tile(x, [4, 3, 3, 1]).dispose());
    x.dispose();
  });
});
