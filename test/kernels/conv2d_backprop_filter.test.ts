// wasm kernels against the cpu backend: webgpu runs its own stock kernels, so these tests do not loop over it.
import type { Scalar, Tensor, Tensor4D, Variable } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/random.js';
import { initBackend, tf } from '../../src/tf.js';
import { takeData } from '../setup.js';
import { convOutShape, randomConvCases, sizeOf, worstRatio, type ConvCase, expectNoLeak } from './helpers.js';

/** Filter gradient of sum(conv2d(x, f) * dy) on the current backend, through tf.grad (the path training uses). */
async function filterGradient(c: ConvCase, xValues: Float32Array, fValues: Float32Array, dyValues: Float32Array): Promise<Float32Array> {
  return takeData(tf.tidy(() => {
    const x = tf.tensor4d(xValues, c.x);
    const f = tf.tensor4d(fValues, c.filter);
    const y0 = tf.conv2d(x, f, c.stride, c.pad);
    const dy = tf.tensor4d(dyValues, y0.shape);
    const grad = tf.grad((w: Tensor) => tf.sum(tf.mul(tf.conv2d(x, w as Tensor4D, c.stride, c.pad), dy)));
    return grad(f);
  }));
}

describe('wasm Conv2DBackpropFilter', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('matches the cpu backend on 24 random shapes, strides 1 and 2, same/valid/explicit/numeric padding', async () => {
    const rng = new Rng(20261123);
    for (const c of randomConvCases(rng, 24)) {
      await tf.setBackend('cpu');
      const xValues = rng.normalArray(sizeOf(c.x));
      const fValues = rng.normalArray(sizeOf(c.filter));
      const dyValues = rng.normalArray(sizeOf(convOutShape(c)));
      const expected = await filterGradient(c, xValues, fValues, dyValues);
      await tf.setBackend('wasm');
      const actual = await filterGradient(c, xValues, fValues, dyValues);
      // float32 sums of up to ~500 products of N(0,1) values; reordering the sum costs ~1e-6 relative.
      expect(worstRatio(actual, expected, 1e-4, 1e-4), JSON.stringify(c)).toBeLessThanOrEqual(1);
    }
  });

  it('leaves no tensor behind, in the engine or in the wasm heap', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([3, 9, 11, 2], 0, 1, 'float32', 1);
    const dy = tf.randomNormal([3, 4, 5, 3], 0, 1, 'float32', 2);
    expectNoLeak(() => {
      for (let i = 0; i < 3; i++) {
        const dW = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
          { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] }) as Tensor;
        expect(dW.shape).toEqual([3, 3, 2, 3]);
        dW.dispose();
      }
    });
    tf.dispose([x, dy]);
  });

  it('lets a small conv net (conv2d s2 -> leakyRelu -> dense) train 20 Adam steps on wasm, its loss falling', async () => {
    await tf.setBackend('wasm');
    const rng = new Rng(7);
    const n = 32;
    // Target: mean of the top half of an 8x8 image minus the mean of its bottom half (a conv net can learn it).
    const images = rng.normalArray(n * 64);
    const targets = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < 64; p++) targets[i]! += (p < 32 ? 1 : -1) * images[i * 64 + p]! / 32;
    }
    const x = tf.tensor4d(images, [n, 8, 8, 1]);
    const y = tf.tensor2d(targets, [n, 1]);
    const model = tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, strides: 2, padding: 'same',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ] });
    const optimizer = tf.train.adam(0.02);
    const variables = model.trainableWeights.map((w) => w.read() as Variable);
    const loss = () => tf.losses.meanSquaredError(y, model.apply(x) as Tensor) as Scalar;
    const losses: number[] = [];
    let tensorsAfterFirstStep = 0;
    for (let step = 0; step < 20; step++) {
      const value = optimizer.minimize(loss, true, variables)!;
      losses.push((await value.data())[0]!);
      value.dispose();
      // Adam creates its slot variables on the first step; count from there.
      if (step === 0) tensorsAfterFirstStep = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep);
    const first = losses[0]!;
    const last = losses[losses.length - 1]!;
    expect(last).toBeLessThan(0.5 * first);
    expect(Number.isFinite(last)).toBe(true);
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  });
});
