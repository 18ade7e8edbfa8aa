// wasm kernels against the cpu backend: webgpu runs its own stock kernels, so these tests do not loop over it.
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/random.js';
import { initBackend, tf } from '../../src/tf.js';
import { takeData } from '../setup.js';
import { convOutShape, randomConvCases, sizeOf, worstRatio, type ConvCase, expectNoLeak } from './helpers.js';

/** Input gradient of sum(conv2d(x, f) * dy) on the current backend, through tf.grad (the path training uses). */
async function inputGradient(c: ConvCase, xValues: Float32Array, fValues: Float32Array, dyValues: Float32Array): Promise<Float32Array> {
  return takeData(tf.tidy(() => {
    const x = tf.tensor4d(xValues, c.x);
    const f = tf.tensor4d(fValues, c.filter);
    const dy = tf.tensor4d(dyValues, convOutShape(c));
    const grad = tf.grad((v: Tensor) => tf.sum(tf.mul(tf.conv2d(v as Tensor4D, f, c.stride, c.pad), dy)));
    return grad(x);
  }));
}

/** conv2dTranspose of y [batch, h, w, outChannels] back to the case's x shape (a generator's upsampling layer). */
async function transposed(c: ConvCase, yValues: Float32Array, fValues: Float32Array): Promise<Float32Array> {
  return takeData(tf.tidy(() => {
    const y = tf.tensor4d(yValues, convOutShape(c));
    const f = tf.tensor4d(fValues, c.filter);
    return tf.conv2dTranspose(y, f, c.x, c.stride, c.pad as 'same' | 'valid' | number);
  }));
}

describe('wasm Conv2DBackpropInput (sub-pixel decomposition)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('matches the cpu backend on 32 random shapes, strides 1 and 2, same/valid/explicit/numeric padding', async () => {
    const rng = new Rng(11);
    for (const c of randomConvCases(rng, 32)) {
      const xValues = rng.normalArray(sizeOf(c.x));
      const fValues = rng.normalArray(sizeOf(c.filter));
      const dyValues = rng.normalArray(sizeOf(convOutShape(c)));
      await tf.setBackend('cpu');
      const expected = await inputGradient(c, xValues, fValues, dyValues);
      await tf.setBackend('wasm');
      const actual = await inputGradient(c, xValues, fValues, dyValues);
      // float32 sums of at most 5*5*4 products of N(0,1) values.
      expect(worstRatio(actual, expected, 1e-5, 1e-5), JSON.stringify(c)).toBeLessThanOrEqual(1);
    }
  });

  it('matches the cpu backend for conv2dTranspose with the reference DCGAN shapes (5x5, stride 1 and 2, same)', async () => {
    const rng = new Rng(12);
    const cases: ConvCase[] = [
      { x: [2, 7, 7, 16], filter: [5, 5, 16, 24], stride: 1, pad: 'same' },
      { x: [2, 14, 14, 8], filter: [5, 5, 8, 16], stride: 2, pad: 'same' },
      { x: [2, 28, 28, 1], filter: [5, 5, 1, 8], stride: 2, pad: 'same' },
      { x: [1, 15, 13, 3], filter: [4, 4, 3, 5], stride: 2, pad: 'same' },
      { x: [1, 15, 13, 3], filter: [3, 4, 3, 5], stride: 2, pad: 'valid' },
    ];
    for (const c of cases) {
      const yValues = rng.normalArray(sizeOf(convOutShape(c)));
      const fValues = rng.normalArray(sizeOf(c.filter));
      await tf.setBackend('cpu');
      const expected = await transposed(c, yValues, fValues);
      await tf.setBackend('wasm');
      const actual = await transposed(c, yValues, fValues);
      // Up to 5*5*24 = 600 products per output.
      expect(worstRatio(actual, expected, 1e-4, 1e-4), JSON.stringify(c)).toBeLessThanOrEqual(1);
    }
  });

  it('leaves no tensor behind, in the engine or in the wasm heap', async () => {
    await tf.setBackend('wasm');
    const dy = tf.randomNormal([3, 5, 6, 4], 0, 1, 'float32', 1);
    const filter = tf.randomNormal([5, 5, 2, 4], 0, 1, 'float32', 2);
    expectNoLeak(() => {
      for (let i = 0; i < 3; i++) {
        // Odd output size (9 rows from 5): exercises the depth-to-space and the crop.
        const dx = tf.conv2dTranspose(dy as Tensor4D, filter as Tensor4D, [3, 9, 11, 2], 2, 'same');
        expect(dx.shape).toEqual([3, 9, 11, 2]);
        dx.dispose();
      }
    });
    tf.dispose([dy, filter]);
  });
});
