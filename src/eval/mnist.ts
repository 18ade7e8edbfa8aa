// MNIST metrics from the shipped classifier: classifier score, Fréchet distance of penultimate features to the
// MNIST test set, class histogram / coverage, and per-class accuracy of a conditional generator.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, ShapeError } from '../errors.js';
import { tf } from '../tf.js';
import { CLASSIFIER_DIR, CLASSIFIER_FEATURES, type MnistClassifier } from './classifier.js';
import { classifierScore } from './classifier_score.js';
import { frechetDistance, gaussianStats, type GaussianStats } from './frechet.js';

/** A class counts as covered when it holds at least this fraction of the samples. */
export const CLASS_COVERAGE_SHARE = 0.05;
const NUM_CLASSES = 10;

/** Metrics of a set of images. */
export interface MnistMetrics {
  samples: number;
  /** exp(E KL(p(y|x) || p(y))), 1 to 10. */
  classifierScore: number;
  /** Fréchet distance of classifier features to the reference (MNIST test set) statistics. */
  frechetDistance: number;
  /** Samples per predicted class (argmax). */
  classHistogram: number[];
  /** Classes holding >= 5% of the samples. */
  classesCovered: number;
  /** Conditional generators (or labelled data): fraction classified as the requested label, overall and per class. */
  conditionalAccuracy?: { overall: number; perClass: number[] };
}

/** Classifier outputs for n images: features [n, 128] and probabilities [n, 10]. */
export interface ClassifierOutputs {
  count: number;
  features: Float32Array;
  probs: Float32Array;
}

/** Runs the classifier over images [n, 28, 28, 1] in [-1, 1], `batchSize` at a time, leaking no tensors. */
export async function classifyImages(classifier: MnistClassifier, images: Float32Array, batchSize = 500): Promise<ClassifierOutputs> {
  if (images.length % 784 !== 0) throw new ShapeError(`classifyImages: expected [n, 28, 28, 1] images but got ${images.length} numbers`);
  const count = images.length / 784;
  const features = new Float32Array(count * CLASSIFIER_FEATURES);
  const probs = new Float32Array(count * NUM_CLASSES);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const [feat, prob] = tf.tidy(() => classifier.featuresAndProbs(tf.tensor4d(images.subarray(start * 784, (start + n) * 784), [n, 28, 28, 1])));
    try {
      const [f, p] = await Promise.all([feat!.data(), prob!.data()]);
      features.set(f, start * CLASSIFIER_FEATURES);
      probs.set(p, start * NUM_CLASSES);
    } finally {
      tf.dispose([feat!, prob!]);
    }
  }
  return { count, features, probs };
}

/** Computes the metrics of classified images against reference feature statistics. */
export function mnistMetrics(outputs: ClassifierOutputs, reference: GaussianStats, requestedLabels?: ArrayLike<number>): MnistMetrics {
  const { count, probs } = outputs;
  const histogram = new Array<number>(NUM_CLASSES).fill(0);
  const predicted = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let k = 1; k < NUM_CLASSES; k++) if (probs[i * NUM_CLASSES + k]! > probs[i * NUM_CLASSES + best]!) best = k;
    predicted[i] = best;
    histogram[best]!++;
  }
  const metrics: MnistMetrics = {
    samples: count,
    classifierScore: classifierScore(probs, NUM_CLASSES),
    frechetDistance: frechetDistance(gaussianStats(outputs.features, CLASSIFIER_FEATURES), reference),
    classHistogram: histogram,
    classesCovered: histogram.filter((c) => c >= CLASS_COVERAGE_SHARE * count).length,
  };
  if (requestedLabels) {
    if (requestedLabels.length !== count) throw new ShapeError(`mnistMetrics: expected ${count} labels but got ${requestedLabels.length}`);
    const right = new Array<number>(NUM_CLASSES).fill(0), total = new Array<number>(NUM_CLASSES).fill(0);
    for (let i = 0; i < count; i++) {
      const y = requestedLabels[i]!;
      total[y]!++;
      if (predicted[i] === y) right[y]!++;
    }
    metrics.conditionalAccuracy = {
      overall: right.reduce((a, b) => a + b, 0) / count,
      perClass: right.map((r, k) => (total[k]! === 0 ? NaN : r / total[k]!)),
    };
  }
  return metrics;
}

/** One reference row: real or noise images scored exactly like generated ones. */
export interface MnistReferenceRow extends MnistMetrics {
  name: string;
}

/** assets/mnist-classifier/reference.json: test-set feature statistics and the reference rows. */
export interface MnistReference {
  /** sha256 of the weights.bin these numbers were computed with. */
  weightsSha256: string;
  /** Features of the full MNIST test set (10,000 images). */
  testStats: GaussianStats;
  rows: MnistReferenceRow[];
}

type StoredStats = { dim: number; count: number; mean: string; cov: string };

/** Serializes float64 statistics losslessly (base64 of the little-endian bytes). */
export function encodeStats(s: GaussianStats): StoredStats {
  const b64 = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  return { dim: s.dim, count: s.count, mean: b64(s.mean), cov: b64(s.cov) };
}

function decodeStats(s: StoredStats, file: string): GaussianStats {
  const f64 = (b: string) => {
    const bytes = Buffer.from(b, 'base64');
    return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  };
  const mean = f64(s.mean), cov = f64(s.cov);
  if (mean.length !== s.dim || cov.length !== s.dim * s.dim) throw new DataError(`${file}: corrupt test statistics (dims do not match)`);
  return { dim: s.dim, count: s.count, mean, cov };
}

/** sha256 of the classifier's weights.bin. */
export function classifierWeightsSha256(dir = CLASSIFIER_DIR): string {
  return createHash('sha256').update(readFileSync(join(dir, 'weights.bin'))).digest('hex');
}

/** Loads reference.json; DataError when missing or computed with other classifier weights. */
export function loadMnistReference(dir = CLASSIFIER_DIR): MnistReference {
  const file = join(dir, 'reference.json');
  let raw: { weightsSha256: string; testStats: StoredStats; rows: MnistReferenceRow[] };
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new DataError(`${file}: missing or unreadable; regenerate it with: npx tsx scripts/mnist-reference.ts`);
  }
  const sha = classifierWeightsSha256(dir);
  if (raw.weightsSha256 !== sha) {
    throw new DataError(`${file}: computed with other classifier weights (sha256 ${raw.weightsSha256.slice(0, 12)}, weights.bin is ${sha.slice(0, 12)}); regenerate it with: npx tsx scripts/mnist-reference.ts`);
  }
  return { weightsSha256: raw.weightsSha256, testStats: decodeStats(raw.testStats, file), rows: raw.rows };
}
