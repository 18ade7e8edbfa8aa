// Training checkpoints: G and D as standard TF.js models, full optimizer state, RNG and data position; exact resume.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { CheckpointError, GanError } from '../errors.js';
import type { RngState } from '../random.js';
import { artifactsToFiles, filesToArtifacts, modelArtifacts, modelFromFiles, type ModelFiles } from '../models/io.js';
import {
  MANIFEST, removeDir, removeLeftovers, verifyCheckpointDir, writeCheckpointDir,
  type VerifiedCheckpoint, type WriteFault,
} from './checkpoint_files.js';
import { NETWORKS, parseStateJson, type StateJson } from './checkpoint_state.js';
import { captureOptimizerState, createOptimizer, optimizerStateSize, restoreOptimizerState, sameShape } from './optimizer_state.js';

export { acquireRunLock } from './run_lock.js';
export { CHECKPOINT_FORMAT_VERSION } from './checkpoint_files.js';

/** What a checkpoint holds. Models and optimizers are live tfjs objects; the rest is JSON. */
export interface CheckpointState {
  step: number;
  /** The resolved training config (JSON), compared on resume. */
  config: unknown;
  generator: TF.LayersModel;
  discriminator: TF.LayersModel;
  generatorOptimizer: TF.Optimizer;
  discriminatorOptimizer: TF.Optimizer;
  /** EMA of the generator's weights, parallel to `generator.weights` (same order and shapes), or null. */
  emaGenerator?: TF.Tensor[] | null;
  rng: RngState;
  /** Data sampler position (JSON). */
  data?: unknown;
  /** Anything else to get back on resume (JSON). */
  extra?: unknown;
}

/** A loaded checkpoint: the saved state plus where it came from. The caller owns (and disposes) the tensors. */
export interface LoadedCheckpoint extends CheckpointState {
  dir: string;
  emaGenerator: TF.Tensor[] | null;
  data: unknown;
  extra: unknown;
  toolkitVersion: string;
  createdAt: string;
}

export interface SaveCheckpointOptions {
  /** Keep this many newest checkpoints (by step); older ones are deleted. Default: keep all. */
  keep?: number;
  /** Test hook: fail like a full disk after this many bytes of this file. */
  failWriteAt?: WriteFault;
}

export interface LoadCheckpointOptions {
  /** Restore into these optimizers (e.g. built with a new learning rate) instead of ones built from the saved config. */
  generatorOptimizer?: TF.Optimizer;
  discriminatorOptimizer?: TF.Optimizer;
}

const FILES = {
  state: 'state.json',
  optimizers: 'optimizers.bin',
  model: (net: string) => ({ modelJson: `${net}/model.json`, weightsBin: `${net}/weights.bin` }),
};
const EMA = 'ema-generator';
const ALLOWED = new Set([FILES.state, FILES.optimizers, ...[...NETWORKS, EMA].flatMap((n) => Object.values(FILES.model(n)))]);
const REQUIRED = [FILES.state, FILES.optimizers, ...NETWORKS.flatMap((n) => Object.values(FILES.model(n)))];

/** This toolkit's version, from package.json. */
export function toolkitVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Directory name of the checkpoint of `step`: step-000200. */
export function checkpointName(step: number): string {
  return `step-${String(step).padStart(6, '0')}`;
}

/** The checkpoints/ directory of a run. */
export function checkpointsDir(runDir: string): string {
  return join(runDir, 'checkpoints');
}

/** Checkpoint directories of a run (complete or not), newest step first. */
export function listCheckpoints(runDir: string): { dir: string; step: number }[] {
  const parent = checkpointsDir(runDir);
  if (!existsSync(parent)) return [];
  return readdirSync(parent)
    .map((name) => ({ name, m: /^step-(\d+)$/.exec(name) }))
    .filter((e) => e.m !== null)
    .map((e) => ({ dir: join(parent, e.name), step: Number(e.m![1]) }))
    .sort((a, b) => b.step - a.step);
}

/**
 * Saves a checkpoint as `<runDir>/checkpoints/step-000200/` atomically (see README "Checkpoints"), then deletes all
 * but the newest `keep`. On a failed write (disk full, ...) throws CheckpointError saying the previous checkpoint is
 * intact; nothing partial is left behind.
 */
