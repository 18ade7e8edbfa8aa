import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/random.js';
import { initBackend, tf } from '../../src/tf.js';
import { reductionBlocks } from '../../src/kernels/wasm/reduce.js';
import { availableBackends, takeData } from '../setup.js';
import { expectNoLeak, worstRatio } from './helpers.js';

// The Sum, Mean and LeakyRelu kernels tested here are the toolkit's wasm kernels: webgpu has its own stock ones, so
// only the LeakyRelu gradient (a fix registered for every backend) is checked on webgpu too.
const BACKENDS = await availableBackends();

/** Runs `work` inside tf.tidy on cpu and on wasm and returns both results' values and shapes. */
async function onBoth(work: () => Tensor[]) {
  const read = async () => Promise.all(tf.tidy(work).map(async (t) => ({ shape: t.shape, values: await takeData(t) })));
  await tf.setBackend('cpu');
  const cpu = await read();
  await tf.setBackend('wasm');
  return { cpu, wasm: await read() };
}

describe('wasm Sum and Mean over leading and middle axes (average pooling)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('splits shapes into [outer, reduced, inner] only for one contiguous run of axes', () => {
    expect(reductionBlocks([64, 14, 14, 32], [0, 1, 2])).toEqual([1, 64 * 14 * 14, 32]);
    expect(reductionBlocks([3, 5, 7, 2], [2, 1])).toEqual([3, 35, 2]);
    expect(reductionBlocks([3, 5, 7, 2], [-3, -2])).toEqual([3, 35, 2]);
    expect(reductionBlocks([3, 5, 7], [0, 2])).toBeNull();
    expect(reductionBlocks([3, 5, 7], [3])).toBeNull();
  });

  it('matches float64 sums on random shapes, axes and keepDims, and the cpu backend\'s shapes', async () => {
    // Float32 accumulation error grows with the sum of magnitudes of the terms (Higham, "Accuracy and Stability of
    // Numerical Algorithms", 4.2), not with the result: the tolerance is 1e-6 (8 float32 epsilons) of sum |x_i|.
    const rng = new Rng(21);
    const cases: [number[], number[]][] = [
      [[64, 7, 7, 16], [0, 1, 2]], [[5, 3], [0]], [[2, 9, 4, 3], [1, 2]], [[2, 9, 4, 3], [0, 1, 2, 3]],
      [[6, 5, 4], [0, 1]], [[6, 5, 4], [-3]], [[6, 5, 4], [2]], [[6, 5, 4], [0, 2]], [[1, 1, 8], [0, 1]], [[7], [0]],
    ];
    for (const [shape, axes] of cases) {
      const rank = shape.length;
      const reduced = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
      const values = Float32Array.from(rng.normalArray(shape.reduce((p, d) => p * d, 1)));
      // float64 reference: for each output position, the sum and the sum of magnitudes of its terms
      const outSize = shape.reduce((p, d, i) => (reduced.has(i) ? p : p * d), 1);
      const count = values.length / outSize;
      const sums = new Float64Array(outSize);
      const magnitudes = new Float64Array(outSize);
      const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
      for (let flat = 0; flat < values.length; flat++) {
        let out = 0;
        for (let d = 0; d < rank; d++) if (!reduced.has(d)) out = out * shape[d]! + (Math.floor(flat / strides[d]!) % shape[d]!);
        sums[out]! += values[flat]!;
        magnitudes[out]! += Math.abs(values[flat]!);
      }
      for (const keepDims of [false, true]) {
        const { cpu, wasm } = await onBoth(() => {
          const x = tf.tensor(values, shape);
          return [tf.sum(x, axes, keepDims), tf.mean(x, axes, keepDims)];
        });
        const label = `${shape} over ${axes}, keepDims ${keepDims}`;
        for (let k = 0; k < 2; k++) {
          expect(wasm[k]!.shape, label).toEqual(cpu[k]!.shape);
          const scale = k === 0 ? 1 : 1 / count;
          for (let i = 0; i < outSize; i++) {
            const error = Math.abs(wasm[k]!.values[i]! - sums[i]! * scale);
            expect(error, `${label} ${k === 0 ? 'sum' : 'mean'}[${i}]`).toBeLessThanOrEqual(1e-6 * magnitudes[i]! * scale + 1e-7);
          }
        }
      }
    }
  });

  it('leaves int32 sums to the stock kernel (exact) and leaks nothing', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([[1, 2], [3, 4], [5, 6]], [3, 2], 'int32');
    expect(await tf.sum(x, 0).array()).toEqual([9, 12]);
    // empty inputs: zeros for sums and means, as on cpu
    expect(await tf.sum(tf.zeros([0, 3, 2]), 0).array()).toEqual([[0, 0], [0, 0], [0, 0]]);
    expect(await tf.sum(tf.zeros([2, 0, 2]), [1]).array()).toEqual([[0, 0], [0, 0]]);
    expect(await tf.mean(tf.zeros([0, 4]), 0).array()).toEqual([0, 0, 0, 0]);
    expect(tf.sum(tf.zeros([2, 3, 0]), [1]).shape).toEqual([2, 0]);
    const y = tf.ones([8, 4, 4, 3]);
    expectNoLeak(() => {
      tf.sum(y, [0, 1, 2]).dispose();
      tf.mean(y, [1, 2], true).dispose();
    });
    x.dispose();
    y.dispose();
  });
});

