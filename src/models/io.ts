// Models on the local file system in the standard TF.js layers format (model.json + weights.bin), without tfjs-node;
// a topology is checked against its weights manifest before anything is allocated.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { withUnfusedLayers } from '../layers/unfused.js';
import { CheckpointError } from '../errors.js';
import { readRegularFile } from '../io/files.js';
// Importing the custom layers registers their classes, so any model saved by the toolkit loads back.
import '../layers/spectral_norm.js';
import '../layers/spectral_norm_conv.js';
import '../layers/latent_code.js';

/** File name of the model topology + weights manifest. */
export const MODEL_JSON = 'model.json';
/** File name of the single weights shard. */
export const WEIGHTS_BIN = 'weights.bin';
/** Largest model.json read from a model directory (a DCGAN's is ~20 KB). */
const MAX_MODEL_JSON_BYTES = 64 << 20;
/** Largest weights.bin read from a model directory. */
const MAX_WEIGHTS_BYTES = 2 ** 31 - 1;

/** The two files of a saved model, as bytes. */
export interface ModelFiles {
  modelJson: Uint8Array;
  weightsBin: Uint8Array;
}

/** Captures what `model.save` would write, without writing anything. */
export async function modelArtifacts(model: TF.LayersModel): Promise<TF.io.ModelArtifacts> {
  let captured: TF.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    captured = artifacts;
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }));
  if (!captured) throw new Error('model.save did not call its save handler');
  return captured;
}

/**
 * Serializes artifacts to the standard files: a model.json whose weightsManifest names one shard, `weights.bin`
 * (the layout `tf.loadLayersModel('http://.../model.json')` reads in a browser).
 */
export function artifactsToFiles(artifacts: TF.io.ModelArtifacts): ModelFiles {
  if (artifacts.modelTopology instanceof ArrayBuffer || artifacts.modelTopology === undefined) {
    throw new CheckpointError('only layers models with a JSON topology can be saved');
  }
  const weightsBin = new Uint8Array(artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const json: TF.io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig !== undefined) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata !== undefined) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  return { modelJson: new TextEncoder().encode(JSON.stringify(json)), weightsBin };
}

function sizeOf(dtype: string): number {
  if (dtype === 'float32' || dtype === 'int32') return 4;
  if (dtype === 'bool' || dtype === 'uint8') return 1;
  if (dtype === 'float16' || dtype === 'int16') return 2;
  throw new Error(`unsupported weight dtype '${dtype}'`);
}

/**
 * Parses the two files back into artifacts, checking that the manifest is well formed and that weights.bin holds
 * exactly the bytes its specs describe. Throws CheckpointError naming `label` (a path shown to the user).
 */
