// Saves and loads a tf.LayersModel as model.json + weights.bin with node:fs (tfjs's file:// handler needs tfjs-node).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayersModel, io } from '@tensorflow/tfjs';
import { DataError } from '../errors.js';
import { tf } from '../tf.js';

type ModelJson = {
  modelTopology: object;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
};

/** Writes `model` to `dir`/model.json and `dir`/weights.bin (the layout tf.loadLayersModel reads in a browser). */
export async function saveModelToDir(model: LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0)
      : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const json: ModelJson = {
      modelTopology: artifacts.modelTopology as object,
      format: 'layers-model',
      generatedBy: artifacts.generatedBy ?? 'tfjs-gan',
      convertedBy: null,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
    };
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(weightData));
    writeFileSync(join(dir, 'model.json'), `${JSON.stringify(json)}\n`);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
  }));
}

/** Loads a model saved by saveModelToDir (or any single-shard layers model). DataError naming the file when unreadable. */
export async function loadModelFromDir(dir: string): Promise<LayersModel> {
  const jsonPath = join(dir, 'model.json');
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(jsonPath, 'utf8')) as ModelJson;
  } catch (e) {
    throw new DataError(`${jsonPath}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable (${(e as Error).message})`}`);
  }
  const groups = json.weightsManifest ?? [];
  const specs = groups.flatMap((g) => g.weights);
  const buffers = groups.flatMap((g) => g.paths).map((p) => {
    try {
      return new Uint8Array(readFileSync(join(dir, p)));
    } catch {
      throw new DataError(`${join(dir, p)}: missing weights file named in ${jsonPath}`);
    }
  });
  const total = buffers.reduce((s, b) => s + b.length, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) { weightData.set(b, offset); offset += b.length; }
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: weightData.buffer }));
}
