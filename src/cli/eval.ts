// `gan eval`: scores a checkpoint's generator (EMA weights when present) on its run's data: toy metrics or MNIST metrics.
import { existsSync, statSync } from 'node:fs';
import type { Subcommand } from './command.js';
import { intFlag, parseFlags, startBackend } from './args.js';
import { CheckpointError, UsageError } from '../errors.js';
import { describeSkipped, loadGenerator } from '../checkpoint/index.js';
import { DATA_KINDS, evaluateGenerator, type DataKind } from '../eval/generator.js';
import { formatEvaluation } from '../eval/report.js';

const help = `Usage: gan eval --checkpoint DIR [--samples N] [--seed N] [--no-ema] [--json]

Scores the generator of a checkpoint (a checkpoint dir, or a run dir: its newest valid checkpoint) on the run's data:
  toy 1D:        mean, std, Kolmogorov-Smirnov statistic vs N(3, 0.5)
  ring8, grid25: modes covered, strict coverage, % high quality, reverse KL (VEEGAN/PacGAN protocol, 2,500 samples)
  mnist:         classifier score, Fréchet distance, classes >= 5%, conditional accuracy (10,000 samples),
                 beside reference rows (MNIST test halves, train vs test, uniform noise)
Uses the EMA generator when the checkpoint has one (and says so).

  --checkpoint DIR   checkpoint or run directory (required)
  --samples N        samples to draw (default 2500 toy, 10000 MNIST)
  --seed N           seed of the latent draws (default 0)
  --no-ema           use the raw generator even when EMA weights exist
  --json             print one JSON object on the last line of stdout`;

export const command: Subcommand = {
  summary: 'score a checkpoint: mode coverage (toy) or classifier score / Fréchet distance (MNIST)',
  help,
  async run(argv) {
    const { values } = parseFlags('eval', argv, {
      checkpoint: { type: 'string' }, samples: { type: 'string' }, seed: { type: 'string' },
      'no-ema': { type: 'boolean' }, json: { type: 'boolean' },
    });
    if (values.checkpoint === undefined) throw new UsageError('--checkpoint: required (a checkpoint or run directory)');
    if (!existsSync(values.checkpoint)) throw new UsageError(`--checkpoint: no such directory '${values.checkpoint}'`);
    if (!statSync(values.checkpoint).isDirectory()) throw new UsageError(`--checkpoint: ${values.checkpoint} is not a directory (expected a checkpoint or run directory)`);
    const samples = values.samples === undefined ? undefined : intFlag('samples', values.samples, 2, 1_000_000);
    const seed = values.seed === undefined ? 0 : intFlag('seed', values.seed, 0, 0xffffffff);
    const backend = await startBackend(values.backend);
    const { generator, dir, step, config, usedEma, skipped } = await loadGenerator(values.checkpoint, { ema: !values['no-ema'] });
    for (const s of skipped) process.stderr.write(`note: ${describeSkipped(s)}\n`);
    const data = (config as { data?: unknown } | null)?.data;
    if (typeof data !== 'string' || !(DATA_KINDS as readonly string[]).includes(data)) {
      throw new CheckpointError(`${dir}: config.data: expected one of ${DATA_KINDS.join(', ')} but got ${JSON.stringify(data)}`);
    }
    const dataDir = (config as { dataDir?: unknown }).dataDir;
    if (data === 'mnist' && typeof dataDir === 'string' && dataDir !== '') {
      process.stderr.write(`warning: this run read its images from ${dataDir}; the classifier knows MNIST digits only, so its scores mean little for other data (Fashion-MNIST runs use data 'fashion-mnist', scored by its own classifier)\n`);
    }
    const which = usedEma ? 'EMA generator' : 'generator (no EMA weights in this checkpoint)';
    process.stderr.write(`evaluating ${dir} (step ${step}): ${which}\n`);
    const result = await evaluateGenerator(generator, { data: data as DataKind, seed, ...(samples === undefined ? {} : { samples }) });
    generator.dispose();
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ checkpoint: dir, step, usedEma, backend: backend.name, seed, ...result })}\n`);
      return 0;
    }
    const title = `${dir} (step ${step}), ${usedEma ? 'EMA generator' : values['no-ema'] ? 'raw generator (--no-ema)' : 'generator (no EMA weights)'}, ${result.samples} samples, seed ${seed}, backend ${backend.name}`;
    process.stdout.write(`${formatEvaluation(result, title)}\n`);
    return 0;
  },
};
