// Layout of a checkpoint directory: its file names, the step-000200 naming, and listing a run's checkpoints.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RunDirError } from '../errors.js';
import { describeKind } from '../io/files.js';
import type { ModelFiles } from '../models/io.js';
import { orphanedOldCheckpoints, type VerifiedCheckpoint } from './files.js';
import { NETWORKS } from './state.js';

/** Files of a checkpoint, relative to its directory (plus manifest.json). */
export const FILES = {
  state: 'state.json',
  optimizers: 'optimizers.bin',
  model: (net: string) => ({ modelJson: `${net}/model.json`, weightsBin: `${net}/weights.bin` }),
};
/** Directory of the EMA generator (a standalone model directory). */
export const EMA = 'ema-generator';
export const ALLOWED = new Set([FILES.state, FILES.optimizers, ...[...NETWORKS, EMA].flatMap((n) => Object.values(FILES.model(n)))]);
export const REQUIRED = [FILES.state, FILES.optimizers, ...NETWORKS.flatMap((n) => Object.values(FILES.model(n)))];

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
  const names = checkpointNames(parent);
  if (names === null) return [];
  const found = names
    .map((name) => ({ name, m: /^step-(\d+)$/.exec(name) }))
    .filter((e) => e.m !== null)
    .map((e) => ({ dir: join(parent, e.name), step: Number(e.m![1]) }));
  // A writer killed while replacing step-N leaves the old one as .old-step-N-...: still a complete checkpoint.
  for (const { name, dir } of orphanedOldCheckpoints(parent)) found.push({ dir, step: Number(name.slice(5)) });
  return found.sort((a, b) => b.step - a.step);
}

/**
 * The entries of a run's checkpoints/ folder; null when there is none. Throws RunDirError naming the path when it is
 * something else (a file, a FIFO) or cannot be read.
 */
function checkpointNames(parent: string): string[] | null {
  let st;
  try {
    st = statSync(parent);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null; // no checkpoints yet, or the run directory is a file: nothing to list
    throw new RunDirError(`${parent}: cannot be read (${code ?? (e as Error).message})`);
  }
  if (!st.isDirectory()) throw new RunDirError(`${parent}: expected a directory of checkpoints but found ${describeKind(st)}`);
  try {
    return readdirSync(parent);
  } catch (e) {
    throw new RunDirError(`${parent}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** The model.json + weights.bin bytes of one network of a verified checkpoint. */
export function modelFiles(verified: VerifiedCheckpoint, net: string): ModelFiles {
  const names = FILES.model(net);
  return { modelJson: verified.files.get(names.modelJson)!, weightsBin: verified.files.get(names.weightsBin)! };
}
