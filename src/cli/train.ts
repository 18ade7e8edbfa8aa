// `gan train`: resolve and validate the config (defaults <- preset <- flags), then run the training loop; --resume.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Subcommand } from './command.js';
import { parseFlags, startBackend } from './args.js';
import { CheckpointError, ConfigError, UsageError } from '../errors.js';
import {
  ARCHITECTURE_KEYS, CONFIG_KEYS, configHelp, kebabCase, loadConfigFile, loadPreset, parseOverrides, presetNames, resolveConfig, resumeConfig,
  type TrainConfig,
} from '../train/config.js';
import { readCheckpointState } from '../checkpoint/index.js';
import { findMnistFiles } from '../data/mnist.js';
import { mnistDataDir } from '../train/data_source.js';
import { train } from '../train/loop.js';
import { barReporter, lineReporter } from '../train/progress.js';

const help = `Usage: gan train --preset NAME | --config FILE.json [--steps N] [--batch-size N] [--seed N] [--run-dir DIR]
                 [--checkpoint-every N] [--sample-every N] [--eval-every N] [--json] [--key value ...]
       gan train --resume RUN_DIR [--steps N] [--key value ...]

Trains a GAN. The config is the defaults, then the preset, then any --key value flag (camelCase or kebab-case,
e.g. --generator-learning-rate 1e-4, --generator-hidden-units 64,64, --spectral-norm true). Unknown keys, wrong
types and out-of-range values are refused before anything runs.

  --preset NAME      one of: ${presetNames().join(', ')}
  --config FILE      a JSON file of config keys (a preset of your own; a "description" key is allowed);
                     applied after --preset, before --key value flags
  --run-dir DIR      where config.json, metrics.jsonl, samples/, losses.png, checkpoints/ go
                     (default runs/<preset>-<timestamp>)
  --resume RUN_DIR   continue from the newest valid checkpoint of RUN_DIR to --steps; architecture keys
                     (${ARCHITECTURE_KEYS.join(', ')}) cannot change
  --json             print {runDir, step, dLoss, gLoss, backend, imagesPerSecond} as the last line of stdout
  --backend B        auto, tensorflow, webgpu, wasm or cpu (default GAN_BACKEND, else auto)

Ctrl-C (SIGINT), SIGTERM or SIGHUP: the current step finishes (an evaluation in progress stops), a checkpoint
is written, and gan exits 0 saying where.
Progress goes to stderr (a bar on a terminal, log lines otherwise).

Config keys (every key, as --kebab-case or --camelCase; [architecture] keys cannot change on --resume):
${configHelp()}`;

const configOptions = Object.fromEntries(
  CONFIG_KEYS.flatMap((k) => [[k, { type: 'string' }], [kebabCase(k), { type: 'string' }]]),
) as Record<string, { type: 'string' }>;

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** Refuses a missing or wrong data folder before anything is created (the run directory included). */
function checkDataDir(config: TrainConfig): void {
  if (config.data === 'mnist' || config.data === 'stacked-mnist' || config.data === 'fashion-mnist') {
    findMnistFiles(mnistDataDir(config), 'train');
  }
}

/** Refuses a run directory that cannot be created or written (checked without creating anything). */
function checkRunDir(runDir: string): void {
  let path = resolve(runDir);
  while (!existsSync(path) && dirname(path) !== path) path = dirname(path);
  if (!statSync(path).isDirectory()) throw new UsageError(`--run-dir: cannot create ${runDir}: ${path} is not a directory`);
  try {
    accessSync(path, constants.W_OK);
  } catch {
    throw new UsageError(`--run-dir: cannot write ${runDir} (permission denied on ${path})`);
  }
}

