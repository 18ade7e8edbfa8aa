// What the page needs to know about a run directory besides its metrics: its config, the sample grids and the
// checkpoints on disk (by step), and which networks each checkpoint holds. Read-only; symlinks are not followed.
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readRegularFile } from '../io/files.js';

/** One checkpoint of a run: its directory relative to the run, its step and its networks (model.json present). */
export interface CheckpointEntry {
  path: string;
  step: number;
  networks: string[];
}

/** The files of a run: sample grid steps (samples/step-NNNNNN.png) and checkpoints, both in ascending step order. */
export interface RunFiles {
  samples: number[];
  checkpoints: CheckpointEntry[];
}

const NETWORKS = ['generator', 'ema-generator', 'discriminator'];

/** Entries of `dir` matching `pattern` that are real directories or files (not symlinks), with the step they name. */
function stepEntries(dir: string, pattern: RegExp, kind: 'file' | 'dir'): { name: string; step: number }[] {
  let entries;
  try {
    if (lstatSync(dir).isSymbolicLink()) return [];
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => (kind === 'file' ? e.isFile() : e.isDirectory()) && pattern.test(e.name))
    .map((e) => ({ name: e.name, step: Number(pattern.exec(e.name)![1]) }))
    .sort((a, b) => a.step - b.step);
}

/** The sample grids and complete checkpoints (manifest.json written last) of `runDir`. */
export function listRunFiles(runDir: string): RunFiles {
  const samples = stepEntries(join(runDir, 'samples'), /^step-(\d+)\.png$/, 'file').map((e) => e.step);
  const checkpoints = stepEntries(join(runDir, 'checkpoints'), /^step-(\d+)$/, 'dir')
    .filter((e) => existsSync(join(runDir, 'checkpoints', e.name, 'manifest.json')))
    .map((e) => ({
      path: `checkpoints/${e.name}`,
      step: e.step,
      networks: NETWORKS.filter((n) => existsSync(join(runDir, 'checkpoints', e.name, n, 'model.json'))),
    }));
  return { samples, checkpoints };
}

/** The run's config.json as an object, or null when it is missing or not JSON (a run that has not started). */
export function readRunConfig(runDir: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(readRegularFile(join(runDir, 'config.json'), 2 ** 20, (why) => new Error(why)).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : null;
  } catch {
    return null;
  }
}
