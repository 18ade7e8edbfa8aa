// The small MNIST CNN behind the MNIST metrics: a 5x5 and a 3x3 conv, a 128-unit feature layer (Fréchet distance) and softmax.
import type { LayersModel, SymbolicTensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from '../errors.js';
import { tf } from '../tf.js';
import { loadModel } from '../models/io.js';

export const CLASSIFIER_CONV_FILTERS = [32, 32] as const;
export const CLASSIFIER_KERNEL_SIZES = [5, 3] as const;
/** Width of the penultimate (feature) layer, named 'features'. */
export const CLASSIFIER_FEATURES = 128;
/** Where the trained classifier ships in the package. */
export const CLASSIFIER_DIR = fileURLToPath(new URL('../../assets/mnist-classifier', import.meta.url));
/** The Fashion-MNIST classifier (same network, trained on Fashion-MNIST by scripts/train-mnist-classifier.ts). */
export const FASHION_CLASSIFIER_DIR = fileURLToPath(new URL('../../assets/fashion-classifier', import.meta.url));

/** Input [B, 28, 28, 1] in [-1, 1] -> class probabilities [B, 10]. Layer weights in the order of the training script. */
export function buildMnistClassifier(): LayersModel {
  const [c1, c2] = CLASSIFIER_CONV_FILTERS;
  const [k1, k2] = CLASSIFIER_KERNEL_SIZES;
  return tf.sequential({ name: 'mnist_classifier', layers: [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: c1, kernelSize: k1, padding: 'same', activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    tf.layers.conv2d({ filters: c2, kernelSize: k2, padding: 'same', activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: CLASSIFIER_FEATURES, activation: 'relu', name: 'features' }),
    tf.layers.dense({ units: 10, activation: 'softmax', name: 'probs' }),
  ] });
}

/** The classifier with two outputs: features [B, 128] and probabilities [B, 10]. */
export interface MnistClassifier {
  model: LayersModel;
  /** Returns [features, probabilities] for a batch [B, 28, 28, 1]. */
  featuresAndProbs(x: Tensor4D): [Tensor2D, Tensor2D];
}

// The shipped classifier, by backend: its weights live on the backend that loaded it, and a run that resumes on
// another backend cannot use them there (moving webgpu tensors to another backend needs a synchronous read, which
// webgpu does not offer in Node).
const cached = new Map<string, Promise<MnistClassifier>>();

/** Loads the shipped classifier (once per process and backend). */
export function loadMnistClassifier(dir = CLASSIFIER_DIR): Promise<MnistClassifier> {
  const backend = tf.getBackend();
  const hit = dir === CLASSIFIER_DIR ? cached.get(backend) : undefined;
  if (hit) return hit;
  const json = join(dir, 'model.json');
  if (!existsSync(json)) {
    return Promise.reject(new DataError(`${json}: missing: the MNIST classifier; train it with: npx tsx scripts/train-mnist-classifier.ts`));
  }
  const p = loadModel(dir).then((model) => {
    const both = tf.model({ inputs: model.inputs, outputs: [model.getLayer('features').output as SymbolicTensor, model.outputs[0]!] });
    return {
      model,
      featuresAndProbs: (x: Tensor4D) => both.predict(x) as [Tensor2D, Tensor2D],
    };
  });
  if (dir === CLASSIFIER_DIR) cached.set(backend, p);
  return p;
}
