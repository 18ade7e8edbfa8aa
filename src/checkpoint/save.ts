// Writing a checkpoint: G and D as standard TF.js models, full optimizer state, RNG and data position (exact resume).
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { CheckpointError } from '../errors.js';
import { artifactsToFiles, modelArtifacts, type ModelFiles } from '../models/io.js';
import { MANIFEST, removeDir, removeLeftovers, writeCheckpointDir } from './files.js';
import { checkpointName, checkpointsDir, EMA, FILES, listCheckpoints, toolkitVersion } from './layout.js';
import { isRngState, type StateJson } from './state.js';
import { captureOptimizerState, sameShape } from './optimizer_state.js';

import type { CheckpointState, SaveCheckpointOptions } from './types.js';

/**
 * Saves a checkpoint as `<runDir>/checkpoints/step-000200/` atomically (see docs/checkpoints.md), then deletes all
 * but the newest `keep`. On a failed write (disk full, ...) throws CheckpointError saying the previous checkpoint is
 * intact; nothing partial is left behind.
 */
export async function saveCheckpoint(runDir: string, state: CheckpointState, options: SaveCheckpointOptions = {}): Promise<{ dir: string; removed: string[] }> {
  const { step } = state;
  if (!Number.isSafeInteger(step) || step < 0) throw new CheckpointError(`step must be a non-negative integer, got ${step}`);
  if (!isRngState(state.rng)) throw new CheckpointError(`rng must be an RngState (Rng.getState()), got ${JSON.stringify(state.rng)}`);
  if (options.keep !== undefined && !(Number.isSafeInteger(options.keep) && options.keep >= 1)) {
    throw new CheckpointError(`keep must be an integer >= 1, got ${options.keep}`);
  }
  const models = { generator: state.generator, discriminator: state.discriminator };
  const files = new Map<string, Uint8Array>();
  const putModel = (net: string, f: ModelFiles) => {
    const names = FILES.model(net);
    files.set(names.modelJson, f.modelJson);
    files.set(names.weightsBin, f.weightsBin);
  };
  const generatorArtifacts = await modelArtifacts(state.generator);
  putModel('generator', artifactsToFiles(generatorArtifacts));
  putModel('discriminator', artifactsToFiles(await modelArtifacts(state.discriminator)));
  const ema = state.emaGenerator ?? null;
  if (ema) putModel(EMA, artifactsToFiles({ ...generatorArtifacts, ...await encodeLike(ema, state.generator, generatorArtifacts) }));
  const g = await captureOptimizerState(state.generatorOptimizer, models);
  const d = await captureOptimizerState(state.discriminatorOptimizer, models);
  const slots = new Float32Array(g.data.length + d.data.length);
  slots.set(g.data, 0);
  slots.set(d.data, g.data.length);
  files.set(FILES.optimizers, new Uint8Array(slots.buffer));
  const json: StateJson = {
    step, config: state.config ?? null, rng: state.rng, data: state.data ?? null, extra: state.extra ?? null,
    ema: ema !== null, optimizers: { generator: g.json, discriminator: d.json },
  };
  files.set(FILES.state, new TextEncoder().encode(`${JSON.stringify(json, null, 1)}\n`));

  const parent = checkpointsDir(runDir);
  const name = checkpointName(step);
  const previous = listCheckpoints(runDir).find((c) => basename(c.dir) !== name && existsSync(join(c.dir, MANIFEST)));
  try {
    removeLeftovers(parent);
    writeCheckpointDir(parent, name, files, { step, toolkitVersion: toolkitVersion() }, options.failWriteAt);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).message ?? String(e);
    const intact = previous ? `the previous checkpoint ${previous.dir} is intact` : 'no earlier checkpoint exists';
    throw new CheckpointError(`could not write checkpoint ${join(parent, name)} (${why}); ${intact}`);
  }
  const removed: string[] = [];
  if (options.keep !== undefined) {
    const others = listCheckpoints(runDir).filter((c) => basename(c.dir) !== name);
    for (const old of others.slice(Math.max(0, options.keep - 1))) {
      removeDir(old.dir);
      removed.push(old.dir);
    }
  }
  return { dir: join(parent, name), removed };
}

// Encodes EMA tensors under the generator's weight names, checking they are parallel to generator.weights.
async function encodeLike(ema: TF.Tensor[], generator: TF.LayersModel, artifacts: TF.io.ModelArtifacts) {
  const specs = artifacts.weightSpecs ?? [];
  if (ema.length !== generator.weights.length || specs.length !== ema.length) {
    throw new CheckpointError(`emaGenerator has ${ema.length} tensors but the generator has ${generator.weights.length} weights`);
  }
  ema.forEach((t, i) => {
    if (!sameShape(t.shape, generator.weights[i]!.shape)) {
      throw new CheckpointError(`emaGenerator[${i}] has shape [${t.shape}] but generator weight ${generator.weights[i]!.originalName} has [${generator.weights[i]!.shape}]`);
    }
  });
  const { data, specs: emaSpecs } = await tf.io.encodeWeights(ema.map((tensor, i) => ({ name: specs[i]!.name, tensor })));
  return { weightData: data, weightSpecs: emaSpecs };
}
