import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';
import { Rng } from '../../src/random.js';
import { loadMnist, gatherBatch } from '../../src/data/mnist.js';
import { EpochSampler } from '../../src/data/sampler.js';
import { mnistDataset, toyDatasetBatches, type Batch } from '../../src/data/dataset.js';
import { ring8 } from '../../src/data/toy.js';

beforeAll(async () => { await testBackend(); });

describe('tf.data datasets', () => {
  it('yields MNIST batches in the sampler order, drawing lazily so the sampler state matches the batches taken', async () => {
    const data = loadMnist({ split: 'test', limit: 100 });
    const sampler = new EpochSampler(data.count, 11);
    const reference = new EpochSampler(data.count, 11);
    const before = tf.memory().numTensors;
    const it = await mnistDataset(data, sampler, 8).iterator();
    for (let k = 0; k < 3; k++) {
      const { value } = await it.next();
      const { xs, ys } = value as Batch;
      const expected = gatherBatch(data, reference.next(8));
      expect(xs.shape).toEqual([8, 28, 28, 1]);
      expect(ys.dtype).toBe('int32');
      expect(await xs.data()).toEqual(expected.images);
      expect(await ys.data()).toEqual(expected.labels);
      tf.dispose([xs, ys]);
    }
    expect(sampler.getState()).toEqual(reference.getState());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('yields toy batches of points [B, 2] and mode labels drawn with the given rng', async () => {
    const it = await toyDatasetBatches(ring8, new Rng(4), 16).iterator();
    const { value } = await it.next();
    const { xs, ys } = value as Batch;
    const expected = ring8.sample(new Rng(4), 16);
    expect(xs.shape).toEqual([16, 2]);
    expect(await xs.data()).toEqual(expected.points);
    expect(await ys.data()).toEqual(expected.labels);
    tf.dispose([xs, ys]);
  });
});
