import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';
import { ring8 } from '../../src/data/toy.js';
import { DataError, ShapeError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import { evaluateGenerator, scalarMetrics, type EvaluationResult } from '../../src/eval/generator.js';

const imageReference = (r: EvaluationResult) => {
  if (r.data !== 'images') throw new Error(`expected an image-folder result but got '${r.data}'`);
  return r.reference;
};
import { imageFolderBaseline } from '../../src/eval/image_folder.js';

beforeAll(async () => { await testBackend(); });

/** A one-layer generator x = z W + b with fixed weights. */
function affineGenerator(latentDim: number, kernel: number[][], bias: number[]) {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [latentDim], units: bias.length })] });
  model.setWeights([tf.tensor2d(kernel), tf.tensor1d(bias)]);
  return model;
}

describe('evaluateGenerator', () => {
  it('scores a generator that is exactly N(3, 0.5) near KS 0, mean 3, std 0.5', async () => {
    const g = affineGenerator(1, [[0.5]], [3]);
    const before = tf.memory().numTensors;
    const r = await evaluateGenerator(g, { data: 'gaussian1d', seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    if (r.data !== 'gaussian1d') throw new Error('wrong kind');
    expect(r.samples).toBe(2500);
    // 99.9% KS critical value at n = 2500: 0.039; mean/std within 4 standard errors.
    expect(r.metrics.ks).toBeLessThan(0.039);
    expect(Math.abs(r.metrics.mean - 3)).toBeLessThanOrEqual(4 * 0.5 / 50);
    expect(Math.abs(r.metrics.std - 0.5)).toBeLessThanOrEqual(4 * 0.5 / Math.sqrt(5000));
    const scaled = await evaluateGenerator(affineGenerator(1, [[1]], [3]), { data: 'gaussian1d', seed: 1 });
    expect(scaled.data === 'gaussian1d' && scaled.metrics.ks).toBeGreaterThan(0.1); // std 1 instead of 0.5
    g.dispose();
  });

  it('finds a generator collapsed onto one ring-8 mode covers 1 of 8 modes, all samples high quality', async () => {
    const c = ring8.centers[5]!;
    const g = affineGenerator(2, [[0.01, 0], [0, 0.01]], c);
    const r = await evaluateGenerator(g, { data: 'ring8', samples: 1000 });
    expect(r.data === 'ring8' && [r.metrics.modesCovered, r.metrics.highQualityPercent, r.metrics.modeCounts[5]]).toEqual([1, 100, 1000]);
    expect(scalarMetrics(r)).toMatchObject({ modesCovered: 1, modesCoveredStrict: 1, highQualityPercent: 100, samples: 1000 });
    g.dispose();
  });

  it('refuses a generator whose output does not fit the data kind', async () => {
    const g = affineGenerator(2, [[1, 0], [0, 1]], [0, 0]);
    await expect(evaluateGenerator(g, { data: 'gaussian1d', samples: 10 }))
      .rejects.toThrow(new ShapeError('generator: expected gaussian1d points [1] but it outputs [2]'));
    await expect(evaluateGenerator(g, { data: 'mnist', samples: 10 }))
      .rejects.toThrow(new ShapeError('generator: expected MNIST images [28, 28, 1] but it outputs [2]'));
    g.dispose();
  });

  it('scores image-folder data against its real images, leaking no tensors, and asks for them when missing', async () => {
    // G: z [2] -> tanh dense -> [8, 8, 1]; the folder: 24 grey 8x8 images as bytes.
    const g = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 64, activation: 'tanh' }), tf.layers.reshape({ targetShape: [8, 8, 1] })] });
    const rng = new Rng(5);
    const realImages = { values: Uint8Array.from({ length: 24 * 64 }, () => rng.int(256)), count: 24, shape: [8, 8, 1] as [number, number, number], source: '/data/noise' };
    await expect(evaluateGenerator(g, { data: 'images' }))
      .rejects.toThrow(new DataError("evaluateGenerator: data 'images' needs options.realImages, the run's image folder (e.g. from loadImageFolder)"));
    await expect(evaluateGenerator(g, { data: 'images', realImages: { ...realImages, values: new Uint8Array(24 * 16 * 16 * 3), shape: [16, 16, 3] } }))
      .rejects.toThrow(new ShapeError("generator: expected images [16, 16, 3] (the run's image folder) but it outputs [8, 8, 1]"));
    const before = tf.memory().numTensors;
    const r = await evaluateGenerator(g, { data: 'images', realImages, seed: 2 });
    expect(tf.memory().numTensors).toBe(before);
    if (r.data !== 'images') throw new Error('wrong kind');
    expect([r.samples, r.requestedSamples, r.reference.folderImages, r.reference.referenceImages, r.reference.real.samples]).toEqual([12, 10_000, 24, 12, 12]);
    expect(Object.keys(scalarMetrics(r)).sort()).toEqual(['coverage', 'frechetDistance', 'precision', 'recall', 'samples']);
    for (const v of Object.values(scalarMetrics(r))) expect(Number.isFinite(v)).toBe(true);
    // A training run computes the folder's baseline once and passes it to later evaluations: the same numbers.
    const baseline = await imageFolderBaseline(realImages, 12);
    expect(await evaluateGenerator(g, { data: 'images', realImages, seed: 2, imageBaseline: baseline })).toEqual(r);
    // ... and it is the one used, not recomputed: a marked copy's real row comes back.
    const marked = { ...baseline, summary: { ...baseline.summary, real: { ...baseline.summary.real, frechetDistance: 123 } } };
    expect(imageReference(await evaluateGenerator(g, { data: 'images', realImages, seed: 2, imageBaseline: marked })).real.frechetDistance).toBe(123);
    // A baseline made for another sample count is not used (its real row would have another n): recomputed.
    const other = await imageFolderBaseline(realImages, 6);
    expect(await evaluateGenerator(g, { data: 'images', realImages, seed: 2, imageBaseline: other })).toEqual(r);
    expect(imageReference(await evaluateGenerator(g, { data: 'images', realImages, seed: 2, samples: 6, imageBaseline: other }))).toEqual(other.summary);
    g.dispose();
  });
});
