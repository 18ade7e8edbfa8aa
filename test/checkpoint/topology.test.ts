// checkTopology: the weights a model.json implies, found by tfjs's own deserialization with no tensor allocated, must
// be the weights its manifest lists (issue 14, class 5: a re-signed model.json asking for a huge layer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../src/tf.js';
import { CheckpointError } from '../../src/errors.js';
import { checkTopology, modelArtifacts } from '../../src/models/io.js';
import { buildModels } from '../../src/train/build.js';
import { loadPreset, presetNames, resolveConfig } from '../../src/train/config.js';
import { testBackend } from '../setup.js';

const owned: TF.LayersModel[] = [];
beforeAll(testBackend);
afterAll(() => { for (const m of owned) m.dispose(); });

/** Artifacts of a preset's generator and discriminator (tiny widths: only the layer structure matters here). */
async function presetArtifacts(name: string): Promise<[string, TF.io.ModelArtifacts][]> {
  // dataDir: an image-folder preset needs one to validate; no data is read here.
  const config = resolveConfig(loadPreset(name), { baseWidth: 4, generatorHiddenUnits: [4], discriminatorHiddenUnits: [4], dataDir: 'unused' });
  const { generator, discriminator } = buildModels(config);
  owned.push(generator, discriminator);
  return [[`${name} generator`, await modelArtifacts(generator)], [`${name} discriminator`, await modelArtifacts(discriminator)]];
}

/** A copy of `artifacts` whose topology JSON is edited by `edit` (the weights manifest unchanged). */
function withTopology(artifacts: TF.io.ModelArtifacts, edit: (json: string) => string): TF.io.ModelArtifacts {
  return { ...artifacts, modelTopology: JSON.parse(edit(JSON.stringify(artifacts.modelTopology))) as object };
}

describe('checkTopology', () => {
  it('accepts the generator and discriminator of every preset, allocating no tensor and registering no variable', async () => {
    for (const preset of presetNames()) {
      for (const [what, artifacts] of await presetArtifacts(preset)) {
        const tensors = tf.memory().numTensors;
        const variables = Object.keys(tf.engine().registeredVariables).length;
        await expect(checkTopology(artifacts, what), what).resolves.toBeUndefined();
        expect(tf.memory().numTensors, what).toBe(tensors);
        expect(Object.keys(tf.engine().registeredVariables).length, what).toBe(variables);
      }
    }
  });

  it('refuses a layer edited to 1e9 units, naming the weight and both shapes, without allocating it', async () => {
    const [[, artifacts]] = await presetArtifacts('ring-8-gan') as [[string, TF.io.ModelArtifacts]];
    const last = artifacts.weightSpecs!.at(-2)!; // the output layer's kernel, [4, 2]
    const crafted = withTopology(artifacts, (t) => t.replace(/"units":2\b/, '"units":1000000000'));
    const tensors = tf.memory().numTensors;
    await expect(checkTopology(crafted, 'g')).rejects.toThrow(new CheckpointError(
      `g/model.json: the topology gives ${last.name} the shape [4,1000000000] but the weights manifest lists [4,2]`));
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('refuses a topology whose weights differ from the manifest only in number, with both counts', async () => {
    const [[, artifacts]] = await presetArtifacts('ring-8-gan') as [[string, TF.io.ModelArtifacts]];
    const specs = artifacts.weightSpecs!;
    const values = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
    // Without biases the layers create fewer weights than the manifest lists (the names that remain still match).
    const crafted = withTopology(artifacts, (t) => t.replaceAll('"use_bias":true', '"use_bias":false'));
    const biases = specs.filter((s) => s.name.endsWith('/bias'));
    const biasValues = biases.reduce((n, s) => n + s.shape[0]!, 0);
    await expect(checkTopology(crafted, 'g')).rejects.toThrow(new CheckpointError(
      `g/model.json: the topology creates ${specs.length - biases.length} weights with ${values - biasValues} values but the weights manifest lists ${specs.length} with ${values}`));
  });

  it('turns a topology tfjs cannot deserialize into one CheckpointError line', async () => {
    const [[, artifacts]] = await presetArtifacts('ring-8-gan') as [[string, TF.io.ModelArtifacts]];
    const crafted = withTopology(artifacts, (t) => t.replace('"class_name":"Dense"', '"class_name":"constructor"'));
    const error = await checkTopology(crafted, 'g').then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toMatch(/^g\/model\.json: cannot build the model \([^\n]+\)$/);
  });
});
