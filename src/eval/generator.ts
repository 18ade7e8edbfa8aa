// evaluateGenerator: draws samples from a generator and scores them for the run's data (toy mixture, 1D, MNIST).
import type { LayersModel } from '@tensorflow/tfjs';
import { generateSamples } from '../models/generate.js';
import { toyDataset } from '../data/toy.js';
import { ShapeError } from '../errors.js';
import { Rng } from '../random.js';
import { loadMnistClassifier } from './classifier.js';
import { classifyImages, loadMnistReference, mnistMetrics, type MnistMetrics, type MnistReferenceRow } from './mnist.js';
import { gaussian1dMetrics, mixtureMetrics, type Gaussian1dMetrics, type MixtureMetrics } from './toy.js';

/** The training data kinds evaluation can score (the training config's `data` values). */
export const DATA_KINDS = ['gaussian1d', 'ring8', 'grid25', 'mnist'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

export interface EvaluateGeneratorOptions {
  /** What the generator was trained on (the training config's `data`). */
  data: DataKind;
  /** Samples to draw. Default: 2,500 for toy data (the VEEGAN/PacGAN protocol), 10,000 for MNIST. */
  samples?: number;
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
  | { data: 'mnist'; samples: number; conditional: boolean; metrics: MnistMetrics; reference: MnistReferenceRow[] };

/** Samples from `generator` and scores them for `options.data`. MNIST needs the shipped classifier (assets/). */
export async function evaluateGenerator(generator: LayersModel, options: EvaluateGeneratorOptions): Promise<EvaluationResult> {
  const { data } = options;
  const samples = options.samples ?? (data === 'mnist' ? 10_000 : 2500);
  const rng = new Rng(options.seed ?? 0);
  const generated = await generateSamples(generator, samples, rng, options.batchSize, options.signal);
  const shape = generated.sampleShape;
  if (data === 'mnist') {
    if (shape.join(',') !== '28,28,1') throw new ShapeError(`generator: expected MNIST images [28, 28, 1] but it outputs [${shape.join(', ')}]`);
    const classifier = await loadMnistClassifier();
    const reference = loadMnistReference();
    const metrics = mnistMetrics(await classifyImages(classifier, generated.values), reference.testStats, generated.labels ?? undefined);
    return { data, samples, conditional: generated.labels !== null, metrics, reference: reference.rows };
  }
  const toy = toyDataset(data);
  if (shape.join(',') !== String(toy.dim)) throw new ShapeError(`generator: expected ${data} points [${toy.dim}] but it outputs [${shape.join(', ')}]`);
  if (data === 'gaussian1d') return { data, samples, metrics: gaussian1dMetrics(generated.values, toy.centers[0]![0]!, toy.std) };
  return { data, samples, metrics: mixtureMetrics(generated.values, toy) };
}

/** The scalar metrics of a result, flat, for a metrics.jsonl line (e.g. { modesCovered: 8, highQualityPercent: 91.2 }). */
export function scalarMetrics(result: EvaluationResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(result.metrics)) if (typeof value === 'number') out[key] = value;
  if (result.data === 'mnist' && result.metrics.conditionalAccuracy) out.conditionalAccuracy = result.metrics.conditionalAccuracy.overall;
  return out;
}