export const command: Subcommand = {
  summary: 'train a GAN from a preset (or resume a run)',
  help,
  async run(argv) {
    const { values } = parseFlags('train', argv, {
      preset: { type: 'string' },
      config: { type: 'string' },
      resume: { type: 'string' },
      'run-dir': { type: 'string' },
      json: { type: 'boolean' },
      ...configOptions,
    });
    const { preset, config: configFile, resume, 'run-dir': runDirFlag, json, backend, help: _help, debug: _debug, ...rest } = values;
    const overrides = parseOverrides(rest as Record<string, string>);
    if (preset === undefined && configFile === undefined && resume === undefined) throw new UsageError('expected --preset NAME, --config FILE.json or --resume RUN_DIR (see gan train --help)');
    if (resume !== undefined && runDirFlag !== undefined) throw new UsageError('--run-dir: not allowed with --resume (the run continues in RUN_DIR)');
    // Layers: defaults <- preset <- config file <- flags.
    const presetValues = { ...(preset === undefined ? {} : loadPreset(preset)), ...(configFile === undefined ? {} : loadConfigFile(configFile)) };

    let config: TrainConfig;
    let runDir: string;
    let resumeFrom: string | undefined;
    const notes: string[] = [];
    if (resume === undefined) {
      config = resolveConfig(presetValues, overrides);
      checkDataDir(config);
      runDir = runDirFlag ?? join('runs', `${preset ?? basename(configFile!, '.json')}-${timestamp()}`);
      checkRunDir(runDir);
      await startBackend(backend);
    } else {
      if (!existsSync(resume)) throw new UsageError(`--resume: ${resume} does not exist`);
      await startBackend(backend);
      let state: ReturnType<typeof readCheckpointState>;
      try {
        state = readCheckpointState(resume);
      } catch (e) {
        if (e instanceof CheckpointError && e.message.startsWith('no valid checkpoint')) throw new ConfigError(`--resume: ${e.message}`);
        throw e;
      }
      for (const s of state.skipped) notes.push(`skipped ${s.dir}: ${s.reason}`);
      const resumed = resumeConfig(state.config, state.dir, presetValues, overrides);
      config = resumed.config;
      checkDataDir(config);
      for (const line of resumed.changed) notes.push(`changed on resume: ${line}`);
      if (state.step >= config.steps) throw new UsageError(`--steps: the checkpoint is at step ${state.step}; expected --steps above it but got ${config.steps}`);
      const dir = state.dir;
      runDir = resume;
      resumeFrom = dir;
    }

    const reporter = process.stderr.isTTY ? barReporter(process.stderr) : lineReporter((line) => process.stderr.write(`${line}\n`));
    for (const note of notes) reporter.message(note);
    reporter.message(`run dir: ${runDir}`);
    reporter.message(`config: ${JSON.stringify(config)}`);

    const controller = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: stop now
      reporter.message(`${signal}: finishing this step, then writing a checkpoint (press Ctrl-C again to quit at once)`);
      controller.abort();
    };
    // SIGHUP: the terminal or SSH session closed. Each stop signal ends the run with a checkpoint, as Ctrl-C does.
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const s of signals) process.on(s, onSignal);
    try {
      const result = await train(config, { runDir, signal: controller.signal, reporter, ...(resumeFrom ? { resumeFrom } : {}) });
      const where = result.checkpoint ? `checkpoint ${result.checkpoint}` : 'no checkpoint';
      process.stdout.write(result.interrupted
        ? `interrupted at step ${result.step}; wrote ${where}; continue with: gan train --resume ${runDir} --steps ${config.steps}\n`
        : `done: step ${result.step}, d_loss ${result.dLoss.toFixed(4)}, g_loss ${result.gLoss.toFixed(4)}, ${result.imagesPerSecond.toFixed(1)} img/s; ${where}${result.samples ? `; samples: ${result.samples}${result.sampleRows ? ` (10x10, ${result.sampleRows})` : ''}` : ''}\n`);
      if (json) {
        process.stdout.write(`${JSON.stringify({
          runDir, step: result.step, dLoss: result.dLoss, gLoss: result.gLoss, backend: (await import('../tf.js')).tf.getBackend(),
          imagesPerSecond: result.imagesPerSecond, checkpoint: result.checkpoint, samples: result.samples, interrupted: result.interrupted,
          ...(result.evaluation ? { evaluation: result.evaluation } : {}),
        })}\n`);
      }
      return 0;
    } finally {
      for (const s of signals) process.off(s, onSignal);
    }
  },
};
