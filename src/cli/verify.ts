// `gan verify`: checks a run's checkpoints file by file (sizes, sha256, manifest, state) and shows its lock.
import { join } from 'node:path';
import type { Subcommand } from './command.js';
import { checkPathArgument, parseFlags, startBackend } from './args.js';
import { UsageError } from '../errors.js';
import { inspectCheckpoints } from '../checkpoint/index.js';
import { inspectRunLock, LOCK_FILE } from '../checkpoint/run_lock.js';

const help = `Usage: gan verify DIR [--deep] [--json]

Checks the checkpoints of a run directory (or one checkpoint directory), newest first: every file's size and sha256
against the manifest, the manifest's own checksum and format version, state.json and each model.json. Shows the run's
lock (who holds it, or why it is stale). Exits 1 when a checkpoint is invalid.

  --deep     also rebuild the models and optimizers of each checkpoint with tfjs
  --json     print one JSON object on the last line of stdout`;

export const command: Subcommand = {
  summary: 'check the checkpoints of a run (checksums, format) and show its lock',
  help,
  async run(argv) {
    const { values, positionals } = parseFlags('verify', argv, { deep: { type: 'boolean' }, json: { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new UsageError(`expected one run or checkpoint directory but got ${positionals.length} arguments (see gan verify --help)`);
    const path = positionals[0]!;
    checkPathArgument('DIR', path);
    await startBackend(values.backend);
    const checkpoints = await inspectCheckpoints(path, { deep: Boolean(values.deep) });
    const lock = inspectRunLock(path);
    const invalid = checkpoints.filter((c) => c.problem !== null).length;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ dir: path, checkpoints, invalid, lock })}\n`);
      return invalid ? 1 : 0;
    }
    const lines = checkpoints.map((c) => c.problem === null
      ? `ok       ${c.dir}  step ${c.step}, ${(c.bytes / 1e6).toFixed(2)} MB${c.ema ? ', EMA' : ''}, ${c.createdAt}, tfjs-gan ${c.toolkitVersion}`
      : `INVALID  ${c.problem}`);
    if (checkpoints.length === 0) lines.push(`no checkpoints in ${join(path, 'checkpoints')}`);
    if (lock?.invalid) {
      lines.push(`${LOCK_FILE}: ${lock.invalid}; remove it (a run refuses to start with it)`);
    } else if (lock) {
      const who = lock.holder ? `process ${lock.holder.pid} on ${lock.holder.hostname} since ${lock.holder.createdAt}` : 'an unreadable lock file';
      lines.push(`${LOCK_FILE}: ${who}${lock.stale ? ` (stale: ${lock.stale}; the next run takes it over)` : ' (running)'}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return invalid ? 1 : 0;
  },
};
