import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { SpectralNormDense, spectralNormDense } from '../../src/layers/spectral_norm.js';
import { SpectralNormConv2D, SpectralNormConv2DTranspose, spectralNormConv2d, spectralNormConv2dTranspose } from '../../src/layers/spectral_norm_conv.js';
import { gradientPenalty } from '../../src/losses/gradient_penalty.js';
import { loadModel, saveModel } from '../../src/models/io.js';
import { Rng } from '../../src/random.js';
import { largestSingularValue } from '../../src/scratch/linalg.js';
import { tf } from '../../src/tf.js';
import { takeData, testBackend } from '../setup.js';

let dir = '';
beforeAll(async () => {
  await testBackend();
  dir = await mkdtemp(join(tmpdir(), 'sn-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type SnLayer = SpectralNormDense | SpectralNormConv2D | SpectralNormConv2DTranspose;

interface Case {
  name: string;
  make: () => SnLayer;
  input: number[];
  /** Lipschitz bound of the layer when its kernel matrix has spectral norm 1: 1 for dense, kernel side for convs. */
  lipschitz: number;
}

// initStddev 3 makes the raw kernels' spectral norms >> 1, so a layer that forgot to divide by sigma fails every check.
const CASES: Case[] = [
  { name: 'SpectralNormDense', make: () => spectralNormDense({ units: 5, initStddev: 3, seed: 1 }), input: [4, 7], lipschitz: 1 },
  {
    name: 'SpectralNormConv2D',
    make: () => spectralNormConv2d({ filters: 4, kernelSize: 3, strides: 2, initStddev: 3, seed: 2 }),
    input: [2, 6, 6, 3], lipschitz: 3,
  },
  {
    name: 'SpectralNormConv2DTranspose',
    make: () => spectralNormConv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, initStddev: 3, seed: 3 }),
    input: [2, 3, 3, 4], lipschitz: 3,
  },
];

/** The kernel as the [rows, cols] matrix the layer normalises (last axis = columns), float64. */
async function kernelMatrix(layer: SnLayer): Promise<{ w: Float64Array; rows: number; cols: number }> {
  const kernel = layer.getWeights()[0]!;
  const cols = kernel.shape[kernel.rank - 1]!;
  return { w: Float64Array.from(await kernel.data()), rows: kernel.size / cols, cols };
}

async function uValue(layer: SnLayer): Promise<number[]> {
  return Array.from(await layer.getWeights().at(-1)!.data());
}

describe('spectral normalisation layers', () => {
  for (const c of CASES) {
    describe(c.name, () => {
      const layer = c.make();
      const rng = new Rng(11);
      let x: tfjs.Tensor;
      beforeAll(() => {
        x = tf.tensor(rng.normalArray(c.input.reduce((a, b) => a * b, 1)), c.input);
      });
      // Power iteration converges like (sigma2/sigma1)^(2k); 300 training calls are ample for these small kernels.
      const warm = () => {
        for (let i = 0; i < 300; i++) tf.dispose(layer.apply(x, { training: true }) as tfjs.Tensor);
      };

      it('updates u once per training call and never at inference', async () => {
        tf.dispose(layer.apply(x) as tfjs.Tensor); // builds the layer
        const u0 = await uValue(layer);
        tf.dispose(layer.apply(x, { training: false }) as tfjs.Tensor);
        expect(await uValue(layer)).toEqual(u0);
        tf.dispose(layer.apply(x, { training: true }) as tfjs.Tensor);
        expect(await uValue(layer)).not.toEqual(u0);
      });

      it('estimates sigma equal to the exact largest singular value after many training calls', async () => {
        warm();
        const { w, rows, cols } = await kernelMatrix(layer);
        const exact = largestSingularValue(w, rows, cols);
        const sigma = (await takeData(layer.sigma()))[0]!;
        expect(exact).toBeGreaterThan(3); // the raw kernel is far from normalised
        // float32 estimate of a float64 value: 1e-5 relative is a few ulps of the accumulated sums.
        expect(Math.abs(sigma - exact)).toBeLessThanOrEqual(1e-5 * exact);
      });

      it('divides the kernel to spectral norm 1 +- 1e-3', async () => {
        const { w, rows, cols } = await kernelMatrix(layer);
        const sigma = (await takeData(layer.sigma()))[0]!;
        const normalised = largestSingularValue(w.map((v) => v / sigma), rows, cols);
        expect(Math.abs(normalised - 1)).toBeLessThanOrEqual(1e-3);
      });

      it(`has a Lipschitz constant at most ${c.lipschitz} on random input pairs`, async () => {
        const before = tf.memory().numTensors;
        for (let trial = 0; trial < 20; trial++) {
          const [ratio] = await takeData(tf.tidy(() => {
            const a = tf.tensor(rng.normalArray(x.size), c.input);
            const b = tf.add(a, tf.mul(tf.tensor(rng.normalArray(x.size), c.input), rng.uniform()));
            const fa = layer.apply(a) as tfjs.Tensor, fb = layer.apply(b) as tfjs.Tensor;
            return tf.div(tf.norm(tf.sub(fa, fb)), tf.norm(tf.sub(a, b)));
          }));
          expect(ratio).toBeLessThanOrEqual(c.lipschitz * (1 + 1e-3));
        }
        expect(tf.memory().numTensors).toBe(before);
      });
    });
  }

  it('saves and loads a model of all three layers, reproducing outputs and u exactly', async () => {
    const input = tf.input({ shape: [6, 6, 3] });
    let h = CASES[1]!.make().apply(input) as tfjs.SymbolicTensor;
    h = spectralNormConv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, seed: 5 }).apply(h) as tfjs.SymbolicTensor;
    h = tf.layers.flatten().apply(h) as tfjs.SymbolicTensor;
    const out = spectralNormDense({ units: 3, seed: 6 }).apply(h) as tfjs.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 9);
    for (let i = 0; i < 3; i++) tf.dispose(model.apply(x, { training: true }) as tfjs.Tensor);
    await saveModel(model, join(dir, 'sn'));
    const loaded = await loadModel(join(dir, 'sn'));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
    const a = await takeData(model.predict(x) as tfjs.Tensor);
    const b = await takeData(loaded.predict(x) as tfjs.Tensor);
    expect(Array.from(b)).toEqual(Array.from(a));
    const modelWeights = model.getWeights();
    for (const [i, w] of loaded.getWeights().entries()) expect(Array.from(await w.data())).toEqual(Array.from(await modelWeights[i]!.data()));
  });

  // At inference sigma = |W u| with u fixed, and the layer's gradient of sigma (v u^T, v = W u / |W u|) is the exact
  // derivative of that function, so a penalty through the layers must match finite differences of the whole thing.
  it('give a gradient-penalty gradient w.r.t. their kernels that matches central finite differences', async () => {
    const input = tf.input({ shape: [4, 4, 1] });
    let h = spectralNormConv2d({ filters: 2, kernelSize: 3, strides: 2, seed: 21 }).apply(input) as tfjs.SymbolicTensor;
    h = tf.layers.activation({ activation: 'tanh' }).apply(h) as tfjs.SymbolicTensor;
    h = tf.layers.flatten().apply(h) as tfjs.SymbolicTensor;
    const critic = tf.model({ inputs: input, outputs: spectralNormDense({ units: 1, seed: 22 }).apply(h) as tfjs.SymbolicTensor });
    const rng = new Rng(23);
    const real = tf.tensor(rng.normalArray(3 * 16), [3, 4, 4, 1]);
    const fake = tf.tensor(rng.normalArray(3 * 16), [3, 4, 4, 1]);
    const alpha = tf.tensor1d(rng.uniformArray(3));
    const penalty = () => gradientPenalty((x) => critic.apply(x, { training: false }) as tfjs.Tensor, real, fake, alpha);
    const kernels = critic.trainableWeights.filter((w) => w.name.endsWith('kernel')).map((w) => w.read() as tfjs.Variable);
    expect(kernels).toHaveLength(2);
    const { grads } = tf.variableGrads(penalty, kernels);
    for (const kernel of kernels) {
      const analytic = await grads[kernel.name]!.data();
      const values = (await kernel.data()).slice();
      for (const index of [0, 3, 7, values.length - 1]) {
        // float32 central differences: eps 1e-2 keeps rounding (~1e-7 / eps) and truncation (~eps^2) both near 1e-4.
        const eps = 1e-2;
        const at = async (delta: number) => {
          const shifted = values.slice();
          shifted[index] = values[index]! + delta;
          kernel.assign(tf.tensor(shifted, kernel.shape));
          return (await takeData(tf.tidy(() => penalty())))[0]!;
        };
        const numeric = ((await at(eps)) - (await at(-eps))) / (2 * eps);
        kernel.assign(tf.tensor(values, kernel.shape));
        const a = analytic[index]!;
        if (!(Math.abs(a - numeric) <= 1e-3 + 1e-2 * Math.abs(numeric))) {
          throw new Error(`${kernel.name}[${index}]: autograd ${a}, finite differences ${numeric}`);
        }
      }
    }
  });
});
