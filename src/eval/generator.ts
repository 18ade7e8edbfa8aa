// evaluateGenerator: draws samples from a generator and scores them for the run's data (toy mixture, 1D, MNIST).
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { toyDataset } from '../data/toy.js';
import { ShapeError } from '../errors.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';
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
}

export type EvaluationResult =
  | { data: 'gaussian1d'; samples: number; metrics: Gaussian1dMetrics }
  | { data: 'ring8' | 'grid25'; samples: number; metrics: MixtureMetrics }
  | { data: 'mnist'; samples: number; conditional: boolean; metrics: MnistMetrics; reference: MnistReferenceRow[] };

/** Generated samples [n, ...sampleShape] and, for a conditional generator, the labels they were asked for. */
export interface GeneratedSamples {
  values: Float32Array;
  sampleShape: number[];
  labels: Int32Array | null;
}

/**
 * Draws `n` samples with z ~ N(0, I) [B, latentDim]; a conditional generator (inputs [z, oneHot]) gets labels
 * 0, 1, ..., numClasses-1, 0, 1, ... so every class is asked for equally often. No tensors leak.
 */
export function generateSamples(generator: LayersModel, n: number, rng: Rng, batchSize = 500): GeneratedSamples {
  const latentDim = generator.inputs[0]!.shape[1];
  if (typeof latentDim !== 'number') throw new ShapeError('generator: expected input 0 to be z with shape [batch, latentDim]');
  const conditional = generator.inputs.length === 2;
  const numClasses = conditional ? generator.inputs[1]!.shape[1] : 0;
  if (conditional && typeof numClasses !== 'number') throw new ShapeError('generator: expected input 1 to be a one-hot label [batch, numClasses]');
  const outShape = generator.outputs[0]!.shape.slice(1);
  if (outShape.some((d) => typeof d !== 'number')) throw new ShapeError(`generator: expected a fixed output shape but got [${outShape.join(', ')}]`);
  const sampleShape = outShape as number[];
  const size = sampleShape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n * size);
  const labels = conditional ? Int32Array.from({ length: n }, (_, i) => i % numClasses!) : null;
  for (let start = 0; start < n; start += batchSize) {
    const b = Math.min(batchSize, n - start);
    const z = rng.normalArray(b * latentDim);
    const out = tf.tidy(() => {
      const inputs: Tensor[] = [tf.tensor2d(z, [b, latentDim])];
      if (labels) inputs.push(tf.oneHot(tf.tensor1d(labels.subarray(start, start + b), 'int32'), numClasses!).toFloat());
      const y = generator.predict(inputs.length === 1 ? inputs[0]! : inputs) as Tensor;
      return y.dataSync() as Float32Array;
    });
    values.set(out, start * size);
  }
  return { values, sampleShape, labels };
}

/** Samples from `generator` and scores them for `options.data`. MNIST needs the shipped classifier (assets/). */
export async function evaluateGenerator(generator: LayersModel, options: EvaluateGeneratorOptions): Promise<EvaluationResult> {
  const { data } = options;
  const samples = options.samples ?? (data === 'mnist' ? 10_000 : 2500);
  const rng = new Rng(options.seed ?? 0);
  const generated = generateSamples(generator, samples, rng, options.batchSize);
  const shape = generated.sampleShape;
  if (data === 'mnist') {
    if (shape.join(',') !== '28,28,1') throw new ShapeError(`generator: expected MNIST images [28, 28, 1] but it outputs [${shape.join(', ')}]`);
    const classifier = await loadMnistClassifier();
    const reference = loadMnistReference();
    const metrics = mnistMetrics(classifyImages(classifier, generated.values), reference.testStats, generated.labels ?? undefined);
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
