// Computes the MNIST reference rows (real data and noise, scored exactly like generated images) and the test-set
// feature statistics, and writes them to assets/mnist-classifier/reference.json. Prints the rows as a table.
// Usage: npx tsx scripts/mnist-reference.ts [--backend wasm] [--classifier DIR --data-dir DIR --name NAME]
// (Fashion-MNIST: --classifier assets/fashion-classifier --data-dir /usr/share/datasets/fashion-mnist --name Fashion-MNIST)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend, parseBackendChoice } from '../src/tf.js';
import { Rng } from '../src/random.js';
import { loadMnist } from '../src/data/mnist.js';
import { CLASSIFIER_DIR, CLASSIFIER_FEATURES, loadMnistClassifier } from '../src/eval/classifier.js';
import { gaussianStats } from '../src/eval/frechet.js';
import { classifierWeightsSha256, classifyImages, encodeStats, mnistMetrics, type MnistReferenceRow } from '../src/eval/mnist.js';
import { formatReferenceRows } from '../src/eval/report.js';

const { values } = parseArgs({ options: {
  backend: { type: 'string', default: 'wasm' }, classifier: { type: 'string' }, 'data-dir': { type: 'string' }, name: { type: 'string', default: 'MNIST' },
} });
const classifierDir = values.classifier ?? CLASSIFIER_DIR;
const dir = values['data-dir'] ? { dir: values['data-dir'] } : {};
const info = await initBackend(parseBackendChoice(values.backend!));
console.error(`backend: ${info.name} (${info.device})`);
const start = Date.now();
const classifier = await loadMnistClassifier(classifierDir);
const test = loadMnist({ split: 'test', ...dir });
const train = loadMnist({ split: 'train', limit: 10_000, ...dir });
const testOut = await classifyImages(classifier, test.images);
const testStats = gaussianStats(testOut.features, CLASSIFIER_FEATURES);

// The test set's halves: a seeded random split (same distribution), and first vs last 5,000 (per LeCun's MNIST page
// the first 5,000 come from NIST SD-3, Census Bureau employees, the last from SD-1, students: visibly different).
const half = 5000;
const pick = (indices: ArrayLike<number>) => {
  const features = new Float32Array(indices.length * CLASSIFIER_FEATURES), probs = new Float32Array(indices.length * 10);
  const labels = new Uint8Array(indices.length);
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j]!;
    features.set(testOut.features.subarray(i * CLASSIFIER_FEATURES, (i + 1) * CLASSIFIER_FEATURES), j * CLASSIFIER_FEATURES);
    probs.set(testOut.probs.subarray(i * 10, (i + 1) * 10), j * 10);
    labels[j] = test.labels[i]!;
  }
  return { outputs: { count: indices.length, features, probs }, labels };
};
const order = Uint32Array.from({ length: 10_000 }, (_, i) => i);
new Rng(0).shuffle(order);
const [randomA, randomB] = [pick(order.subarray(0, half)), pick(order.subarray(half))];
const range = (from: number, to: number) => Uint32Array.from({ length: to - from }, (_, i) => from + i);
const [firstA, lastB] = [pick(range(0, half)), pick(range(half, 10_000))];
const statsOf = (p: { outputs: { features: Float32Array } }) => gaussianStats(p.outputs.features, CLASSIFIER_FEATURES);
const noise = new Rng(0).uniformArray(10_000 * 784, -1, 1);
const rows: MnistReferenceRow[] = [
  { name: `${values.name} test: random half vs other half`, ...mnistMetrics(randomA.outputs, statsOf(randomB), randomA.labels) },
  { name: `${values.name} test: first 5k vs last 5k`, ...mnistMetrics(firstA.outputs, statsOf(lastB), firstA.labels) },
  { name: `${values.name} train (first 10k) vs test`, ...mnistMetrics(await classifyImages(classifier, train.images), testStats, train.labels) },
  { name: 'uniform noise [-1, 1] vs test', ...mnistMetrics(await classifyImages(classifier, noise), testStats) },
];
const file = join(classifierDir, 'reference.json');
writeFileSync(file, `${JSON.stringify({ weightsSha256: classifierWeightsSha256(classifierDir), testStats: encodeStats(testStats), rows })}\n`);
console.log(formatReferenceRows(rows));
console.log(`wrote ${file} in ${((Date.now() - start) / 1000).toFixed(0)} s on ${info.name}`);
