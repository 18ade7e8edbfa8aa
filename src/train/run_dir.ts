// A run directory's files: config.json, metrics.jsonl, samples/, losses.png, checkpoints/. Nothing is written through
// a symlink or into a special file; a failing log, sample or plot write costs that file, never the training state.
import { join } from 'node:path';
import { GanError, RunDirError } from '../errors.js';
import { appendNoFollow, checkRunPath, readRegularFile, writeFileAtomic } from '../io/files.js';
import { listCheckpoints } from '../checkpoint/index.js';

/** What a run writes in its directory, and as what: checked (no symlinks, right types) before a run starts. */
const RUN_FILES: [string, 'file' | 'dir'][] = [
  ['config.json', 'file'], ['metrics.jsonl', 'file'], ['losses.png', 'file'], ['samples', 'dir'], ['checkpoints', 'dir'],
];

export interface RunDir {
  path: string;
  samplePath(step: number): string;
  lossesPath: string;
  writeConfig(config: object): void;
  /** Appends one metrics.jsonl line (a soft write). */
  appendMetrics(line: object): Promise<boolean>;
  /**
   * Runs a write that may fail with an I/O error (full disk, permissions): on failure it warns once per `kind` and
   * returns false; training goes on. Checkpoint writes never go through here: their failures stop the run.
   */
  softWrite(kind: string, write: () => unknown): Promise<boolean>;
  /** The loss curve logged so far, earlier invocations of a resumed run included (steps <= `upTo`). */
  lossHistory(upTo: number): { steps: number[]; d: number[]; g: number[] };
}

/**
 * Checks a run directory (call it under the run lock): no run file through a symlink or of the wrong type, and a
 * fresh run (not `resuming`) never trains over existing checkpoints. Throws RunDirError naming the path.
 */
export function openRunDir(path: string, resuming: boolean, warn: (text: string) => void): RunDir {
  for (const [name, kind] of RUN_FILES) checkRunPath(path, join(path, name), kind);
  if (!resuming && listCheckpoints(path).length > 0) {
    throw new RunDirError(`--run-dir: ${path} already holds checkpoints; continue it with --resume ${path} or pick another directory`);
  }
  const metricsPath = join(path, 'metrics.jsonl');
  const failed = new Set<string>();
  const softWrite = async (kind: string, write: () => unknown) => {
    try {
      await write();
      return true;
    } catch (e) {
      if (e instanceof GanError || !(e instanceof Error) || !('code' in e)) throw e;
      if (!failed.has(kind)) warn(`warning: could not write ${kind} (${(e as NodeJS.ErrnoException).code}: ${e.message.split('\n')[0]}); training goes on, further ${kind} failures are not reported`);
      failed.add(kind);
      return false;
    }
  };
  return {
    path,
    samplePath: (step) => join(path, 'samples', `step-${String(step).padStart(6, '0')}.png`),
    lossesPath: join(path, 'losses.png'),
    writeConfig: (config) => writeFileAtomic(join(path, 'config.json'), `${JSON.stringify(config, null, 2)}\n`),
    appendMetrics: (line) => softWrite('metrics.jsonl', () => appendNoFollow(metricsPath, `${JSON.stringify(line)}\n`)),
    softWrite,
    lossHistory(upTo) {
      const out = { steps: [] as number[], d: [] as number[], g: [] as number[] };
      let text: string;
      try {
        text = readRegularFile(metricsPath, 512 * 2 ** 20, (why) => new Error(why)).toString('utf8');
      } catch {
        return out; // no log yet (or an unreadable one): the plot shows what this invocation logs
      }
      for (const line of text.split('\n')) {
        try {
          const m = JSON.parse(line) as { step?: unknown; dLoss?: unknown; gLoss?: unknown };
          const { step, dLoss, gLoss } = m;
          if (typeof step !== 'number' || typeof dLoss !== 'number' || typeof gLoss !== 'number' || step > upTo) continue;
          // A resumed run re-logs the steps after its checkpoint: keep the last value logged for each step.
          if (out.steps.length && step <= out.steps[out.steps.length - 1]!) {
            out.steps.length = out.d.length = out.g.length = out.steps.findIndex((s) => s >= step);
          }
          out.steps.push(step); out.d.push(dLoss); out.g.push(gLoss);
        } catch {
          // a torn last line (killed mid-write): skipped
        }
      }
      return out;
    },
  };
}