describe('wasm LeakyRelu (x * step(x, alpha)) and the LeakyRelu gradient (dy * step(x, alpha))', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('gives the stock float32 products (x for x >= 0, fround(alpha) x rounded once), -0, infinities and NaN included', async () => {
    // The stock wasm kernel computes in float32; the cpu backend multiplies by the double alpha, 1 ulp away at times.
    const rng = new Rng(5);
    const values = Float32Array.from([...rng.normalArray(997), 0, -0, Infinity, -Infinity, NaN, 1e-40, -1e-40]);
    await tf.setBackend('wasm');
    for (const alpha of [0.2, 0.3, 0.01, 1, 0]) {
      const got = await takeData(tf.tidy(() => tf.leakyRelu(tf.tensor(values), alpha)));
      const a = Math.fround(alpha);
      const expected = Array.from(values, (v) => (v < 0 ? Math.fround(a * v) : v));
      expect(Array.from(got, (v) => Object.is(v, -0)), `alpha ${alpha}: signs of zero`).toEqual(expected.map((v) => Object.is(v, -0)));
      expect(Array.from(got), `alpha ${alpha}`).toEqual(expected);
    }
  });

  it('has the gradient of tfjs (where(x > 0, dy, alpha dy)) on every backend, bit for bit', async () => {
    const rng = new Rng(6);
    const x = Float32Array.from([...rng.normalArray(500), 0, -0]);
    const dy = Float32Array.from(rng.normalArray(502));
    const alpha = 0.3;
    for (const backend of BACKENDS) {
      await tf.setBackend(backend);
      const [ours, reference] = await Promise.all(tf.tidy(() => {
        const xs = tf.tensor(x);
        const dys = tf.tensor(dy);
        const g = tf.grad((t) => tf.leakyRelu(t, alpha))(xs, dys);
        const ref = tf.where(tf.greater(xs, 0), dys, tf.mul(dys, alpha));
        return [g, ref];
      }).map(takeData));
      expect(Array.from(ours!), backend).toEqual(Array.from(reference!));
    }
  });

  it('falls back to the stock kernel for int32 input (float32 output) and leaks nothing', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([-2, 0, 3], [3], 'int32');
    const y = tf.leakyRelu(x, 0.5);
    expect(y.dtype).toBe('float32');
    expect(Array.from(await y.data())).toEqual([-1, 0, 3]);
    const z = tf.randomNormal([4, 5, 5, 3]);
    expectNoLeak(() => tf.leakyRelu(z, 0.2).dispose());
    tf.dispose([x, y, z]);
  });
});
