import type { SymbolicTensor } from '@tensorflow/tfjs';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';
import { initBackend, type BackendName } from '../../src/tf.js';
import { Rng } from '../../src/random.js';
import { loadMnist } from '../../src/data/mnist.js';
import { CLASSIFIER_DIR, loadMnistClassifier, type MnistClassifier } from '../../src/eval/classifier.js';
import { classifyImages, loadMnistReference, mnistMetrics, type MnistReference } from '../../src/eval/mnist.js';
import { evaluateGenerator } from '../../src/eval/generator.js';

// 500 images keep the cpu backend's classifier passes to a few seconds; the bounds below allow for that sample size.
const N = 500;
let classifier: MnistClassifier;
let reference: MnistReference;
const test = loadMnist({ split: 'test' });

beforeAll(async () => {
  // The classifier's convolutions take minutes per 1,000 images on the pure-JS cpu backend (measured: 267 s with the
  // machine shared), so these forward-only tests run on wasm, which has every forward kernel, unless GAN_BACKEND
  // names another backend. The metrics themselves are float64 JS and backend-independent.
  const env = process.env.GAN_BACKEND;
  if (env && env !== 'cpu') await testBackend();
  else await initBackend('wasm');
  classifier = await loadMnistClassifier();
  reference = loadMnistReference();
});

describe('MNIST metrics with the shipped classifier', () => {
  it('loads the classifier once per backend, so a run that resumes on another backend gets weights on that one', async () => {
    const current = tf.getBackend();
    const other = current === 'cpu' ? 'wasm' : 'cpu';
    expect(await loadMnistClassifier()).toBe(classifier);
    await initBackend(other);
    try {
      const there = await loadMnistClassifier();
      expect(there).not.toBe(classifier);
      expect(await loadMnistClassifier()).toBe(there);
    } finally {
      await initBackend(current as BackendName);
    }
  });

  it('scores real test images near the real reference and uniform noise far from it', async () => {
    const before = tf.memory().numTensors;
    const rng = new Rng(3);
    const offset = rng.int(10_000 - N);
    const real = await classifyImages(classifier, test.images.subarray(offset * 784, (offset + N) * 784), 100);
    const noise = await classifyImages(classifier, rng.uniformArray(N * 784, -1, 1), 100);
    expect(tf.memory().numTensors).toBe(before);
    const r = mnistMetrics(real, reference.testStats, test.labels.subarray(offset, offset + N));
    const n = mnistMetrics(noise, reference.testStats);
    // The classifier's test accuracy is >= 99%; on 500 images allow 98% (binomial sd 0.45 points at p = 0.99).
    expect(r.conditionalAccuracy!.overall).toBeGreaterThanOrEqual(0.98);
    expect(r.classesCovered).toBe(10);
    expect(r.classifierScore).toBeGreaterThan(8.5);
    expect(n.classifierScore).toBeLessThan(3);
    // Fréchet distance from 500 real images is inflated by small-sample bias, yet stays far below noise's.
    expect(r.frechetDistance).toBeLessThan(0.1 * n.frechetDistance);
    const realRow = reference.rows.find((row) => row.name.startsWith('MNIST train'))!;
    expect(Math.abs(r.classifierScore - realRow.classifierScore)).toBeLessThanOrEqual(0.05 * realRow.classifierScore);
  });

  it('gives a conditional generator that returns one real image per requested class ~100% accuracy and 10 classes', async () => {
    // Weights: z is ignored (zero kernel), the one-hot picks a real test image of that class.
    const images = new Float32Array(10 * 784);
    for (let k = 0; k < 10; k++) {
      const i = test.labels.indexOf(k);
      images.set(test.images.subarray(i * 784, (i + 1) * 784), k * 784);
    }
    const z = tf.input({ shape: [4] }), label = tf.input({ shape: [10] });
    const zPart = tf.layers.dense({ units: 784, useBias: false, kernelInitializer: 'zeros' }).apply(z) as SymbolicTensor;
    const pick = tf.layers.dense({ units: 784, useBias: false });
    const picked = pick.apply(label) as SymbolicTensor;
    const out = tf.layers.reshape({ targetShape: [28, 28, 1] }).apply(tf.layers.add().apply([zPart, picked])) as SymbolicTensor;
    const generator = tf.model({ inputs: [z, label], outputs: out });
    pick.setWeights([tf.tensor2d(images, [10, 784])]);
    const r = await evaluateGenerator(generator, { data: 'mnist', samples: 200, batchSize: 100 });
    if (r.data !== 'mnist') throw new Error('wrong kind');
    expect(r.conditional).toBe(true);
    expect(r.metrics.conditionalAccuracy!.overall).toBe(1);
    expect(r.metrics.classHistogram).toEqual(new Array(10).fill(20));
    expect(r.metrics.classesCovered).toBe(10);
    expect(r.metrics.classifierScore).toBeGreaterThan(9);
    expect(r.reference.length).toBeGreaterThanOrEqual(3);
    generator.dispose();
  });
});

describe('MNIST classifier files', () => {
  it('refuses reference statistics computed with other classifier weights, and names a missing classifier', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mnist-ref-'));
    try {
      cpSync(CLASSIFIER_DIR, dir, { recursive: true });
      const file = join(dir, 'reference.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      const actual: string = json.weightsSha256;
      json.weightsSha256 = '0'.repeat(64);
      writeFileSync(file, JSON.stringify(json));
      expect(() => loadMnistReference(dir)).toThrow(new DataError(
        `${file}: computed with other classifier weights (sha256 000000000000, weights.bin is ${actual.slice(0, 12)}); regenerate it with: npx tsx scripts/mnist-reference.ts`));
      rmSync(join(dir, 'model.json'));
      await expect(loadMnistClassifier(dir)).rejects.toThrow(new DataError(
        `${join(dir, 'model.json')}: missing: the MNIST classifier; train it with: npx tsx scripts/train-mnist-classifier.ts`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
