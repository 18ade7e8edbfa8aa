import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { Rng } from '../../src/random.js';
import { listCheckpoints, loadCheckpoint, loadGenerator, saveCheckpoint } from '../../src/checkpoint/index.js';
import { testBackend } from '../setup.js';
import { buildFixture, disposeFixture, optimizerBytes, stateOf, tensorBytes, trainStep, weightBytes } from './checkpoint_fixture.js';

let root: string;
beforeAll(async () => {
  await testBackend();
  root = mkdtempSync(join(tmpdir(), 'ckpt-test-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('saveCheckpoint and loadCheckpoint', () => {
  it('round-trips weights, optimizer state, RNG, data position and config exactly, and the next step is byte-identical', async () => {
    const runDir = join(root, 'roundtrip');
    const f = buildFixture(1);
    // 5 steps: tfjs's own Adam.setWeights recomputes beta2^(t+1) with pow(), which differs in the last bit from the
    // running float32 product at t = 5 for beta2 = 0.999; this test fails if only getWeights/setWeights is used.
    for (let i = 0; i < 5; i++) trainStep(f, f.rng);
    const before = tf.memory().numTensors;
    const { dir } = await saveCheckpoint(runDir, stateOf(f, 5));
    expect(dir).toBe(join(runDir, 'checkpoints', 'step-000005'));
    const loaded = await loadCheckpoint(runDir);
    expect(loaded.dir).toBe(dir);
    expect(loaded.step).toBe(5);
    expect(loaded.config).toEqual({ hidden: 8, lr: 2e-3 });
    expect(loaded.data).toEqual({ epoch: 1, index: 20 });
    expect(loaded.extra).toEqual({ note: 'fixture' });
    expect(loaded.rng).toEqual(f.rng.getState());
    expect(loaded.emaGenerator).toBeNull();
    expect((await weightBytes(loaded.generator)).equals(await weightBytes(f.generator))).toBe(true);
    expect((await weightBytes(loaded.discriminator)).equals(await weightBytes(f.discriminator))).toBe(true);
    expect((await optimizerBytes(loaded.generatorOptimizer)).equals(await optimizerBytes(f.generatorOptimizer))).toBe(true);
    expect((await optimizerBytes(loaded.discriminatorOptimizer)).equals(await optimizerBytes(f.discriminatorOptimizer))).toBe(true);
    expect(loaded.generatorOptimizer.getConfig()).toEqual(f.generatorOptimizer.getConfig());

    // Two more steps each, from the same RNG state: the continued run must equal the uninterrupted one bit for bit.
    const rngA = Rng.fromState(f.rng.getState()), rngB = Rng.fromState(loaded.rng);
    for (let i = 0; i < 2; i++) {
      trainStep(f, rngA);
      trainStep(loaded, rngB);
    }
    expect((await weightBytes(loaded.generator)).equals(await weightBytes(f.generator))).toBe(true);
    expect((await weightBytes(loaded.discriminator)).equals(await weightBytes(f.discriminator))).toBe(true);
    expect((await optimizerBytes(loaded.generatorOptimizer)).equals(await optimizerBytes(f.generatorOptimizer))).toBe(true);
    disposeFixture(loaded);
    expect(tf.memory().numTensors).toBe(before);
    disposeFixture(f);
  });

  it('restores into optimizers the caller built, and refuses one of another class', async () => {
    const runDir = join(root, 'given');
    const f = buildFixture(2);
    trainStep(f, f.rng);
    await saveCheckpoint(runDir, stateOf(f, 1));
    const g = tf.train.adam(5e-4, 0.5, 0.999), d = tf.train.adam(5e-4, 0.5, 0.999);
    const loaded = await loadCheckpoint(runDir, { generatorOptimizer: g, discriminatorOptimizer: d });
    expect(loaded.generatorOptimizer).toBe(g);
    expect((await optimizerBytes(g)).equals(await optimizerBytes(f.generatorOptimizer))).toBe(true);
    disposeFixture(loaded);
    const sgd = tf.train.sgd(0.1);
    await expect(loadCheckpoint(runDir, { generatorOptimizer: sgd })).rejects.toThrow(
      `checkpoint ${join(runDir, 'checkpoints', 'step-000001')}: generator optimizer: expected a Adam optimizer but got SGD`);
    sgd.dispose();
    disposeFixture(f);
  });

  it('keeps only the newest K checkpoints', async () => {
    const runDir = join(root, 'keep');
    const f = buildFixture(3);
    for (const step of [10, 20, 30, 40]) await saveCheckpoint(runDir, stateOf(f, step), { keep: 2 });
    expect(listCheckpoints(runDir).map((c) => c.step)).toEqual([40, 30]);
    expect(readdirSync(join(runDir, 'checkpoints')).sort()).toEqual(['step-000030', 'step-000040']);
    disposeFixture(f);
  });

  it('replaces an existing checkpoint of the same step, and accepts the checkpoints directory as a path', async () => {
    const runDir = join(root, 'same-step');
    const f = buildFixture(6);
    await saveCheckpoint(runDir, stateOf(f, 4, { extra: 'first' }));
    await saveCheckpoint(runDir, stateOf(f, 4, { extra: 'second' }));
    expect(readdirSync(join(runDir, 'checkpoints'))).toEqual(['step-000004']);
    const loaded = await loadCheckpoint(join(runDir, 'checkpoints'));
    expect(loaded.extra).toBe('second');
    disposeFixture(loaded);
    disposeFixture(f);
  });

  it('refuses an invalid RNG state or keep count before writing anything', async () => {
    const runDir = join(root, 'invalid');
    const f = buildFixture(7);
    await expect(saveCheckpoint(runDir, stateOf(f, 1, { rng: { s: [0, 0, 0, 0], spare: null } }))).rejects.toThrow(
      'rng must be an RngState (Rng.getState()), got {"s":[0,0,0,0],"spare":null}');
    await expect(saveCheckpoint(runDir, stateOf(f, 1), { keep: 0 })).rejects.toThrow('keep must be an integer >= 1, got 0');
    expect(listCheckpoints(runDir)).toEqual([]);
    disposeFixture(f);
  });

  it('saves EMA weights as a standalone generator that loadGenerator prefers', async () => {
    const runDir = join(root, 'ema');
    const f = buildFixture(4);
    trainStep(f, f.rng);
    const ema = f.generator.weights.map((w) => tf.mul(w.read(), 0.5));
    await saveCheckpoint(runDir, stateOf(f, 1, { emaGenerator: ema }));
    const loaded = await loadCheckpoint(runDir);
    expect(loaded.emaGenerator).toHaveLength(ema.length);
    for (const [i, t] of loaded.emaGenerator!.entries()) expect((await tensorBytes(t)).equals(await tensorBytes(ema[i]!))).toBe(true);
    const { generator, usedEma } = await loadGenerator(runDir);
    expect(usedEma).toBe(true);
    expect((await weightBytes(generator)).equals(Buffer.concat(await Promise.all(ema.map(tensorBytes))))).toBe(true);
    const plain = await loadGenerator(runDir, { ema: false });
    expect(plain.usedEma).toBe(false);
    expect((await weightBytes(plain.generator)).equals(await weightBytes(f.generator))).toBe(true);
    tf.dispose([...ema, ...loaded.emaGenerator!]);
    generator.dispose();
    plain.generator.dispose();
    disposeFixture(loaded);
    disposeFixture(f);
  });

  it('writes model.json and weights.bin that tf.loadLayersModel reads as a standard layers model', async () => {
    const runDir = join(root, 'standard');
    const f = buildFixture(5);
    const { dir } = await saveCheckpoint(runDir, stateOf(f, 0));
    const { fileSystemHandler } = await import('../../src/models/io.js');
    const model = await tf.loadLayersModel(fileSystemHandler(join(dir, 'generator')));
    const z = tf.ones([2, 3]);
    const [a, b] = [model.predict(z) as TF.Tensor, f.generator.predict(z) as TF.Tensor];
    expect((await tensorBytes(a)).equals(await tensorBytes(b))).toBe(true);
    tf.dispose([z, a, b]);
    model.dispose();
    disposeFixture(f);
  });
});
