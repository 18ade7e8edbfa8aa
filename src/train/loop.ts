// `train(config, options)`: the GAN training loop, one plain function that reads top to bottom (nanoGPT's train.py):
// build or restore, then per step: criticSteps D steps, one G step, EMA, checks, log, samples, eval, checkpoint.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { Rng } from '../random.js';
import { GanError, NumericError, RunDirError } from '../errors.js';
import { appendNoFollow, checkRunPath, writeFileAtomic } from '../io/files.js';
import { acquireRunLock, listCheckpoints, loadCheckpoint, saveCheckpoint } from '../checkpoint/index.js';
import { disposeStepLosses, ganStep, readLosses, type RealBatch, type StepLosses } from './steps.js';
import { resumeConfig, type TrainConfig } from './config.js';
import { buildModels, buildGenerator, dataShape, withSeededInit } from './build.js';
import { openDataSource, type DataBatch, type DataState } from './data_source.js';
import { silentReporter, type ProgressReporter } from './progress.js';
import { evaluateSamples, writeSamplePlot, type EvalResult } from './samples.js';
import { lossCurves } from '../viz/curves.js';
import { CLASSIFIER_DIR } from '../eval/classifier.js';
import { writePng } from '../viz/canvas.js';
import { createEma, emaGenerator, nonFiniteWeight, updateEma } from './ema.js';

export interface TrainOptions {
  /** Run directory: config.json, metrics.jsonl, samples/, checkpoints/, losses.png. Created if missing. */
  runDir: string;
  /** Resume from this checkpoint directory (the CLI picks the newest valid one and checks the config). */
  resumeFrom?: string;
  /** Aborting it stops training after the current step, with a checkpoint (SIGINT/SIGTERM). */
  signal?: AbortSignal;
  reporter?: ProgressReporter;
  /** Write sample PNGs and the loss plot (default true; tests turn it off for speed). */
  plots?: boolean;
  /** Called after each step's updates, before its checks (tests: inject faults, abort at a given step). */
  onStep?: (step: number, models: { generator: TF.LayersModel; discriminator: TF.LayersModel }) => void;
}

export interface TrainResult {
  runDir: string;
  step: number;
  dLoss: number;
  gLoss: number;
  /** Real images per second over this invocation: batchSize * steps / seconds. */
  imagesPerSecond: number;
  /** The last checkpoint written, or null. */
  checkpoint: string | null;
  /** True when stopped early by the abort signal. */
  interrupted: boolean;
  /** The last evaluation (toy metrics), or null. */
  evaluation: EvalResult | null;
  /** The last sample PNG written (image grid or toy scatter plot), or null. */
  samples: string | null;
}

/** What a run writes in its directory, and as what: checked (no symlinks, right types) before a run starts. */
const RUN_FILES: [string, 'file' | 'dir'][] = [
  ['config.json', 'file'], ['metrics.jsonl', 'file'], ['losses.png', 'file'], ['samples', 'dir'], ['checkpoints', 'dir'],
];

/** A stable seed offset for the fixed latent batch of sample grids: sampling never touches the training Rng. */
const SAMPLE_SEED_SALT = 0x5a3b1e;

/** Real batch arrays -> the tensors a D step takes: x [B, ...dataShape], labels int32 [B] when conditional. */
function realTensors(batch: DataBatch, config: TrainConfig): { x: TF.Tensor; labels?: TF.Tensor } {
  const x = tf.tensor(batch.x, [config.batchSize, ...dataShape(config)]);
  return config.conditional ? { x, labels: tf.tensor1d(batch.labels, 'int32') } : { x };
}

function makeAdam(learningRate: number, beta1: number, beta2: number): TF.Optimizer {
  return tf.train.adam(learningRate, beta1, beta2);
}

/**
 * Trains G and D from `config` (or resumes from options.resumeFrom) until step config.steps or the abort signal.
 * Throws NumericError when a loss or weight becomes NaN/Inf (no checkpoint is written after that point).
 */
