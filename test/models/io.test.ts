import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { CheckpointError } from '../../src/errors.js';
import { loadModel, saveModel } from '../../src/models/io.js';
import { mlpGenerator } from '../../src/models/mlp.js';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';

let dir = '';
beforeAll(async () => {
  await testBackend();
  dir = await mkdtemp(join(tmpdir(), 'io-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file-system model IO', () => {
  it('writes the standard model.json + weights.bin and loads them back to identical outputs', async () => {
    const G = mlpGenerator({ latentDim: 3, hiddenUnits: [4], outputDim: 2, numClasses: 2, seed: 4 });
    await saveModel(G, join(dir, 'g'));
    const json = JSON.parse(await readFile(join(dir, 'g', 'model.json'), 'utf8')) as tfjs.io.ModelJSON;
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest).toEqual([{ paths: ['./weights.bin'], weights: expect.any(Array) as unknown }]);
    const bytes = (await readFile(join(dir, 'g', 'weights.bin'))).byteLength;
    expect(bytes).toBe(4 * G.countParams());
    const loaded = await loadModel(join(dir, 'g'));
    const inputs = [tf.tensor2d([[0.1, -2, 3]]), tf.tensor2d([[0, 1]])];
    expect(Array.from(await (loaded.predict(inputs) as tfjs.Tensor).data())).toEqual(Array.from(await (G.predict(inputs) as tfjs.Tensor).data()));
  });

  it('names the missing file', async () => {
    await expect(loadModel(join(dir, 'nothing'))).rejects.toThrow(
      new CheckpointError(`${join(dir, 'nothing', 'model.json')}: cannot read the file (no such file)`),
    );
  });

  it('names a truncated weights file and the expected size', async () => {
    const G = mlpGenerator({ latentDim: 3, hiddenUnits: [4], outputDim: 2 });
    await saveModel(G, join(dir, 'short'));
    await truncate(join(dir, 'short', 'weights.bin'), 10);
    await expect(loadModel(join(dir, 'short'))).rejects.toThrow(
      new CheckpointError(`${join(dir, 'short', 'weights.bin')}: expected ${4 * G.countParams()} bytes for the weights listed in model.json but found 10`),
    );
  });

  it('names a model.json that is not JSON', async () => {
    const G = mlpGenerator({ latentDim: 3, hiddenUnits: [4], outputDim: 2 });
    await saveModel(G, join(dir, 'bad'));
    await writeFile(join(dir, 'bad', 'model.json'), '{"modelTopology": ');
    await expect(loadModel(join(dir, 'bad'))).rejects.toThrow(new RegExp(`^${join(dir, 'bad', 'model.json')} is not valid JSON`));
  });
});
