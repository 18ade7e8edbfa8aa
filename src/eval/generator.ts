// evaluateGenerator: draws samples from a generator and scores them for the run's data (toy mixture, 1D, MNIST, an
// image folder).
import type { LayersModel } from '@tensorflow/tfjs';
import { generateSamples } from '../models/generate.js';
import { toyDataset } from '../data/toy.js';
import { DataError, ShapeError } from '../errors.js';
import { stackedMnistMetrics, type StackedMnistMetrics } from './stacked_mnist.js';
import { Rng } from '../random.js';
import { CLASSIFIER_DIR, FASHION_CLASSIFIER_DIR, loadMnistClassifier } from './classifier.js';
import { classifyImages, loadMnistReference, mnistMetrics, type MnistMetrics, type MnistReferenceRow } from './mnist.js';
import { gaussian1dMetrics, mixtureMetrics, type Gaussian1dMetrics, type MixtureMetrics } from './toy.js';
import {
  DEFAULT_IMAGE_SAMPLES, generatedImageFeatures, imageFolderBaseline, imageFolderMetrics, imageSampleCount, type ImageFolderBaseline, type ImageFolderMetrics, type ImageFolderReference, type RealImages,
} from './image_folder.js';

/** The training data kinds evaluation can score (the training config's `data` values). */
export const DATA_KINDS = ['gaussian1d', 'ring8', 'grid25', 'mnist', 'fashion-mnist', 'stacked-mnist', 'images'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

export interface EvaluateGeneratorOptions {
  /** What the generator was trained on (the training config's `data`); other kinds throw DataError. */
  data: string;
  /**
   * Samples to draw. Default: 2,500 for toy data (the VEEGAN/PacGAN protocol), 10,000 for MNIST, 26,000 for Stacked
   * MNIST, 10,000 for an image folder (capped there at the size of the folder's held-out half).
   */
  samples?: number;
  /** The run's image folder (data 'images', required there): decoded as for training, e.g. by loadImageFolder. */
  realImages?: RealImages;
  /**
   * The folder's half A and real row from imageFolderBaseline(realImages, n), kept from an earlier evaluation so that
   * a training run's repeated evaluations compute them once; used when n is this evaluation's sample count.
   */
  imageBaseline?: ImageFolderBaseline;
  /** Seed of the latent draws. Evaluation uses its own Rng, so it never disturbs a training run's random stream. */
  seed?: number;
  /** Generator batch size. */
  batchSize?: number;
  /** Aborting it stops sampling between batches (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

export type EvaluationResult =
  | { data: 'gaussian1d'; samples: number; metrics: Gaussian1dMetrics }
  | { data: 'ring8' | 'grid25'; samples: number; metrics: MixtureMetrics }
  | { data: 'stacked-mnist'; samples: number; metrics: StackedMnistMetrics }
  | { data: 'mnist' | 'fashion-mnist'; samples: number; conditional: boolean; metrics: MnistMetrics; reference: MnistReferenceRow[] }
  | { data: 'images'; samples: number; requestedSamples: number; metrics: ImageFolderMetrics; reference: ImageFolderReference };

/**
 * Samples from `generator` and scores them for `options.data`. MNIST needs the shipped classifier (assets/), an image
 * folder its images (`options.realImages`).
 */
export async function evaluateGenerator(generator: LayersModel, options: EvaluateGeneratorOptions): Promise<EvaluationResult> {
  const { data } = options;
  if (!(DATA_KINDS as readonly string[]).includes(data)) {
    throw new DataError(`no evaluation for data '${data}' yet (evaluated: ${DATA_KINDS.join(', ')}); samples and checkpoints are written as usual`);
  }
  if (data === 'images') {
    const real = options.realImages;
    if (!real) throw new DataError("evaluateGenerator: data 'images' needs options.realImages, the run's image folder (e.g. from loadImageFolder)");
    const requestedSamples = options.samples ?? DEFAULT_IMAGE_SAMPLES;
    const samples = imageSampleCount(real, requestedSamples);
    const signal = options.signal ? { signal: options.signal } : {};
    const baseline = options.imageBaseline?.summary.real.samples === samples && options.imageBaseline.summary.folderImages === real.count
      ? options.imageBaseline : await imageFolderBaseline(real, samples, signal);
    const features = await generatedImageFeatures(generator, samples, new Rng(options.seed ?? 0), real.shape,
      { ...(options.batchSize ? { batchSize: options.batchSize } : {}), ...signal });
    return { data, samples, requestedSamples, metrics: await imageFolderMetrics(features, baseline, signal), reference: baseline.summary };
  }
  const samples = options.samples ?? (data === 'mnist' || data === 'fashion-mnist' ? 10_000 : data === 'stacked-mnist' ? 26_000 : 2500);
  const rng = new Rng(options.seed ?? 0);
  const generated = await generateSamples(generator, samples, rng, options.batchSize, options.signal);
  const shape = generated.sampleShape;
  if (data === 'mnist' || data === 'fashion-mnist') {
    if (shape.join(',') !== '28,28,1') throw new ShapeError(`generator: expected ${data === 'mnist' ? 'MNIST' : 'Fashion-MNIST'} images [28, 28, 1] but it outputs [${shape.join(', ')}]`);
    // Each set is scored by its own classifier, trained by scripts/train-mnist-classifier.ts and shipped in assets/.
    const dir = data === 'mnist' ? CLASSIFIER_DIR : FASHION_CLASSIFIER_DIR;
    const classifier = await loadMnistClassifier(dir);
    const reference = loadMnistReference(dir);
    const metrics = mnistMetrics(await classifyImages(classifier, generated.values), reference.testStats, generated.labels ?? undefined);
    return { data, samples, conditional: generated.labels !== null, metrics, reference: reference.rows };
  }
  if (data === 'stacked-mnist') {
    if (shape.join(',') !== '28,28,3') throw new ShapeError(`generator: expected Stacked MNIST images [28, 28, 3] but it outputs [${shape.join(', ')}]`);
    return { data, samples, metrics: await stackedMnistMetrics(await loadMnistClassifier(), generated.values) };
  }
  const kind = data as 'gaussian1d' | 'ring8' | 'grid25';
  const toy = toyDataset(kind);
  if (shape.join(',') !== String(toy.dim)) throw new ShapeError(`generator: expected ${data} points [${toy.dim}] but it outputs [${shape.join(', ')}]`);
  if (kind === 'gaussian1d') return { data: kind, samples, metrics: gaussian1dMetrics(generated.values, toy.centers[0]![0]!, toy.std) };
  return { data: kind, samples, metrics: mixtureMetrics(generated.values, toy) };
}

/** The scalar metrics of a result, flat, for a metrics.jsonl line (e.g. { modesCovered: 8, highQualityPercent: 91.2 }). */
export function scalarMetrics(result: EvaluationResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(result.metrics)) if (typeof value === 'number') out[key] = value;
  if ((result.data === 'mnist' || result.data === 'fashion-mnist') && result.metrics.conditionalAccuracy) out.conditionalAccuracy = result.metrics.conditionalAccuracy.overall;
  return out;
}
