// train() from code with the caller's own networks, data and fit-style callbacks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/errors.js';
import { tf } from '../../src/tf.js';
import { resolveConfig } from '../../src/train/config.js';
import { train, type TrainResult } from '../../src/train/loop.js';
import { testBackend } from '../setup.js';

let dir = '';
beforeAll(async () => {
  await testBackend();
  dir = mkdtempSync(join(tmpdir(), 'gan-library-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pair = () => ({
  generator: tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 8, activation: 'relu' }), tf.layers.dense({ units: 2 })] }),
  discriminator: tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 8, activation: 'relu' }), tf.layers.dense({ units: 1 })] }),
});
const config = resolveConfig({ data: 'custom', latentDim: 3, steps: 6, logEvery: 3, metricsEvery: 3, checkpointEvery: 4, batchSize: 5 });

describe('train() with your own models and data', () => {
  it('draws batches from a tf.data.Dataset (restarting it each epoch) and calls the callbacks in order', async () => {
    // 2 batches per epoch, 6 steps: the dataset is restarted twice.
    const batches = [0, 1].map((k) => ({ x: tf.fill([5, 2], k) }));
    const dataset = tf.data.array(batches);
    const events: string[] = [];
    let ended: TrainResult | null = null;
    const models = pair();
    const result = await train(config, {
      runDir: join(dir, 'dataset'), plots: false, models, data: dataset,
      callbacks: {
        onStepEnd: (step, losses) => { events.push(`step ${step}${losses ? ` read D ${Number.isFinite(losses.dLoss)}` : ''}`); },
        onCheckpoint: (step, at) => { events.push(`checkpoint ${step} ${at.endsWith(`step-00000${step}`)}`); },
        onTrainEnd: (r) => { ended = r; },
      },
    });
    expect(events).toEqual(['step 1', 'step 2', 'step 3 read D true', 'step 4', 'checkpoint 4 true', 'step 5', 'step 6 read D true', 'checkpoint 6 true']);
    expect(ended as TrainResult | null).toBe(result);
    expect(result).toMatchObject({ step: 6, interrupted: false });
    expect(Number.isFinite(result.dLoss)).toBe(true);
    // The caller's models are the ones trained (and are left to the caller to dispose).
    expect(models.generator.layers[0]!.getWeights()[0]!.isDisposed).toBe(false);
    tf.dispose([...batches.map((b) => b.x)]);
  });

  it("refuses data 'custom' without models and data, and a one-shot generator that cannot start a second pass", async () => {
    await expect(train(config, { runDir: join(dir, 'none'), plots: false })).rejects.toThrow(
      new ConfigError("data: 'custom' means the caller gives train() its own data and models (options.data and options.models)"),
    );
    async function* once() { yield { x: new Float32Array(10) }; }
    await expect(train(config, { runDir: join(dir, 'once'), plots: false, models: pair(), data: once() })).rejects.toThrow(
      new DataError('data: the iterable ended after 1 batches and did not start over (a generator object runs once); pass a tf.data.Dataset or an object whose [Symbol.asyncIterator]() starts a new pass'),
    );
  });
});
