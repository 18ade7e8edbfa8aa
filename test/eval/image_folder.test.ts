// Image-folder evaluation on synthetic pattern images made here (no files, no network): the random feature network is
// deterministic and agrees across backends; real-vs-real scores high, a generator that drops two of four pattern
// families loses half its recall and coverage but not its precision, and noise is far away with precision near 0.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/tf.js';
import { DataError, ShapeError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import { IMAGE_FEATURE_DIM, imageFeatures, type ImageSet } from '../../src/eval/image_features.js';
import { imageFolderBaseline, imageFolderMetrics, imageSampleCount, splitFolder, type ImageFolderBaseline, type RealImages } from '../../src/eval/image_folder.js';
import { availableBackends, testBackend, type LoopBackend } from '../setup.js';

let backends: LoopBackend[] = [];
beforeAll(async () => {
  backends = await availableBackends();
  await testBackend();
});

/**
 * `n` images [size, size, 3] in [-1, 1], cycling through pattern `families`, random within each: 0 red horizontal
 * stripes, 1 blue vertical stripes, 2 a green blob on black, 3 a yellow checkerboard; random phase, frequency or
 * position, colour and pixel noise.
 */
function patterns(n: number, families: number[], rng: Rng, size = 16): Float32Array {
  const out = new Float32Array(n * size * size * 3);
  const colours = [[1, 0.2, 0.1], [0.1, 0.3, 1], [0.1, 1, 0.2], [1, 0.9, 0.1]];
  for (let i = 0; i < n; i++) {
    const family = families[i % families.length]!;
    const colour = colours[family]!.map((c) => c * (0.8 + 0.2 * rng.uniform()));
    const phase = 2 * Math.PI * rng.uniform(), cycles = 2 + 2 * rng.uniform();
    const cx = size * (0.25 + 0.5 * rng.uniform()), cy = size * (0.25 + 0.5 * rng.uniform()), cell = 2 + rng.int(3);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = family === 0 ? 0.5 + 0.5 * Math.sin((2 * Math.PI * cycles * y) / size + phase)
          : family === 1 ? 0.5 + 0.5 * Math.sin((2 * Math.PI * cycles * x) / size + phase)
          : family === 2 ? Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * (size / 6) ** 2))
          : (Math.floor(x / cell) + Math.floor(y / cell)) % 2;
        for (let c = 0; c < 3; c++) {
          out[((i * size + y) * size + x) * 3 + c] = Math.max(-1, Math.min(1, 2 * v * colour[c]! - 1 + 0.05 * rng.normal()));
        }
      }
    }
  }
  return out;
}

const set = (values: Float32Array, size = 16, channels = 3): ImageSet => ({ values, count: values.length / (size * size * channels), shape: [size, size, channels] });

describe('imageFeatures', () => {
  it('gives the same 512-d features on every call, for bytes as for floats, on every backend to float32 noise', async () => {
    const rng = new Rng(1);
    const inputs: ImageSet[] = [
      set(patterns(6, [0, 1, 2, 3], rng)), // 16x16x3, resized up
      set(Float32Array.from({ length: 3 * 28 * 28 }, () => 2 * rng.uniform() - 1), 28, 1), // grey
      set(patterns(3, [3, 2, 1], rng, 32), 32), // no resize
      set(patterns(2, [0, 2], rng, 64), 64), // resized down
    ];
    const reference: Float32Array[] = [];
    for (const backend of backends) {
      await initBackend(backend);
      const before = tf.memory().numTensors;
      for (const [i, images] of inputs.entries()) {
        const features = await imageFeatures(images, { batchSize: 2 });
        expect(features.length).toBe(images.count * IMAGE_FEATURE_DIM);
        if (!reference[i]) {
          reference[i] = features;
          expect(await imageFeatures(images)).toEqual(features); // deterministic, whatever the batch size
          const scale = features.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
          expect(scale).toBeGreaterThan(0.05); // the network passes signal through its three layers
          expect(scale).toBeLessThan(20);
          continue;
        }
        const scale = reference[i].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const diff = features.reduce((m, v, j) => Math.max(m, Math.abs(v - reference[i]![j]!)), 0);
        // Float32 convolutions summing in different orders: ~1e-6 relative; 1e-4 leaves a wide margin.
        expect(diff, `${backend} vs ${backends[0]}, input ${i}`).toBeLessThanOrEqual(1e-4 * scale);
      }
      expect(tf.memory().numTensors, `${backend}: tensors left behind`).toBe(before);
    }
    await testBackend();
    const bytes = Uint8Array.from({ length: 2 * 16 * 16 * 3 }, (_, i) => (i * 37) % 256);
    const floats = Float32Array.from(bytes, (v) => v / 127.5 - 1);
    expect(await imageFeatures({ values: bytes, count: 2, shape: [16, 16, 3] })).toEqual(await imageFeatures({ values: floats, count: 2, shape: [16, 16, 3] }));
  });
});