export async function train(config: TrainConfig, options: TrainOptions): Promise<TrainResult> {
  const reporter = options.reporter ?? silentReporter;
  const plots = options.plots ?? true;
  const { runDir } = options;
  mkdirSync(runDir, { recursive: true });
  const release = acquireRunLock(runDir);
  const owned: { dispose(): void }[] = [];
  try {
    // Checked under the lock (a run finishing in this directory a moment ago counts) and before anything is built:
    // nothing of this run may be written through a symlink, and a fresh run never trains over checkpoints.
    for (const [name, kind] of RUN_FILES) checkRunPath(runDir, join(runDir, name), kind);
    if (!options.resumeFrom && listCheckpoints(runDir).length > 0) {
      throw new RunDirError(`--run-dir: ${runDir} already holds checkpoints; continue it with --resume ${runDir} or pick another directory`);
    }
    // ---- build or restore: models, optimizers, Rng, data order, EMA ----
    const data = openDataSource(config);
    reporter.message(`data: ${data.description}`);
    const generatorOptimizer = makeAdam(config.generatorLearningRate, config.generatorBeta1, config.generatorBeta2);
    const discriminatorOptimizer = makeAdam(config.discriminatorLearningRate, config.discriminatorBeta1, config.discriminatorBeta2);
    owned.push(generatorOptimizer, discriminatorOptimizer);
    let generator: TF.LayersModel, discriminator: TF.LayersModel;
    let rng = new Rng(config.seed);
    let step = 0;
    let ema: TF.Variable[] | null = null;
    // The backend the run was started on, kept in every checkpoint: trajectories differ across backends (float
    // rounding, kernel order), so a resume on another one says so.
    let startedOn = tf.getBackend();
    if (options.resumeFrom) {
      const ckpt = await loadCheckpoint(options.resumeFrom, { generatorOptimizer, discriminatorOptimizer });
      resumeConfig(ckpt.config, ckpt.dir, config);
      ({ generator, discriminator, step } = ckpt);
      rng = Rng.fromState(ckpt.rng);
      data.setState(ckpt.data as DataState);
      if (config.emaDecay > 0) ema = createEma(generator, ckpt.emaGenerator);
      ckpt.emaGenerator?.forEach((t) => t.dispose());
      reporter.message(`resumed from ${ckpt.dir} at step ${step}`);
      const savedBackend = (ckpt.extra as { backend?: unknown } | null)?.backend;
      if (typeof savedBackend === 'string') startedOn = savedBackend;
      if (startedOn !== tf.getBackend()) {
        reporter.message(`note: this run was started on the ${startedOn} backend and resumes on ${tf.getBackend()}: from here its losses follow ${tf.getBackend()}'s float rounding, not the trajectory ${startedOn} would have taken`);
      }
    } else {
      ({ generator, discriminator } = buildModels(config));
      if (config.emaDecay > 0) ema = createEma(generator, null);
    }
    owned.push(generator, discriminator);
    if (ema) owned.push(...ema);
    // A second generator instance that holds the EMA weights when sampling (weights overwritten before each use).
    const sampler = ema ? withSeededInit(config.seed, () => buildGenerator(config)) : null;
    if (sampler) owned.push(sampler);

    writeFileAtomic(join(runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    // A log, sample or plot write that fails (full disk, permissions) costs that file, never the training state: it
    // is reported once per kind and training goes on; checkpoints are written (and their failures raised) as always.
    const failedWrites = new Set<string>();
    const softWrite = async (kind: string, write: () => unknown) => {
      try {
        await write();
        return true;
      } catch (e) {
        if (e instanceof GanError || !(e instanceof Error) || !('code' in e)) throw e;
        if (!failedWrites.has(kind)) reporter.message(`warning: could not write ${kind} (${(e as NodeJS.ErrnoException).code}: ${e.message.split('\n')[0]}); training goes on, further ${kind} failures are not reported`);
        failedWrites.add(kind);
        return false;
      }
    };
    const appendMetrics = (line: object) => softWrite('metrics.jsonl', () => appendNoFollow(metricsPath, `${JSON.stringify(line)}\n`));
    const metricsPath = join(runDir, 'metrics.jsonl');
    const curve = { steps: [] as number[], d: [] as number[], g: [] as number[] };
    const sampleRng = () => new Rng(config.seed ^ SAMPLE_SEED_SALT);
    let lastCheckpoint: string | null = null;
    let lastSamples: string | null = null;
    let evaluation: EvalResult | null = null;
    let dLoss = Number.NaN, gLoss = Number.NaN;

    const checkpoint = async () => {
      await readState();
      await checkWeights('not checkpointing');
      const { dir } = await saveCheckpoint(runDir, {
        step, config, generator, discriminator, generatorOptimizer, discriminatorOptimizer,
        emaGenerator: ema, rng: rng.getState(), data: data.getState(), extra: { backend: startedOn, savedOn: tf.getBackend() },
      }, { keep: config.keepCheckpoints });
      lastCheckpoint = dir;
      return dir;
    };
    const sampleModel = () => (ema && sampler ? emaGenerator(sampler, ema) : generator);
    const samplesAndEval = async (final: boolean, what: 'samples' | 'eval' | 'both') => {
      if (plots && what !== 'eval') {
        const path = join(runDir, 'samples', `step-${String(step).padStart(6, '0')}.png`);
        if (await softWrite('samples', () => writeSamplePlot(sampleModel(), config, data, sampleRng(), path))) {
          lastSamples = path;
          reporter.message(`samples: ${path}`);
        }
      }
      if (final || what === 'eval') {
        if (config.data === 'mnist' && !existsSync(join(CLASSIFIER_DIR, 'model.json'))) {
          reporter.message(`eval skipped at step ${step}: no MNIST classifier in ${CLASSIFIER_DIR}`);
          return;
        }
        try {
          evaluation = await evaluateSamples(sampleModel(), config, config.seed ^ SAMPLE_SEED_SALT, options.signal);
        } catch (e) {
          // A stop signal ends an evaluation between batches (the checkpoint is already written or comes next).
          if (options.signal?.aborted) {
            reporter.message(`eval at step ${step} interrupted`);
            return;
          }
          // MNIST evaluation needs the classifier in assets/; a run without it still trains and checkpoints.
          if (!(e instanceof GanError)) throw e;
          reporter.message(`eval skipped at step ${step}: ${e.message}`);
          return;
        }
        await appendMetrics({ step, eval: evaluation.metrics });
        reporter.message(`eval at step ${step}${ema ? ' (EMA generator)' : ''}: ${evaluation.summary}`);
      }
    };

    // ---- the loop ----
    // Nothing is read back from the device inside a step: losses stay on it until a log or metrics line needs them
    // (a read stalls a GPU pipeline). NaN/Inf is tracked on the device: `firstBad` holds, for D and G, the first step
    // whose loss was not finite (0 = none) and `badValue` that loss; both are read with the losses and before every
    // checkpoint, so no checkpoint is ever written after a non-finite loss.
    const models = { generator, discriminator };
    const optimizers = { generator: generatorOptimizer, discriminator: discriminatorOptimizer };
    let firstBad = tf.keep(tf.zeros([2], 'int32'));
    let badValue = tf.keep(tf.zeros([2]));
    let latest: StepLosses | null = null;
    owned.push({ dispose: () => { tf.dispose([firstBad, badValue]); if (latest) disposeStepLosses(latest); } });
    let adversarialLoss = Number.NaN, gradientPenaltyValue = 0, r1Value = 0, lossesRead = false;
    const stopText = () => `stopped${lastCheckpoint ? `; last good checkpoint: ${lastCheckpoint}` : ' (no checkpoint written yet)'}`;
    /** Reads the latest losses and the NaN tracker; throws NumericError when a loss was not finite. */
    const readState = async () => {
      const [bad, values] = await Promise.all([firstBad.data(), badValue.data()]);
      const [dBad, gBad] = [bad[0]!, bad[1]!];
      if (dBad > 0 || gBad > 0) {
        const discriminatorFirst = dBad > 0 && (gBad === 0 || dBad <= gBad);
        throw new NumericError(`step ${discriminatorFirst ? dBad : gBad}: ${discriminatorFirst ? 'discriminator' : 'generator'} loss is ${values[discriminatorFirst ? 0 : 1]}; ${stopText()}`);
      }
      if (!latest) return;
      const d = await readLosses(latest.discriminator);
      const g = await readLosses(latest.generator);
      latest.finite.dispose();
      latest = null;
      ({ loss: dLoss, adversarialLoss, gradientPenalty: gradientPenaltyValue, r1: r1Value } = d);
      gLoss = g.loss;
      lossesRead = true;
    };
    const checkWeights = async (what: string) => {
      const bad = await nonFiniteWeight({ generator, discriminator }, ema);
      if (bad) throw new NumericError(`step ${step}: ${bad} is not finite; ${what}${lastCheckpoint ? `; last good checkpoint: ${lastCheckpoint}` : ' (no checkpoint written yet)'}`);
    };
    // The real batches of one ganStep: each is disposed when the next is drawn, the last after the step.
    let real: RealBatch | null = null;
    const disposeReal = () => { if (real) tf.dispose([real.x, ...(real.labels ? [real.labels] : [])]); real = null; };
    const nextReal = () => { disposeReal(); real = realTensors(data.next(config.batchSize), config); return real; };
    const startStep = step;
    const t0 = performance.now();
    reporter.start(step, config.steps);
    while (step < config.steps && !options.signal?.aborted) {
      // Yield to the event loop once per step: signal handlers (SIGINT/SIGTERM) run only between macrotasks.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) break;
      let losses: StepLosses;
      try {
        losses = ganStep(models, optimizers, nextReal, config, rng);
      } finally {
        disposeReal();
      }
      step++;
      const stepNow = step;
      const [nextBad, nextValue] = tf.tidy(() => {
        const record = tf.logicalAnd(tf.equal(firstBad, 0), tf.logicalNot(losses.finite));
        return [
          tf.where(record, tf.fill([2], stepNow, 'int32'), firstBad),
          tf.where(record, tf.stack([losses.discriminator.loss, losses.generator.loss]), badValue),
        ];
      });
      tf.dispose([firstBad, badValue]);
      firstBad = tf.keep(nextBad!);
      badValue = tf.keep(nextValue!);
      if (latest) disposeStepLosses(latest);
      latest = losses;
      if (ema) updateEma(ema, generator, config.emaDecay, step - 1);
      options.onStep?.(step, models);

      const logLine = step % config.logEvery === 0 || step === config.steps;
      const metricsLine = step % config.metricsEvery === 0 || step === config.steps;
      if (logLine || metricsLine) await readState();
      const seconds = (performance.now() - t0) / 1000;
      const stepsPerSecond = (step - startStep) / Math.max(seconds, 1e-9);
      reporter.update({ step, totalSteps: config.steps, stepsPerSecond, imagesPerSecond: stepsPerSecond * config.batchSize, dLoss: lossesRead ? dLoss : null, gLoss: lossesRead ? gLoss : null }, logLine);
      if (metricsLine) {
        await checkWeights('stopped');
        const penalties = { ...(config.gradientPenaltyWeight > 0 ? { gradientPenalty: gradientPenaltyValue } : {}), ...(config.r1Weight > 0 ? { r1: r1Value } : {}) };
        await appendMetrics({ step, dLoss, gLoss, dAdversarialLoss: adversarialLoss, ...penalties, seconds: Number(seconds.toFixed(3)), imagesPerSecond: Number((stepsPerSecond * config.batchSize).toFixed(2)) });
        curve.steps.push(step); curve.d.push(dLoss); curve.g.push(gLoss);
      }
      const last = step === config.steps;
      const stopping = options.signal?.aborted ?? false; // a stop signal skips samples and eval: checkpoint first
      if (!last && !stopping && config.sampleEvery > 0 && step % config.sampleEvery === 0) await samplesAndEval(false, 'samples');
      if (!last && !stopping && config.evalEvery > 0 && step % config.evalEvery === 0) await samplesAndEval(false, 'eval');
      if (!last && config.checkpointEvery > 0 && step % config.checkpointEvery === 0) reporter.message(`checkpoint: ${await checkpoint()}`);
    }
    reporter.stop();
    const interrupted = step < config.steps;
    const seconds = (performance.now() - t0) / 1000;

    // ---- the end: checkpoint, samples, eval, loss plot ----
    if (step > startStep || !lastCheckpoint) reporter.message(`checkpoint: ${await checkpoint()}`);
    if (!interrupted && !options.signal?.aborted) await samplesAndEval(true, 'both');
    if (plots && curve.steps.length > 1 && !options.signal?.aborted) {
      const path = join(runDir, 'losses.png');
      const curves = [{ name: 'D loss', steps: curve.steps, values: curve.d }, { name: 'G loss', steps: curve.steps, values: curve.g }];
      if (await softWrite('losses.png', async () => writePng(await lossCurves(curves), path))) reporter.message(`loss curves: ${path}`);
    }
    return {
      runDir, step, dLoss, gLoss, checkpoint: lastCheckpoint, interrupted, evaluation, samples: lastSamples,
      imagesPerSecond: ((step - startStep) * config.batchSize) / Math.max(seconds, 1e-9),
    };
  } finally {
    reporter.stop();
    for (const o of owned) o.dispose();
    release();
  }
}