export function filesToArtifacts(files: ModelFiles, label: string): TF.io.ModelArtifacts {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(files.modelJson));
  } catch (e) {
    throw new CheckpointError(`${label}/${MODEL_JSON} is not valid JSON (${(e as Error).message})`);
  }
  const bad = (what: string) => new CheckpointError(`${label}/${MODEL_JSON}: ${what}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('expected a JSON object');
  const modelJson = json as Partial<TF.io.ModelJSON>;
  if (typeof modelJson.modelTopology !== 'object' || modelJson.modelTopology === null) throw bad('modelTopology is missing');
  const manifest = modelJson.weightsManifest;
  if (!Array.isArray(manifest)) throw bad('weightsManifest is missing');
  const specs: TF.io.WeightsManifestEntry[] = [];
  for (const group of manifest as unknown[]) {
    const weights = (group as { weights?: unknown })?.weights;
    if (!Array.isArray(weights)) throw bad('a weightsManifest group has no weights list');
    for (const spec of weights as unknown[]) {
      const s = spec as Partial<TF.io.WeightsManifestEntry>;
      if (typeof s?.name !== 'string' || !Array.isArray(s.shape) || typeof s.dtype !== 'string') throw bad('a weight spec lacks name, shape or dtype');
      if (!s.shape.every((d) => Number.isInteger(d) && d >= 0)) throw bad(`weight '${s.name}' has an invalid shape ${JSON.stringify(s.shape)}`);
      if (s.quantization !== undefined) throw bad(`weight '${s.name}' is quantized; only plain weights are supported`);
      specs.push(s as TF.io.WeightsManifestEntry);
    }
  }
  let expected = 0;
  for (const s of specs) {
    try {
      expected += s.shape.reduce((a, b) => a * b, 1) * sizeOf(s.dtype);
    } catch (e) {
      throw bad(`weight '${s.name}': ${(e as Error).message}`);
    }
  }
  if (expected !== files.weightsBin.byteLength) {
    throw new CheckpointError(`${label}/${WEIGHTS_BIN}: expected ${expected} bytes for the weights listed in ${MODEL_JSON} but found ${files.weightsBin.byteLength}`);
  }
  const data = files.weightsBin.buffer.slice(files.weightsBin.byteOffset, files.weightsBin.byteOffset + files.weightsBin.byteLength) as ArrayBuffer;
  return tf.io.getModelArtifactsForJSONSync(modelJson as TF.io.ModelJSON, specs, data);
}

/** One weight a topology would create: its variable name ('dense_Dense1/kernel') and shape. */
interface ImpliedWeight {
  name: string;
  shape: number[];
}

type AddWeight = (this: { name: string; _trainableWeights: unknown[]; _nonTrainableWeights: unknown[] },
  name: string, shape: number[], dtype?: string, initializer?: unknown, regularizer?: unknown, trainable?: boolean) => unknown;

/**
 * The weights a topology would create, in model.weights order, found without allocating any: tfjs-layers' own
 * deserialization runs (so every layer class, custom ones included, computes its shapes as it would when built)
 * while Layer.addWeight records the shape and hands back a placeholder instead of initialising a tensor.
 */
async function impliedWeights(topology: TF.io.ModelJSON['modelTopology']): Promise<ImpliedWeight[]> {
  const proto = tf.layers.Layer.prototype as unknown as { addWeight: AddWeight };
  const original = proto.addWeight;
  const implied: ImpliedWeight[] = [];
  proto.addWeight = function (name, shape, dtype, _initializer, _regularizer, trainable) {
    const weight = { name: `${this.name}/${name}`, originalName: `${this.name}/${name}`, shape: [...shape], dtype: dtype ?? 'float32', dispose() {} };
    implied.push({ name: weight.name, shape: weight.shape });
    (trainable ?? true ? this._trainableWeights : this._nonTrainableWeights).push(weight);
    return weight;
  };
  try {
    // The placeholder model is dropped, not disposed: it holds no tensor.
    await withUnfusedLayers(() => tf.models.modelFromJSON({ modelTopology: topology }));
    return implied;
  } finally {
    proto.addWeight = original;
  }
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Checks that the topology creates exactly the weights the manifest lists (each listed name with its listed shape,
 * and as many values in all) before anything is built: a model.json edited to ask for a huge layer is refused
 * instead of allocating it. Throws CheckpointError naming `label`.
 */
export async function checkTopology(artifacts: TF.io.ModelArtifacts, label: string): Promise<void> {
  const bad = (what: string) => new CheckpointError(`${label}/${MODEL_JSON}: ${what}`);
  let implied: ImpliedWeight[];
  try {
    implied = await impliedWeights(artifacts.modelTopology as TF.io.ModelJSON['modelTopology']);
  } catch (e) {
    throw bad(`cannot build the model (${String((e as Error)?.message ?? e).split('\n')[0]})`);
  }
  const specs = artifacts.weightSpecs ?? [];
  const listed = new Map(specs.map((s) => [s.name, s.shape]));
  for (const w of implied) {
    const shape = listed.get(w.name);
    if (shape && (shape.length !== w.shape.length || shape.some((d, i) => d !== w.shape[i]))) {
      throw bad(`the topology gives ${w.name} the shape [${w.shape}] but the weights manifest lists [${shape}]`);
    }
  }
  const impliedValues = implied.reduce((n, w) => n + count(w.shape), 0);
  const listedValues = specs.reduce((n, s) => n + count(s.shape), 0);
  if (implied.length !== specs.length || impliedValues !== listedValues) {
    throw bad(`the topology creates ${implied.length} weights with ${impliedValues} values but the weights manifest lists ${specs.length} with ${listedValues}`);
  }
}

/**
 * Builds a model from artifacts (topology, checked against the weights first; then weights loaded strictly by name).
 * Whatever fails midway, the variables and decoded weight tensors created so far are disposed, and a CheckpointError
 * names `label`.
 */
export async function buildModel(artifacts: TF.io.ModelArtifacts, label: string): Promise<TF.LayersModel> {
  await checkTopology(artifacts, label);
  const before = new Set(Object.keys(tf.engine().registeredVariables));
  let weights: TF.NamedTensorMap = {};
  try {
    // Conv2D and Dense come back as the toolkit's unfused layers: the same numbers as when they were saved.
    const model = await withUnfusedLayers(() =>
      tf.models.modelFromJSON({ modelTopology: artifacts.modelTopology as TF.io.ModelJSON['modelTopology'] }));
    if (!(model instanceof tf.LayersModel)) throw new Error(`the topology is a ${(model as { getClassName?: () => string }).getClassName?.()}, not a model`);
    weights = tf.io.decodeWeights(artifacts.weightData ?? new ArrayBuffer(0), artifacts.weightSpecs ?? []);
    model.loadWeights(weights, true);
    return model;
  } catch (e) {
    for (const [name, v] of Object.entries(tf.engine().registeredVariables)) if (!before.has(name)) v.dispose();
    throw new CheckpointError(`${label}/${MODEL_JSON}: cannot build the model (${String((e as Error)?.message ?? e).split('\n')[0]})`);
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/** Builds a model from its two files. Custom layers (spectral norm) must be registered first. */
export async function modelFromFiles(files: ModelFiles, label: string): Promise<TF.LayersModel> {
  return buildModel(filesToArtifacts(files, label), label);
}

/**
 * A TF.io.IOHandler over node:fs: `model.save(fileSystemHandler(dir))` writes `dir/model.json` + `dir/weights.bin`,
 * `tf.loadLayersModel(fileSystemHandler(dir))` reads them. Not atomic (checkpoints use their own atomic writer).
 */
export function fileSystemHandler(dir: string): TF.io.IOHandler {
  return {
    async save(artifacts) {
      const files = artifactsToFiles(artifacts);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, WEIGHTS_BIN), files.weightsBin);
      writeFileSync(join(dir, MODEL_JSON), files.modelJson);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load() {
      // Only regular files, bounded: a FIFO or a device named model.json must not hang or fill memory.
      const read = (name: string, maxBytes: number): Uint8Array => readRegularFile(join(dir, name), maxBytes, (why, kind) =>
        new CheckpointError(`${join(dir, name)}: cannot read the file (${kind === 'missing' ? 'no such file' : why})`), { followSymlinks: true });
      return filesToArtifacts({ modelJson: read(MODEL_JSON, MAX_MODEL_JSON_BYTES), weightsBin: read(WEIGHTS_BIN, MAX_WEIGHTS_BYTES) }, dir);
    },
  };
}

/** Saves a model to `dir` (model.json + weights.bin). */
export async function saveModel(model: TF.LayersModel, dir: string): Promise<void> {
  await model.save(fileSystemHandler(dir));
}

/** Loads a model saved by `saveModel` (or any single-shard layers model directory). */
export async function loadModel(dir: string): Promise<TF.LayersModel> {
  return buildModel(await fileSystemHandler(dir).load!(), dir);
}
