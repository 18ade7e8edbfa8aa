// `gan eval`: scores a checkpoint's generator (EMA weights when present) on its run's data: toy metrics, MNIST metrics
// or image-folder metrics.
import { existsSync, statSync } from 'node:fs';
import type { Subcommand } from './command.js';
import { intFlag, parseFlags, startBackend } from './args.js';
import { CheckpointError, ConfigError, UsageError } from '../errors.js';
import { describeSkipped, loadGenerator } from '../checkpoint/index.js';
import { DATA_KINDS, evaluateGenerator, type DataKind } from '../eval/generator.js';
import { formatEvaluation } from '../eval/report.js';
import type { RealImages } from '../eval/image_folder.js';
import { loadRealImages } from '../train/data_source.js';

const help = `Usage: gan eval --checkpoint DIR [--samples N] [--seed N] [--no-ema] [--data-dir DIR] [--json]

Scores the generator of a checkpoint (a checkpoint dir, or a run dir: its newest valid checkpoint) on the run's data:
  toy 1D:        mean, std, Kolmogorov-Smirnov statistic vs N(3, 0.5)
  ring8, grid25: modes covered, strict coverage, % high quality, reverse KL (VEEGAN/PacGAN protocol, 2,500 samples),
                 spread (high-quality samples' RMS distance to their centre over real points')
  mnist:         classifier score, Fréchet distance, classes >= 5%, conditional accuracy (10,000 samples),
                 beside reference rows (MNIST test halves, train vs test, uniform noise)
  images:        Fréchet distance, k-NN precision, recall, coverage in a fixed random feature space, against half
                 of the run's folder, beside its other half scored the same way (docs/evaluation.md)
Uses the EMA generator when the checkpoint has one (and says so).

  --checkpoint DIR   checkpoint or run directory (required)
  --samples N        samples to draw (default 2500 toy, 10000 MNIST and images; images: at most half the folder)
  --seed N           seed of the latent draws (default 0)
  --no-ema           use the raw generator even when EMA weights exist
  --data-dir DIR     image runs: the folder to compare with, when the run's own (config dataDir) has moved
  --json             print one JSON object on the last line of stdout`;

/**
 * The images an image-folder run trained on: `dataDir` (or `override`) at the run's imageSize and channels, through
 * the decoded cache. A folder that no longer exists is a ConfigError (one line, exit 2).
 */
async function loadRunImages(config: Record<string, unknown>, checkpoint: string, override: string | undefined): Promise<RealImages> {
  const { dataDir, imageSize, channels, cacheDir } = config;
  if (typeof dataDir !== 'string' || typeof imageSize !== 'number' || (channels !== 1 && channels !== 3)) {
    throw new CheckpointError(`${checkpoint}: config: expected dataDir, imageSize and channels of an image-folder run but got ${JSON.stringify({ dataDir, imageSize, channels })}`);
  }
  const dir = override ?? dataDir;
  if (!existsSync(dir)) {
    throw new ConfigError(override === undefined
      ? `the run's image folder ${dir} (config dataDir) no longer exists; evaluation compares samples with it (--data-dir DIR if it moved)`
      : `--data-dir: no such folder '${dir}'`);
  }
  process.stderr.write(`real images: ${dir}\n`);
  return loadRealImages({ dataDir: dir, imageSize, channels, cacheDir: typeof cacheDir === 'string' ? cacheDir : '' }, (line) => process.stderr.write(`note: ${line}\n`));
}

export const command: Subcommand = {
  summary: 'score a checkpoint: mode coverage (toy), classifier score / Fréchet distance (MNIST), k-NN metrics (images)',
  help,
  async run(argv) {
    const { values } = parseFlags('eval', argv, {
      checkpoint: { type: 'string' }, samples: { type: 'string' }, seed: { type: 'string' },
      'no-ema': { type: 'boolean' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' },
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
    if (values['data-dir'] !== undefined && data !== 'images') throw new UsageError(`--data-dir: only image-folder runs are compared with a folder, but this run's data is '${data}'`);
    const realImages = data === 'images' ? await loadRunImages(config as Record<string, unknown>, dir, values['data-dir']) : undefined;
    const which = usedEma ? 'EMA generator' : 'generator (no EMA weights in this checkpoint)';
    process.stderr.write(`evaluating ${dir} (step ${step}): ${which}\n`);
    const result = await evaluateGenerator(generator, { data: data as DataKind, seed, ...(samples === undefined ? {} : { samples }), ...(realImages ? { realImages } : {}) });
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
