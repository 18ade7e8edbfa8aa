// Evaluation of image-folder runs: Fréchet distance (Heusel et al. 2017) and k-NN precision, recall
// (Kynkäänniemi et al. 2019) and coverage (Naeem et al. 2020) of generated images against one half of the folder, in
// a fixed random feature space (image_features.ts), beside a reference row: the folder's other half scored the same way.
import type { LayersModel } from '@tensorflow/tfjs';
import { DataError, ShapeError } from '../errors.js';
import { generate, generatorSignature } from '../models/generate.js';
import { Rng } from '../random.js';
import { frechetDistance, frechetReference, gaussianStats, type FrechetReference } from './frechet.js';
import { checkImageSet, IMAGE_FEATURE_DIM, imageFeatures, type ImageSet } from './image_features.js';
import { knnRadii, precisionRecallCoverage } from './precision_recall.js';

/** Fewer images than this cannot be split into a reference half and a reference row worth reporting. */
export const MIN_FOLDER_IMAGES = 20;
/** Samples drawn when none are asked for (then capped at the size of the folder's held-out half). */
export const DEFAULT_IMAGE_SAMPLES = 10_000;
/** Seed of the folder's split into halves: the same folder always splits the same way. */
const SPLIT_SEED = 0x5b117;

/** A run's real images: the folder as decoded for training, and where it came from (for messages). */
export interface RealImages extends ImageSet {
  /** The folder, e.g. '/data/faces'. */
  source: string;
}

/** One row of the table: a sample set scored against the reference half A. */
export interface ImageFolderMetrics {
  samples: number;
  /** Between Gaussians fitted to the 512-d features of the samples and of half A (float64). */
  frechetDistance: number;
  precision: number;
  recall: number;
  coverage: number;
}

/** The reference side of an image-folder evaluation. */
export interface ImageFolderReference {
  /** Images in the folder. */
  folderImages: number;
  /** Images in half A, the reference set every row is compared with. */
  referenceImages: number;
  /** Half B (as many images as the generator row has samples) scored against A: what real images of this folder get. */
  real: ImageFolderMetrics;
}

/**
 * The folder's seeded split: image indices of half A (the reference set, ceil(count / 2)) and half B (the rest), each
 * in shuffled order.
 */
export function splitFolder(count: number): { reference: Uint32Array; heldOut: Uint32Array } {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  new Rng(SPLIT_SEED).shuffle(order);
  const half = Math.ceil(count / 2);
  return { reference: order.slice(0, half), heldOut: order.slice(half) };
}

/** Samples an image-folder evaluation draws: `requested` (default 10,000), at most the held-out half's size. */
export function imageSampleCount(real: RealImages, requested = DEFAULT_IMAGE_SAMPLES): number {
  checkFolderSize(real);
  return Math.min(requested, Math.floor(real.count / 2));
}

function checkFolderSize(real: RealImages): void {
  if (real.count < MIN_FOLDER_IMAGES) {
    throw new DataError(`${real.source}: evaluation needs at least ${MIN_FOLDER_IMAGES} images (half as the reference set, half for the real row) but the folder has ${real.count}`);
  }
}

function gather(images: ImageSet, indices: ArrayLike<number>): ImageSet {
  const [size, , channels] = images.shape;
  const perImage = size * size * channels;
  const values = images.values instanceof Uint8Array ? new Uint8Array(indices.length * perImage) : new Float32Array(indices.length * perImage);
  for (let i = 0; i < indices.length; i++) values.set(images.values.subarray(indices[i]! * perImage, (indices[i]! + 1) * perImage), i * perImage);
  return { values, count: indices.length, shape: images.shape };
}

/**
 * Features [n, 512] of `n` images drawn from `generator` (z ~ N(0, I) from `rng`; a conditional generator is asked
 * for classes 0, 1, ..., K-1, 0, ... in turn, as generateSamples does), 500 at a time so that a 64x64x3 run never holds
 * all its samples at once. Throws ShapeError when the generator's images are not [S, S, C] of `shape`.
 */