describe('imageFolderMetrics', () => {
  // A "folder" of 160 images, 40 per family: half A (80) is the reference set, half B (80) the real row.
  const real: RealImages = { ...set(patterns(160, [0, 1, 2, 3], new Rng(10))), source: 'synthetic folder' };
  let baseline: ImageFolderBaseline;
  beforeAll(async () => { baseline = await imageFolderBaseline(real, 80); });
  const score = async (values: Float32Array) => ({ metrics: await imageFolderMetrics(await imageFeatures(set(values)), baseline), reference: baseline.summary });

  it('scores a second draw of the same families like the real row: precision and recall >= 0.7, small FD', async () => {
    const { metrics, reference } = await score(patterns(80, [0, 1, 2, 3], new Rng(11)));
    expect(reference).toMatchObject({ folderImages: 160, referenceImages: 80, real: { samples: 80 } });
    expect(metrics.samples).toBe(80);
    for (const m of [metrics, reference.real]) {
      expect(m.precision).toBeGreaterThanOrEqual(0.7);
      expect(m.recall).toBeGreaterThanOrEqual(0.7);
      expect(m.coverage).toBeGreaterThanOrEqual(0.7);
    }
    expect(metrics.frechetDistance).toBeLessThan(2 * reference.real.frechetDistance);
    expect(metrics.frechetDistance).toBeGreaterThan(0.5 * reference.real.frechetDistance);
  });

  it('halves recall and coverage, not precision, when two of the four families are dropped', async () => {
    const { metrics, reference } = await score(patterns(80, [0, 2], new Rng(12)));
    expect(metrics.precision).toBeGreaterThanOrEqual(0.8);
    for (const x of [metrics.recall, metrics.coverage]) {
      expect(x).toBeGreaterThanOrEqual(0.3);
      expect(x).toBeLessThanOrEqual(0.7);
    }
    expect(metrics.frechetDistance).toBeGreaterThan(2 * reference.real.frechetDistance);
  });

  it('puts uniform noise far away: FD many times the real row, precision and coverage near 0', async () => {
    const rng = new Rng(13);
    const { metrics, reference } = await score(Float32Array.from({ length: 80 * 16 * 16 * 3 }, () => 2 * rng.uniform() - 1));
    expect(metrics.frechetDistance).toBeGreaterThan(10 * reference.real.frechetDistance);
    expect(metrics.precision).toBeLessThanOrEqual(0.05);
    expect(metrics.coverage).toBeLessThanOrEqual(0.05);
  });

  it('splits a folder the same way every time, and refuses a folder of fewer than 20 images or too many samples', async () => {
    const { reference, heldOut } = splitFolder(21);
    expect([reference.length, heldOut.length]).toEqual([11, 10]);
    expect([...reference, ...heldOut].sort((a, b) => a - b)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    expect(splitFolder(21)).toEqual({ reference, heldOut });
    expect(imageSampleCount(real)).toBe(80);
    expect(imageSampleCount(real, 30)).toBe(30);
    const small: RealImages = { ...set(patterns(19, [0], new Rng(1))), source: '/data/tiny' };
    expect(() => imageSampleCount(small)).toThrow(new DataError('/data/tiny: evaluation needs at least 20 images (half as the reference set, half for the real row) but the folder has 19'));
    await expect(imageFolderBaseline(real, 81))
      .rejects.toThrow(new DataError('synthetic folder: expected 4 to 80 samples (the folder\'s held-out half) but got 81'));
    await expect(imageFolderMetrics(new Float32Array(79 * IMAGE_FEATURE_DIM), baseline))
      .rejects.toThrow(new ShapeError('imageFolderMetrics: expected [80, 512] features (as many samples as the real row) but got 40448 numbers'));
  });
});
