import type { Scalar, Tensor, Tensor4D, Variable } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/random.js';
import { initBackend, tf } from '../../src/tf.js';

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case { x: [number, number, number, number]; filter: [number, number, number, number]; stride: number; pad: Pad }

/** Filter gradient of sum(conv2d(x, f) * dy) on the current backend, through tf.grad (the path training uses). */
function filterGradient(c: Case, xValues: Float32Array, fValues: Float32Array, dyValues: Float32Array): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(xValues, c.x);
    const f = tf.tensor4d(fValues, c.filter);
    const y0 = tf.conv2d(x, f, c.stride, c.pad);
    const dy = tf.tensor4d(dyValues, y0.shape);
    const grad = tf.grad((w: Tensor) => tf.sum(tf.mul(tf.conv2d(x, w as Tensor4D, c.stride, c.pad), dy)));
    return grad(f).dataSync() as Float32Array;
  });
}

function outShape(c: Case): number[] {
  return tf.tidy(() => tf.conv2d(tf.zeros(c.x) as Tensor4D, tf.zeros(c.filter) as Tensor4D, c.stride, c.pad).shape);
}

/** Random cases: odd sizes, strides 1 and 2, same/valid/explicit, batch and channels > 1. */
function randomCases(rng: Rng, n: number): Case[] {
  const cases: Case[] = [];
  for (let i = 0; i < n; i++) {
    const kh = 1 + rng.int(5);
    const kw = 1 + rng.int(5);
    const stride = 1 + rng.int(2);
    const h = kh + rng.int(8);
    const w = kw + rng.int(8);
    const kind = i % 4;
    const pad: Pad = kind === 0 ? 'same' : kind === 1 ? 'valid'
      : kind === 2 ? [[0, 0], [rng.int(3), rng.int(3)], [rng.int(3), rng.int(3)], [0, 0]]
      : rng.int(3);
    // tfjs-core 4.22 miscomputes the output width of a numeric pad for non-square filters: keep those square.
    const filter: Case['filter'] = [kh, kind === 3 ? kh : kw, 1 + rng.int(4), 1 + rng.int(4)];
    cases.push({ x: [1 + rng.int(3), h, kind === 3 ? Math.max(w, kh) : w, filter[2]], filter, stride, pad });
  }
  return cases;
}

/** max over i of |a - b| / (atol + rtol |b|): <= 1 means every element is within the two-sided tolerance. */
function worstRatio(a: Float32Array, b: Float32Array, atol: number, rtol: number): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (atol + rtol * Math.abs(b[i]!)));
  return worst;
}

describe('wasm Conv2DBackpropFilter', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('matches the cpu backend on 24 random shapes, strides 1 and 2, same/valid/explicit/numeric padding', async () => {
    const rng = new Rng(20261123);
    for (const c of randomCases(rng, 24)) {
      await tf.setBackend('cpu');
      const dySize = outShape(c).reduce((p, d) => p * d, 1);
      const xValues = rng.normalArray(c.x.reduce((p, d) => p * d, 1));
      const fValues = rng.normalArray(c.filter.reduce((p, d) => p * d, 1));
      const dyValues = rng.normalArray(dySize);
      const expected = filterGradient(c, xValues, fValues, dyValues);
      await tf.setBackend('wasm');
      const actual = filterGradient(c, xValues, fValues, dyValues);
      // float32 sums of up to ~500 products of N(0,1) values; reordering the sum costs ~1e-6 relative.
      expect(worstRatio(actual, expected, 1e-4, 1e-4), JSON.stringify(c)).toBeLessThanOrEqual(1);
    }
  });

  it('leaves no tensor behind, in the engine or in the wasm heap', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([3, 9, 11, 2], 0, 1, 'float32', 1);
    const dy = tf.randomNormal([3, 4, 5, 3], 0, 1, 'float32', 2);
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const tensorsBefore = tf.memory().numTensors;
    const dataBefore = backend.numDataIds();
    for (let i = 0; i < 3; i++) {
      const dW = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
        { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] }) as Tensor;
      expect(dW.shape).toEqual([3, 3, 2, 3]);
      dW.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(backend.numDataIds()).toBe(dataBefore);
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
      losses.push(value.dataSync()[0]!);
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