export async function saveCheckpoint(runDir: string, state: CheckpointState, options: SaveCheckpointOptions = {}): Promise<{ dir: string; removed: string[] }> {
  const { step } = state;
  if (!Number.isSafeInteger(step) || step < 0) throw new CheckpointError(`step must be a non-negative integer, got ${step}`);
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

/** Reads and fully checks one checkpoint directory (checksums and state.json), without building models. */
function verify(dir: string): { verified: VerifiedCheckpoint; state: StateJson } {
  const verified = verifyCheckpointDir(dir, ALLOWED, REQUIRED);
  const state = parseStateJson(verified.files.get(FILES.state)!, `checkpoint ${dir}: ${FILES.state}`);
  if (state.step !== verified.manifest.step) throw new CheckpointError(`checkpoint ${dir}: ${FILES.state} says step ${state.step} but ${MANIFEST} says ${verified.manifest.step}`);
  const ema = Object.values(FILES.model(EMA));
  if (state.ema !== ema.every((f) => verified.files.has(f))) throw new CheckpointError(`checkpoint ${dir}: ${FILES.state} and ${MANIFEST} disagree on whether EMA weights are present`);
  return { verified, state };
}

function findLatest(runDir: string) {
  const skipped: { dir: string; reason: string }[] = [];
  for (const { dir } of listCheckpoints(runDir)) {
    try {
      return { found: { dir, ...verify(dir) }, skipped };
    } catch (e) {
      if (!(e instanceof GanError)) throw e;
      skipped.push({ dir, reason: e.message });
    }
  }
  return { found: null, skipped };
}

/**
 * The newest checkpoint of a run whose files all check out, for `--resume`, and the newer ones skipped with the
 * reason. `dir` is null when there is none.
 */
export function findLatestValidCheckpoint(runDir: string): { dir: string | null; skipped: { dir: string; reason: string }[] } {
  const { found, skipped } = findLatest(runDir);
  return { dir: found?.dir ?? null, skipped };
}

function resolve(path: string) {
  if (existsSync(join(path, MANIFEST)) || /^step-\d+$/.test(basename(path))) return { dir: path, ...verify(path), skipped: [] };
  if (!existsSync(path)) throw new CheckpointError(`${path} does not exist`);
  const { found, skipped } = findLatest(path);
  if (!found) {
    const why = skipped.length ? `; skipped: ${skipped.map((s) => s.reason).join('; ')}` : '';
    throw new CheckpointError(`no valid checkpoint in ${checkpointsDir(path)}${why}`);
  }
  return { ...found, skipped };
}

/**
 * Loads a checkpoint: `path` is a checkpoint directory or a run directory (its newest valid checkpoint). Models are
 * rebuilt from model.json (register custom layers first: import the package index), optimizers restored so the next
 * step is exactly the one the uninterrupted run would take. Throws CheckpointError naming the file and the problem.
 */
export async function loadCheckpoint(path: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint & { skipped: { dir: string; reason: string }[] }> {
  const { dir, verified, state, skipped } = resolve(path);
  const files = verified.files;
  const filesOf = (net: string): ModelFiles => {
    const names = FILES.model(net);
    return { modelJson: files.get(names.modelJson)!, weightsBin: files.get(names.weightsBin)! };
  };
  const owned: { dispose(): void }[] = [];
  try {
    const label = (f: string) => `checkpoint ${dir}: ${f}`;
    const generator = await modelFromFiles(filesOf('generator'), label('generator'));
    owned.push(generator);
    const discriminator = await modelFromFiles(filesOf('discriminator'), label('discriminator'));
    owned.push(discriminator);
    const models = { generator, discriminator };
    const bin = files.get(FILES.optimizers)!;
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
      const artifacts = filesToArtifacts(filesOf(EMA), label(EMA));
      const specs = artifacts.weightSpecs ?? [];
      if (specs.length !== generator.weights.length || specs.some((s, k) => !sameShape(s.shape, generator.weights[k]!.shape))) {
        throw new CheckpointError(`${label(EMA)}: its weights do not match the generator's (count or shapes differ)`);
      }
      const map = tf.io.decodeWeights(artifacts.weightData!, specs);
      emaGenerator = specs.map((s) => map[s.name]!);
    }
    return {
      dir, skipped, step: state.step, config: state.config, generator, discriminator,
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
 * Loads only the generator of a checkpoint (checkpoint or run directory), with its EMA weights when it has them and
 * `ema` is true (the default): for sampling and evaluation.
 */
export async function loadGenerator(path: string, { ema = true }: { ema?: boolean } = {}): Promise<{ generator: TF.LayersModel; dir: string; step: number; config: unknown; usedEma: boolean }> {
  const { dir, verified, state } = resolve(path);
  const useEma = ema && state.ema;
  const net = useEma ? EMA : 'generator';
  const names = FILES.model(net);
  const generator = await modelFromFiles(
    { modelJson: verified.files.get(names.modelJson)!, weightsBin: verified.files.get(names.weightsBin)! }, `checkpoint ${dir}: ${net}`);
  return { generator, dir, step: state.step, config: state.config, usedEma: useEma };
}
