// `gan export`: a self-contained static folder with the generator playground for one checkpoint.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Subcommand } from './command.js';
import { parseFlags } from './args.js';
import { UsageError } from '../errors.js';
import { exportPlayground, isEmptyOrMissing } from '../serve/export.js';

const help = `Usage: gan export RUN_DIR --out DIR [--checkpoint STEP_DIR]

Writes DIR: index.html, the page's scripts, tfjs (copied from node_modules) and the checkpoint's generator (its EMA
weights when it has them). Any static file server shows it, offline: the generator playground of \`gan serve\`
for that checkpoint (class picker, latent sliders, truncation, latent walks). Browsers load ES modules only over
http(s), so open it through a server (e.g. \`python3 -m http.server -d DIR\`), not as a file:// page.

  --out DIR              folder to write; must not exist or be empty
  --checkpoint STEP_DIR  a checkpoint directory, or one relative to RUN_DIR such as checkpoints/step-000200
                         (default: the newest valid checkpoint of RUN_DIR)`;

export const command: Subcommand = {
  summary: 'write a static folder with the generator playground for one checkpoint',
  help,
  async run(argv) {
    const { values, positionals } = parseFlags('export', argv, { out: { type: 'string' }, checkpoint: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new UsageError(`expected one RUN_DIR but got ${positionals.length} (see gan export --help)`);
    const runDir = positionals[0]!;
    if (!existsSync(runDir) || !statSync(runDir).isDirectory()) throw new UsageError(`RUN_DIR: ${runDir} is not a directory`);
    if (values.out === undefined) throw new UsageError('--out: required (a folder to write)');
    if (!isEmptyOrMissing(values.out)) throw new UsageError(`--out: ${values.out} exists and is not an empty folder`);
    // --checkpoint as given, else relative to RUN_DIR (checkpoints/step-000200).
    const checkpoint = values.checkpoint === undefined || existsSync(values.checkpoint) ? values.checkpoint : join(runDir, values.checkpoint);
    if (checkpoint !== undefined && !existsSync(checkpoint)) throw new UsageError(`--checkpoint: ${values.checkpoint} does not exist (nor in ${runDir})`);
    const manifest = exportPlayground(runDir, values.out, checkpoint);
    process.stdout.write(`wrote ${values.out}: the playground for step ${manifest.step} of ${manifest.run} (${manifest.network}); serve it with any static file server\n`);
    return 0;
  },
};
