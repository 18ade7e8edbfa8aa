// Reading checkpoints: verify files and state, find the newest valid one of a run, rebuild models and optimizers.
import { existsSync, lstatSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { CheckpointError, GanError } from '../errors.js';
import { checkTopology, filesToArtifacts, modelFromFiles } from '../models/io.js';
import type { LoadCheckpointOptions, LoadedCheckpoint } from './types.js';
import { MANIFEST, verifyCheckpointDir, type VerifiedCheckpoint } from './files.js';
import { ALLOWED, checkpointsDir, EMA, FILES, listCheckpoints, modelFiles, REQUIRED } from './layout.js';
import { NETWORKS, parseStateJson, type StateJson } from './state.js';
import { createOptimizer, optimizerStateSize, restoreOptimizerState, sameShape } from './optimizer_state.js';

/**
 * Reads and checks one checkpoint directory without building models: checksums, state.json, and each model.json
 * with its weights.bin (well formed, sizes agree).
 */
function verify(dir: string): { verified: VerifiedCheckpoint; state: StateJson } {
  const verified = verifyCheckpointDir(dir, ALLOWED, REQUIRED);
  const state = parseStateJson(verified.files.get(FILES.state)!, `checkpoint ${dir}: ${FILES.state}`);
  if (state.step !== verified.manifest.step) throw new CheckpointError(`checkpoint ${dir}: ${FILES.state} says step ${state.step} but ${MANIFEST} says ${verified.manifest.step}`);
  const ema = Object.values(FILES.model(EMA));
  if (state.ema !== ema.every((f) => verified.files.has(f))) throw new CheckpointError(`checkpoint ${dir}: ${FILES.state} and ${MANIFEST} disagree on whether EMA weights are present`);
  for (const net of networks(state)) filesToArtifacts(modelFiles(verified, net), `checkpoint ${dir}: ${net}`);
  return { verified, state };
}

const networks = (state: StateJson): string[] => (state.ema ? [...NETWORKS, EMA] : [...NETWORKS]);

/** Checks each model.json's topology against its weights without building it (see checkTopology). */
async function checkTopologies(dir: string, verified: VerifiedCheckpoint, state: StateJson): Promise<void> {
  for (const net of networks(state)) {
    const label = `checkpoint ${dir}: ${net}`;
    await checkTopology(filesToArtifacts(modelFiles(verified, net), label), label);
  }
}

/** One line for a checkpoint that was passed over: 'skipped DIR: why'. */
export function describeSkipped({ dir, reason }: { dir: string; reason: string }): string {
  const prefix = `checkpoint ${dir}: `;
  return `skipped ${dir}: ${reason.startsWith(prefix) ? reason.slice(prefix.length) : reason}`;
}

/** Whether a path names one checkpoint (it has a manifest, whatever kind of file, or a step-N name) rather than a run. */
function isCheckpointDir(path: string): boolean {
  try {
    lstatSync(join(path, MANIFEST));
    return true;
  } catch {
    return /^step-\d+$/.test(basename(path));
  }
}

function* candidates(runDir: string, skipped: { dir: string; reason: string }[]) {
  for (const { dir } of listCheckpoints(runDir)) {
    try {
      yield { dir, ...verify(dir) };
    } catch (e) {
      if (!(e instanceof GanError)) throw e;
      skipped.push({ dir, reason: e.message });
    }
  }
}

/**
 * The newest checkpoint of a run whose files all check out, for `--resume`, and the newer ones skipped with the
 * reason. `dir` is null when there is none.
 */
export function findLatestValidCheckpoint(runDir: string): { dir: string | null; skipped: { dir: string; reason: string }[] } {
  const skipped: { dir: string; reason: string }[] = [];
  for (const found of candidates(runDir, skipped)) return { dir: found.dir, skipped };
  return { dir: null, skipped };
}

/** What `gan verify` shows about one checkpoint directory. */
export interface CheckpointInfo {
  dir: string;
  step: number;
  /** null when every file checks out; else why not. */
  problem: string | null;
  bytes: number;
  createdAt: string | null;
  toolkitVersion: string | null;
  ema: boolean;
}

/**
 * Checks the checkpoint(s) a path names (a checkpoint directory, or every checkpoint of a run, newest first) file by
 * file, and each topology against its weights, without building models; `deep` also builds the models and
 * optimizers (needs a started backend).
 */
export async function inspectCheckpoints(path: string, { deep = false }: { deep?: boolean } = {}): Promise<CheckpointInfo[]> {
  const single = isCheckpointDir(path);
  if (!single && !existsSync(path)) throw new CheckpointError(`${path} does not exist`);
  const runDir = basename(path) === 'checkpoints' && !existsSync(checkpointsDir(path)) ? dirname(path) : path;
  const dirs = single ? [{ dir: path, step: Number(/(\d+)$/.exec(basename(path))?.[1] ?? NaN) }] : listCheckpoints(runDir);
  const infos: CheckpointInfo[] = [];
  for (const { dir, step } of dirs) {
    const info: CheckpointInfo = { dir, step, problem: null, bytes: 0, createdAt: null, toolkitVersion: null, ema: false };
    try {
      const checked = verify(dir);
      info.step = checked.state.step;
      info.bytes = [...checked.verified.files.values()].reduce((n, b) => n + b.byteLength, 0);
      info.createdAt = checked.verified.manifest.createdAt;
      info.toolkitVersion = checked.verified.manifest.toolkitVersion;
      info.ema = checked.state.ema;
      await checkTopologies(dir, checked.verified, checked.state);
      if (deep) {
        const loaded = await loadVerified({ dir, ...checked }, {});
        for (const o of [loaded.generator, loaded.discriminator, loaded.generatorOptimizer, loaded.discriminatorOptimizer]) o.dispose();
        tf.dispose(loaded.emaGenerator ?? []);
      }
    } catch (e) {
      if (!(e instanceof GanError)) throw e;
      info.problem = e.message;
    }
    infos.push(info);
  }
  return infos;
}

/** The checkpoint(s) a path names: itself if it is a checkpoint directory, else a run's valid ones, newest first. */
function* resolve(path: string, skipped: { dir: string; reason: string }[]) {
  if (isCheckpointDir(path)) {
    yield { dir: path, ...verify(path) };
    return;
  }
  if (!existsSync(path)) throw new CheckpointError(`${path} does not exist`);
  // Also accept the checkpoints/ directory itself.
  const runDir = basename(path) === 'checkpoints' && !existsSync(checkpointsDir(path)) ? dirname(path) : path;
  yield* candidates(runDir, skipped);
  const why = skipped.length ? `; skipped: ${skipped.map((s) => s.reason).join('; ')}` : '';
  throw new CheckpointError(`no valid checkpoint in ${checkpointsDir(runDir)}${why}`);
}

/**
 * Loads a checkpoint: `path` is a checkpoint directory or a run directory (its newest checkpoint that loads; the
 * newer ones that do not are listed in `skipped` with the reason). Models are rebuilt from model.json (register
 * custom layers first: import the package index), optimizers restored so the next step is exactly the one the
 * uninterrupted run would take. Throws CheckpointError naming the file and the problem.
 */
export async function loadCheckpoint(path: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint & { skipped: { dir: string; reason: string }[] }> {
  const skipped: { dir: string; reason: string }[] = [];
  const single = isCheckpointDir(path);
  for (const candidate of resolve(path, skipped)) {
    try {
      return { ...await loadVerified(candidate, options), skipped };
    } catch (e) {
      if (single || !(e instanceof GanError)) throw e;
      skipped.push({ dir: candidate.dir, reason: e.message });
    }
  }
  throw new Error('unreachable: resolve() throws when it runs out of checkpoints');
}

async function loadVerified({ dir, verified, state }: { dir: string; verified: VerifiedCheckpoint; state: StateJson }, options: LoadCheckpointOptions): Promise<LoadedCheckpoint> {
  const owned: { dispose(): void }[] = [];
  try {
    const label = (f: string) => `checkpoint ${dir}: ${f}`;
    const generator = await modelFromFiles(modelFiles(verified, 'generator'), label('generator'));
    owned.push(generator);
    const discriminator = await modelFromFiles(modelFiles(verified, 'discriminator'), label('discriminator'));
    owned.push(discriminator);
    const models = { generator, discriminator };
    const bin = verified.files.get(FILES.optimizers)!;
    const sizes = NETWORKS.map((n) => optimizerStateSize(state.optimizers[n]));
    if (bin.byteLength !== 4 * (sizes[0]! + sizes[1]!)) {
      throw new CheckpointError(`${label(FILES.optimizers)}: expected ${4 * (sizes[0]! + sizes[1]!)} bytes for the slots in ${FILES.state} but found ${bin.byteLength}`);
    }
    const slotValues = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
    const optimizers: TF.Optimizer[] = [];
    for (const [i, net] of NETWORKS.entries()) {
      const json = state.optimizers[net];
      const given = net === 'generator' ? options.generatorOptimizer : options.discriminatorOptimizer;
      const optimizer = given ?? createOptimizer(json, label(`${FILES.state} optimizers.${net}`));
      if (!given) owned.push(optimizer);
      const start = i === 0 ? 0 : sizes[0]!;
      await restoreOptimizerState(optimizer, json, slotValues.subarray(start, start + sizes[i]!), models, label(`${net} optimizer`));
      optimizers.push(optimizer);
    }
    let emaGenerator: TF.Tensor[] | null = null;
    if (state.ema) {
      const artifacts = filesToArtifacts(modelFiles(verified, EMA), label(EMA));
      const specs = artifacts.weightSpecs ?? [];
      if (specs.length !== generator.weights.length || specs.some((s, k) => !sameShape(s.shape, generator.weights[k]!.shape))) {
        throw new CheckpointError(`${label(EMA)}: its weights do not match the generator's (count or shapes differ)`);
      }
      const map = tf.io.decodeWeights(artifacts.weightData!, specs);
      emaGenerator = specs.map((s) => map[s.name]!);
    }
    return {
      dir, step: state.step, config: state.config, generator, discriminator,
      generatorOptimizer: optimizers[0]!, discriminatorOptimizer: optimizers[1]!, emaGenerator,
      rng: state.rng, data: state.data, extra: state.extra,
      toolkitVersion: verified.manifest.toolkitVersion, createdAt: verified.manifest.createdAt,
    };
  } catch (e) {
    for (const o of owned) o.dispose();
    throw e;
  }
}

/**
 * The state of the checkpoint a path names (a checkpoint directory, or a run's newest valid one), read and verified
 * without building any model: for `--resume`'s config check, `gan verify` and the like.
 */
export function readCheckpointState(path: string): { dir: string; step: number; config: unknown; data: unknown; extra: unknown; skipped: { dir: string; reason: string }[] } {
  const skipped: { dir: string; reason: string }[] = [];
  for (const { dir, state } of resolve(path, skipped)) return { dir, step: state.step, config: state.config, data: state.data, extra: state.extra, skipped };
  throw new Error('unreachable: resolve() throws when it runs out of checkpoints');
}

/**
 * Loads only the generator of a checkpoint (checkpoint or run directory), with its EMA weights when it has them and
 * `ema` is true (the default): for sampling and evaluation. From a run directory, the newer checkpoints that do not
 * load are listed in `skipped` with the reason.
 */
export async function loadGenerator(path: string, { ema = true }: { ema?: boolean } = {}): Promise<{
  generator: TF.LayersModel; dir: string; step: number; config: unknown; usedEma: boolean; skipped: { dir: string; reason: string }[];
}> {
  const skipped: { dir: string; reason: string }[] = [];
  const single = isCheckpointDir(path);
  for (const { dir, verified, state } of resolve(path, skipped)) {
    const useEma = ema && state.ema;
    const net = useEma ? EMA : 'generator';
    try {
      const generator = await modelFromFiles(modelFiles(verified, net), `checkpoint ${dir}: ${net}`);
      return { generator, dir, step: state.step, config: state.config, usedEma: useEma, skipped };
    } catch (e) {
      if (single || !(e instanceof GanError)) throw e;
      skipped.push({ dir, reason: e.message });
    }
  }
  throw new Error('unreachable: resolve() throws when it runs out of checkpoints');
}
