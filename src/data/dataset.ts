// Thin tfjs-data (tf.data) datasets over the loaders: endless batches as {xs, ys} tensors.
import type { Tensor, Tensor1D, TensorContainerObject } from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import type { Rng } from '../random.js';
import { gatherBatch, type MnistData } from './mnist.js';
import type { EpochSampler } from './sampler.js';
import type { ToyDataset } from './toy.js';

/** One batch: xs images [B, H, W, C] in [-1, 1] or toy points [B, dim]; ys class / mode indices [B] int32. */
export interface Batch {
  xs: Tensor;
  ys: Tensor1D;
}

/**
 * Endless batches of an image set in the order of `sampler` (which the caller owns: save sampler.getState()
 * in a checkpoint and setState() it before building the dataset to resume the exact data order).
 * Batches are drawn lazily, one per iterator.next(), so after k batches the sampler has advanced by k batches.
 * The consumer disposes each batch's tensors.
 */
export function mnistDataset(data: MnistData, sampler: EpochSampler, batchSize: number) {
  return tf.data.generator(function* () {
    for (;;) {
      const { images, labels } = gatherBatch(data, sampler.next(batchSize));
      const xs = tf.tensor4d(images, [batchSize, data.height, data.width, data.channels]);
      const ys = tf.tensor1d(labels, 'int32');
      yield { xs, ys } satisfies Batch as Batch & TensorContainerObject;
    }
  });
}

/** Endless batches of toy points drawn with `rng` (the caller's, so its state can be checkpointed). */
export function toyDatasetBatches(toy: ToyDataset, rng: Rng, batchSize: number) {
  return tf.data.generator(function* () {
    for (;;) {
      const { points, labels } = toy.sample(rng, batchSize);
      const xs = tf.tensor2d(points, [batchSize, toy.dim]);
      const ys = tf.tensor1d(labels, 'int32');
      yield { xs, ys } satisfies Batch as Batch & TensorContainerObject;
    }
  });
}