export async function generatedImageFeatures(generator: LayersModel, n: number, rng: Rng, shape: readonly [number, number, number],
  options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<Float32Array> {
  const { latentDim, numClasses, outputShape } = generatorSignature(generator);
  if (outputShape.join(',') !== shape.join(',')) {
    throw new ShapeError(`generator: expected images [${shape.join(', ')}] (the run's image folder) but it outputs [${outputShape.join(', ')}]`);
  }
  const features = new Float32Array(n * IMAGE_FEATURE_DIM);
  const chunk = 500;
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const z = rng.normalArray(m * latentDim);
    const labels = numClasses === null ? null : Int32Array.from({ length: m }, (_, i) => (start + i) % numClasses);
    const values = await generate(generator, z, labels, options.batchSize, options.signal);
    features.set(await imageFeatures({ values, count: m, shape }, options.signal ? { signal: options.signal } : {}), start * IMAGE_FEATURE_DIM);
  }
  return features;
}

/** What every evaluation against one folder at one sample count shares: computed once, reused per generator. */
export interface ImageFolderBaseline {
  /** The folder's sizes and the real row, as results report them. */
  summary: ImageFolderReference;
  /** Half A: features [|A|, 512], their Gaussian (with its covariance root) and k-NN radii. */
  features: Float32Array;
  stats: FrechetReference;
  radii: Float32Array;
}

/**
 * Splits the folder `real`, computes half A's features and statistics, and scores the first `samples` images of half
 * B against A (the real row). `samples` is what the generator row will draw (imageSampleCount), so both rows have the
 * same n and Fréchet distance's small-sample bias is the same in both.
 */
export async function imageFolderBaseline(real: RealImages, samples: number, options: { signal?: AbortSignal } = {}): Promise<ImageFolderBaseline> {
  checkImageSet(real, real.source);
  checkFolderSize(real);
  const { reference, heldOut } = splitFolder(real.count);
  if (!(Number.isInteger(samples) && samples >= 4 && samples <= heldOut.length)) {
    throw new DataError(`${real.source}: expected 4 to ${heldOut.length} samples (the folder's held-out half) but got ${samples}`);
  }
  const signal = options.signal ? { signal: options.signal } : {};
  // One pass over A and the first n of B: [A; B_n] -> features.
  const both = await imageFeatures(gather(real, [...reference, ...heldOut.subarray(0, samples)]), signal);
  const features = both.slice(0, reference.length * IMAGE_FEATURE_DIM);
  const halfA: HalfA = {
    features,
    stats: frechetReference(gaussianStats(features, IMAGE_FEATURE_DIM)),
    radii: await knnRadii(features, IMAGE_FEATURE_DIM, signal),
  };
  const realRow = await score(both.subarray(reference.length * IMAGE_FEATURE_DIM), halfA, signal);
  return { ...halfA, summary: { folderImages: real.count, referenceImages: reference.length, real: realRow } };
}

type HalfA = Pick<ImageFolderBaseline, 'features' | 'stats' | 'radii'>;

async function score(features: Float32Array, a: HalfA, signal: { signal?: AbortSignal }): Promise<ImageFolderMetrics> {
  return {
    samples: features.length / IMAGE_FEATURE_DIM,
    frechetDistance: frechetDistance(a.stats, gaussianStats(features, IMAGE_FEATURE_DIM)),
    ...await precisionRecallCoverage(a.features, features, IMAGE_FEATURE_DIM, { realRadii: a.radii, ...signal }),
  };
}

/**
 * Scores features of generated images ([n, 512], from generatedImageFeatures or imageFeatures; n the baseline's
 * sample count) against the baseline's half A: Fréchet distance, k-NN precision, recall and coverage (k = 3).
 */
export async function imageFolderMetrics(generated: Float32Array, baseline: ImageFolderBaseline, options: { signal?: AbortSignal } = {}): Promise<ImageFolderMetrics> {
  const samples = baseline.summary.real.samples;
  if (generated.length !== samples * IMAGE_FEATURE_DIM) {
    throw new ShapeError(`imageFolderMetrics: expected [${samples}, ${IMAGE_FEATURE_DIM}] features (as many samples as the real row) but got ${generated.length} numbers`);
  }
  return score(generated, baseline, options.signal ? { signal: options.signal } : {});
}
