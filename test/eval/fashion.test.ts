// The shipped Fashion-MNIST classifier (assets/fashion-classifier, scripts/train-mnist-classifier.ts --data-dir ...)
// scores real Fashion-MNIST test images as it says it does, and a fashion-mnist generator is scored with it.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/tf.js';
import { testBackend } from '../setup.js';
import { loadMnist } from '../../src/data/mnist.js';
import { FASHION_CLASSIFIER_DIR, loadMnistClassifier } from '../../src/eval/classifier.js';
import { classifyImages, loadMnistReference, mnistMetrics } from '../../src/eval/mnist.js';
import { DEBIAN_FASHION_MNIST_DIR } from '../../src/train/data_source.js';
import { Rng } from '../../src/random.js';

const data = existsSync(DEBIAN_FASHION_MNIST_DIR);

beforeAll(async () => {
  // Forward-only classifier passes: wasm unless GAN_BACKEND names another backend (as in mnist.test.ts).
  const env = process.env.GAN_BACKEND;
  if (env && env !== 'cpu') await testBackend();
  else await initBackend('wasm');
});

// Fashion-MNIST comes from Debian's dataset-fashion-mnist (CI installs it).
describe.skipIf(!data)(`the Fashion-MNIST classifier${data ? '' : ` (skipped: no ${DEBIAN_FASHION_MNIST_DIR})`}`, () => {
  it('classifies 1,000 real test images at >= 88% and puts them near the test-set reference (their own distribution)', async () => {
    const classifier = await loadMnistClassifier(FASHION_CLASSIFIER_DIR);
    const reference = loadMnistReference(FASHION_CLASSIFIER_DIR); // also checks reference.json belongs to these weights
    const test = loadMnist({ split: 'test', dir: DEBIAN_FASHION_MNIST_DIR });
    const offset = new Rng(4).int(9000);
    const real = await classifyImages(classifier, test.images.subarray(offset * 784, (offset + 1000) * 784));
    const m = mnistMetrics(real, reference.testStats, test.labels.subarray(offset, offset + 1000));
    // Test accuracy is 91.2% over all 10,000 images (the training script prints it); 1,000 images have a binomial
    // sd of ~0.9 points, so 88% is three sd below.
    expect(m.conditionalAccuracy!.overall).toBeGreaterThanOrEqual(0.88);
    expect(m.conditionalAccuracy!.overall).toBeLessThanOrEqual(0.96);
    expect(m.classesCovered).toBe(10);
    // The reference rows hold a random half of the test set against the other half at FD ~0.5; 1,000 images are a
    // noisier sample of the same distribution, far below noise's 219.
    expect(m.frechetDistance).toBeLessThan(10);
    expect(reference.rows.map((r) => r.name)).toContain('Fashion-MNIST test: random half vs other half');
  });
});
