import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { Rng } from '../../src/random.js';
import { dcganDiscriminator, dcganGenerator } from '../../src/models/dcgan.js';
import { DEFAULT_STEP_CONFIG, ganStep, type GanModels, type GanOptimizers, type StepConfig } from '../../src/train/steps.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/checkpoint/index.js';
import { testBackend } from '../setup.js';
import { optimizerBytes, weightBytes } from './checkpoint_fixture.js';

const root = mkdtempSync(join(tmpdir(), 'ckpt-models-'));
beforeAll(async () => {
  await testBackend();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const config: StepConfig = { ...DEFAULT_STEP_CONFIG, loss: 'hinge' };

function steps(models: GanModels, optimizers: GanOptimizers, rng: Rng, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = tf.tensor4d(rng.uniformArray(4 * 8 * 8, -1, 1), [4, 8, 8, 1]);
    const labels = tf.tensor1d(Int32Array.from({ length: 4 }, () => rng.int(3)), 'int32');
    ganStep(models, optimizers, () => ({ x, labels }), config, rng);
    tf.dispose([x, labels]);
  }
}

describe('checkpoints of the toolkit models', () => {
  it('resume a conditional DCGAN (BatchNorm G, spectral-norm projection D) byte-identically', async () => {
    const common = { imageSize: 8, channels: 1, baseWidth: 4, numClasses: 3, seed: 5 };
    const models: GanModels = {
      generator: dcganGenerator({ ...common, latentDim: 6 }),
      discriminator: dcganDiscriminator({ ...common, spectralNorm: true, normalization: 'none', conditioning: 'projection' }),
    };
    const optimizers: GanOptimizers = { generator: tf.train.adam(2e-4, 0.5, 0.999), discriminator: tf.train.adam(2e-4, 0.5, 0.999) };
    const rng = new Rng(8);
    steps(models, optimizers, rng, 2);
    await saveCheckpoint(join(root, 'dcgan'), {
      step: 2, config: {}, ...models, generatorOptimizer: optimizers.generator, discriminatorOptimizer: optimizers.discriminator, rng: rng.getState(),
    });
    const loaded = await loadCheckpoint(join(root, 'dcgan'));
    expect(loaded.discriminator.weights.map((w) => w.originalName.split('/').pop())).toContain('u');
    const resumed = { models: { generator: loaded.generator, discriminator: loaded.discriminator }, rng: Rng.fromState(loaded.rng) };
    steps(models, optimizers, rng, 1);
    steps(resumed.models, { generator: loaded.generatorOptimizer, discriminator: loaded.discriminatorOptimizer }, resumed.rng, 1);
    expect((await weightBytes(loaded.generator)).equals(await weightBytes(models.generator))).toBe(true);
    expect((await weightBytes(loaded.discriminator)).equals(await weightBytes(models.discriminator))).toBe(true);
    expect((await optimizerBytes(loaded.discriminatorOptimizer)).equals(await optimizerBytes(optimizers.discriminator))).toBe(true);
    for (const o of [models.generator, models.discriminator, optimizers.generator, optimizers.discriminator,
      loaded.generator, loaded.discriminator, loaded.generatorOptimizer, loaded.discriminatorOptimizer]) o.dispose();
  });
});
