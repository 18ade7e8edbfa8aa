// A tfjs IOHandler over node:fs: a model directory holds the standard model.json + weights.bin (the format
// tf.loadLayersModel reads over http in a browser), without tfjs-node's file:// handler.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { CheckpointError } from '../errors.js';
// Importing the layers registers the custom classes, so any model this module saves can be loaded back.
import '../layers/spectral_norm.js';
import '../layers/spectral_norm_conv.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

function concatWeightData(data: tfjs.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

async function readOrThrow(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CheckpointError(`${path}: cannot read the ${what} (${code === 'ENOENT' ? 'no such file' : String(code ?? e)})`);
  }
}

/**
 * An IOHandler reading and writing `<dir>/model.json` and `<dir>/weights.bin`. Pass it to `model.save(...)` and
 * `tf.loadLayersModel(...)`. save creates `dir` if needed and overwrites (atomicity is the caller's: write into a
 * temporary directory and rename). load throws CheckpointError naming the file on a missing, malformed or short file.
 */
export function fileSystemIO(dir: string): tfjs.io.IOHandler {
  return {
    async save(artifacts: tfjs.io.ModelArtifacts): Promise<tfjs.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new CheckpointError(`${dir}: binary model topologies are not supported (expected a JSON topology)`);
      }
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : concatWeightData(artifacts.weightData);
      const modelJson: tfjs.io.ModelJSON = {
        modelTopology: artifacts.modelTopology!,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'tfjs-gan',
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
      await writeFile(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: weights.byteLength,
        },
      };
    },

    async load(): Promise<tfjs.io.ModelArtifacts> {
      const jsonPath = join(dir, MODEL_JSON);
      let modelJson: tfjs.io.ModelJSON;
      try {
        modelJson = JSON.parse((await readOrThrow(jsonPath, 'model topology')).toString('utf8')) as tfjs.io.ModelJSON;
      } catch (e) {
        if (e instanceof CheckpointError) throw e;
        throw new CheckpointError(`${jsonPath}: not valid JSON (${(e as Error).message})`);
      }
      if (typeof modelJson !== 'object' || modelJson === null || typeof modelJson.modelTopology !== 'object'
        || !Array.isArray(modelJson.weightsManifest)) {
        throw new CheckpointError(`${jsonPath}: expected an object with modelTopology and weightsManifest`);
      }
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tfjs.io.WeightsManifestEntry[] = [];
        const buffers: Buffer[] = [];
        for (const group of manifest) {
          if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) {
            throw new CheckpointError(`${jsonPath}: malformed weightsManifest entry`);
          }
          specs.push(...group.weights);
          for (const p of group.paths) buffers.push(await readOrThrow(join(dir, p), 'weights'));
        }
        const data = Buffer.concat(buffers);
        const expected = specs.reduce((n, s) => n + weightBytes(s, jsonPath), 0);
        if (data.byteLength !== expected) {
          throw new CheckpointError(`${join(dir, WEIGHTS_BIN)}: expected ${expected} bytes of weights but got ${data.byteLength}`);
        }
        const out = new ArrayBuffer(data.byteLength);
        new Uint8Array(out).set(data);
        return [specs, out];
      });
    },
  };
}

function weightBytes(spec: tfjs.io.WeightsManifestEntry, jsonPath: string): number {
  const bytesPerValue: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
  const per = bytesPerValue[spec.dtype];
  if (spec.quantization !== undefined || per === undefined || !Array.isArray(spec.shape)) {
    throw new CheckpointError(`${jsonPath}: weight '${spec.name}': unsupported spec (dtype ${spec.dtype}${spec.quantization ? ', quantized' : ''})`);
  }
  return per * spec.shape.reduce((a, b) => a * b, 1);
}

/** Saves `model` as `<dir>/model.json` + `<dir>/weights.bin`. */
export async function saveModel(model: tfjs.LayersModel, dir: string): Promise<void> {
  await model.save(fileSystemIO(dir));
}

/** Loads a model saved by saveModel (or any standard layers-model directory with its weights beside it). */
export async function loadModel(dir: string): Promise<tfjs.LayersModel> {
  return tf.loadLayersModel(fileSystemIO(dir));
}
