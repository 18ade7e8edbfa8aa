// wasm kernels against the cpu backend: webgpu runs its own stock kernels, so these tests do not loop over it.
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/random.js';
import { initBackend, tf } from '../../src/tf.js';
import { takeData } from '../setup.js';
import { expectNoLeak, worstRatio } from './helpers.js';

/** matMul and fused matMul (bias + relu) with every transpose combination, values read back. */
async function products(aValues: Float32Array, bValues: Float32Array, bias: Float32Array, m: number, k: number, n: number): Promise<Float32Array[]> {
  return Promise.all(tf.tidy(() => {
    const results: Tensor[] = [];
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const a = tf.tensor2d(aValues, ta ? [k, m] : [m, k]);
        const b = tf.tensor2d(bValues, tb ? [n, k] : [k, n]);
        results.push(tf.matMul(a, b, ta, tb));
        const fused = tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias: tf.tensor1d(bias), activation: 'relu' });
        results.push(fused);
        // Batched operands (batch 2) keep the stock path: checked too.
        const a3 = tf.stack([a, a]) as Tensor;
        const b3 = tf.stack([b, tf.neg(b)]) as Tensor;
        results.push(tf.matMul(a3, b3, ta, tb));
      }
    }
    return results;
  }).map(takeData));
}

describe('wasm BatchMatMul and _FusedMatMul with transposed operands', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  /** Random m x k and k x n operands: every product of `products` on wasm against cpu, 1e-5 + 1e-5|x|. */
  async function expectCpuProducts(rng: Rng, m: number, k: number, n: number): Promise<void> {
    const a = rng.normalArray(m * k);
    const b = rng.normalArray(k * n);
    const bias = rng.normalArray(n);
    await tf.setBackend('cpu');
    const expected = await products(a, b, bias, m, k, n);
    await tf.setBackend('wasm');
    const actual = await products(a, b, bias, m, k, n);
    expect(actual.length).toBe(12);
    actual.forEach((values, i) => expect(worstRatio(values, expected[i]!, 1e-5, 1e-5), `${m}x${k}x${n} product ${i}`).toBeLessThanOrEqual(1));
  }

  it('match the cpu backend for every transposeA/transposeB combination', async () => {
    // Sums of 13 products of N(0,1) values in float32.
    await expectCpuProducts(new Rng(5), 7, 13, 5);
  });

  it('match the cpu backend for thin products (inner or outer size 1: plain loops), every transpose combination', async () => {
    // float64 sums of up to 300 products rounded once, against float32 sums on cpu
    const rng = new Rng(8);
    for (const [m, k, n] of [[6, 1, 9], [7, 11, 1], [1, 5, 1], [4, 1, 1], [64, 300, 1]] as [number, number, number][]) {
      await expectCpuProducts(rng, m, k, n);
    }
  });

  it('leaves no tensor behind, in the engine or in the wasm heap', async () => {
    await tf.setBackend('wasm');
    const a = tf.randomNormal([9, 4], 0, 1, 'float32', 1);
    const b = tf.randomNormal([6, 9], 0, 1, 'float32', 2);
    expectNoLeak(() => tf.matMul(a, b, true, true).dispose());
    tf.dispose([a, b]);
  });
});
