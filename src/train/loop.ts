// `train(config, options)`: the GAN training loop, one plain function that reads top to bottom (nanoGPT's train.py):
// start or restore, then per step: ganStep (criticSteps D steps, one G step), EMA, log, samples, eval, checkpoint.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { Rng } from '../random.js';
import { ConfigError, GanError, NumericError } from '../errors.js';
import { acquireRunLock, readCheckpointState, saveCheckpoint } from '../checkpoint/index.js';
import { ganStep, type RealBatch } from './steps.js';
import { applyLearningRates } from './schedule.js';
import { withClassNames, type TrainConfig } from './config.js';
import { dataShape, latentCodeCategories, numClasses } from './build.js';
import { openDataSource } from './data_source.js';
import { silentReporter, type ProgressReporter } from './progress.js';
import { evaluateSamples, sampleGridRows, writeSamplePlot, type EvalResult } from './samples.js';
import { emaGenerator, nonFiniteWeight, updateEma } from './ema.js';
import { lossMonitor, type LossReading } from './loss_monitor.js';
import { userDataSource, type UserData } from './user_data.js';
import { openRunDir } from './run_dir.js';
import { startRun } from './restore.js';
import { lossCurves } from '../viz/curves.js';
import { writePng } from '../viz/canvas.js';
import { CLASSIFIER_DIR } from '../eval/classifier.js';

export interface TrainOptions {
  /** Run directory: config.json, metrics.jsonl, samples/, checkpoints/, losses.png. Created if missing. */
  runDir: string;
  /** Resume from this checkpoint directory (the CLI picks the newest valid one and checks the config). */
  resumeFrom?: string;
  /** Aborting it stops training after the current step (or an evaluation between batches), with a checkpoint. */
  signal?: AbortSignal;
  reporter?: ProgressReporter;
  /** Write sample PNGs and the loss plot (default true; tests turn it off for speed). */
  plots?: boolean;
  /** Called after each step's updates, before its checks (tests: inject faults, abort at a given step). */
  onStep?: (step: number, models: { generator: TF.LayersModel; discriminator: TF.LayersModel }) => void;
  /**
   * Your own networks (any tf.LayersModel pair, custom layers included: G takes z [batch, latentDim] and, when
   * conditional, a one-hot label; D takes x and the label and gives one logit). Used for a fresh run; a resumed run
   * rebuilds them from its checkpoint. With config.data 'custom', both `models` and `data` are required.
   */
  models?: { generator: TF.LayersModel; discriminator: TF.LayersModel };
  /**
   * Your own data: a tf.data.Dataset or an (async) iterable of { x, labels? } batches (x shaped as D's input). Each
   * epoch restarts it. Resume is exact for models, optimizers and the Rng; the data starts again from the beginning.
   */
  data?: UserData;
  /** Callbacks in the style of LayersModel.fit. */
  callbacks?: TrainCallbacks;
}

/** What happened, as it happens. Callbacks may be async (the loop awaits them). */
export interface TrainCallbacks {
  /**
   * After each step. `losses` are the losses read at this step: losses stay on the device and are read every
   * logEvery / metricsEvery steps (set logEvery 1 to read every step; a GPU then waits for each step); else null.
   */
  onStepEnd?(step: number, losses: LossReading | null): void | Promise<void>;
  onCheckpoint?(step: number, dir: string): void | Promise<void>;
  onEvaluation?(step: number, evaluation: EvalResult): void | Promise<void>;
  onTrainEnd?(result: TrainResult): void | Promise<void>;
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
  /** What the rows of a conditional run's sample grid show (e.g. 'one row per class 0-9'), else null. */
  sampleRows: string | null;
}

/** A stable seed offset for the fixed latent batch of sample grids: sampling never touches the training Rng. */
const SAMPLE_SEED_SALT = 0x5a3b1e;

/**
 * Trains G and D from `config` (or resumes from options.resumeFrom) until step config.steps or the abort signal.
 * Losses stay on the device between log/metrics lines; a NaN/Inf loss or weight throws NumericError at the next read,
 * and no checkpoint is ever written after it.
 */
export async function train(requested: TrainConfig, options: TrainOptions): Promise<TrainResult> {
  let config = requested;
  const reporter = options.reporter ?? silentReporter;
  const plots = options.plots ?? true;
  const stopped = () => options.signal?.aborted ?? false;
  const release = acquireRunLock(options.runDir); // creates the run directory
  const owned: { dispose(): void }[] = [];
  try {
    // ---- start or restore ----
    const run = openRunDir(options.runDir, options.resumeFrom !== undefined, (m) => reporter.message(m));
    if (config.data === 'custom' && !(options.data && options.models)) {
      throw new ConfigError("data: 'custom' means the caller gives train() its own data and models (options.data and options.models)");
    }
    const user = options.data ? userDataSource(options.data, (options.models?.discriminator.inputs[0]?.shape.slice(1) ?? dataShape(config)) as number[]) : null;
    // A resumed self-conditioned run takes its clusters from the checkpoint (the one startRun loads: the run lock is held).
    const resumeData = options.resumeFrom !== undefined && config.clusters > 0 ? readCheckpointState(options.resumeFrom).data : undefined;
    const data = user ?? await openDataSource(config, (m) => reporter.message(m), resumeData);
    reporter.message(`data: ${data.description}`);
    config = withClassNames(config, data.classNames);
    const state = await startRun(config, data, options.resumeFrom, options.models);
    if (user && options.resumeFrom) reporter.message('note: data given by the caller starts again from its beginning on resume (exact resume holds for built-in data)');
    owned.push(state);
    const { models, optimizers, ema, sampler, rng } = state;
    let step = state.step;
    for (const note of state.notes) reporter.message(note);
    if (config.learningRateDecayStart >= config.steps) {
      reporter.message(`note: learningRateDecayStart ${config.learningRateDecayStart} is not before steps ${config.steps}: the learning rates stay constant in this run`);
    }
    run.writeConfig(config);
    const losses = lossMonitor();
    owned.push(losses);
    let lastCheckpoint: string | null = null, lastSamples: string | null = null, evaluation: EvalResult | null = null;
    let reading = { dLoss: Number.NaN, gLoss: Number.NaN };
    const lastGood = () => (lastCheckpoint ? `last good checkpoint: ${lastCheckpoint}` : 'no checkpoint written yet');

    const checkWeights = async (what: string) => {
      const bad = await nonFiniteWeight(models, ema);
      if (bad) throw new NumericError(`step ${step}: ${bad} is not finite; ${what}; ${lastGood()}`);
    };
    const checkpoint = async () => {
      reading = await losses.read(() => `not checkpointing; ${lastGood()}`);
      await checkWeights('not checkpointing');
      const { dir } = await saveCheckpoint(run.path, {
        step, config, ...models, generatorOptimizer: optimizers.generator, discriminatorOptimizer: optimizers.discriminator,
        emaGenerator: ema, rng: rng.getState(), data: data.getState(), extra: { backend: state.startedOn, savedOn: tf.getBackend() },
      }, { keep: config.keepCheckpoints });
      lastCheckpoint = dir;
      reporter.message(`checkpoint: ${dir}`);
      await options.callbacks?.onCheckpoint?.(step, dir);
    };
    const sampleModel = () => (ema && sampler ? emaGenerator(sampler, ema) : models.generator);
    const writeSamples = async () => {
      const path = run.samplePath(step);
      if (plots && await run.softWrite('samples', () => writeSamplePlot(sampleModel(), data, new Rng(config.seed ^ SAMPLE_SEED_SALT), path))) {
        lastSamples = path;
        reporter.message(`samples: ${path}`);
      }
    };
    const evaluate = async () => {
      if (config.data === 'mnist' && !existsSync(join(CLASSIFIER_DIR, 'model.json'))) {
        return reporter.message(`eval skipped at step ${step}: no MNIST classifier in ${CLASSIFIER_DIR}`);
      }
      try {
        evaluation = await evaluateSamples(sampleModel(), config, config.seed ^ SAMPLE_SEED_SALT, options.signal);
      } catch (e) {
        if (stopped()) return reporter.message(`eval at step ${step} interrupted`); // a stop signal ends it between batches
        if (!(e instanceof GanError)) throw e;
        return reporter.message(`eval skipped at step ${step}: ${e.message}`);
      }
      await run.appendMetrics({ step, eval: evaluation.metrics });
      reporter.message(`eval at step ${step}${ema ? ' (EMA generator)' : ''}: ${evaluation.summary}`);
      await options.callbacks?.onEvaluation?.(step, evaluation);
    };

    // ---- the loop ----
    // The real batches of one ganStep: each is disposed when the next is drawn, the last after the step.
    let real: RealBatch | null = null;
    const disposeReal = () => { if (real) tf.dispose([real.x, ...(real.labels ? [real.labels] : [])]); real = null; };
    const nextReal = () => {
      disposeReal();
      if (user) return (real = user.take());
      const batch = data.next(config.batchSize);
      const x = tf.tensor(batch.x, [config.batchSize, ...dataShape(config)]);
      real = config.conditional || config.clusters > 0 ? { x, labels: tf.tensor1d(batch.labels, 'int32') } : { x };
      return real;
    };
    const startStep = step;
    const t0 = performance.now();
    reporter.start(step, config.steps);
    while (step < config.steps && !stopped()) {
      // Yield to the event loop once per step: signal handlers (SIGINT/SIGTERM/SIGHUP) run only between macrotasks.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (stopped()) break;
      if (user) await user.prepare(config.criticSteps); // the caller's iterator is awaited here, never inside a step
      try {
        applyLearningRates(optimizers, step, config);
        losses.record(step + 1, ganStep(models, optimizers, nextReal, config, rng));
      } finally {
        disposeReal();
      }
      step++;
      if (ema) updateEma(ema, models.generator, config.emaDecay, step - 1);
      options.onStep?.(step, models);

      const logLine = step % config.logEvery === 0 || step === config.steps;
      const metricsLine = step % config.metricsEvery === 0 || step === config.steps;
      const r = logLine || metricsLine ? await losses.read(() => `stopped; ${lastGood()}`) : null;
      if (r) reading = r;
      await options.callbacks?.onStepEnd?.(step, r);
      const seconds = (performance.now() - t0) / 1000;
      const stepsPerSecond = (step - startStep) / Math.max(seconds, 1e-9);
      const shown = losses.hasRead ? reading : { dLoss: null, gLoss: null };
      reporter.update({ step, totalSteps: config.steps, stepsPerSecond, imagesPerSecond: stepsPerSecond * config.batchSize, ...shown }, logLine);
      if (metricsLine && r) {
        await checkWeights('stopped');
        const penalties = { ...(config.gradientPenaltyWeight > 0 ? { gradientPenalty: r.gradientPenalty } : {}), ...(config.r1Weight > 0 ? { r1: r.r1 } : {}),
          ...(config.auxiliaryClassifierWeight > 0 ? { dClassLoss: r.dClassLoss, gClassLoss: r.gClassLoss } : {}),
          ...(config.rotationLossWeight > 0 ? { dRotationLoss: r.dRotationLoss } : {}),
          ...(config.generatorRotationLossWeight > 0 ? { gRotationLoss: r.gRotationLoss } : {}),
          ...(config.latentCodeWeight > 0 ? { dCodeLoss: r.dCodeLoss, gCodeLoss: r.gCodeLoss } : {}) };
        await run.appendMetrics({
          step, dLoss: r.dLoss, gLoss: r.gLoss, dAdversarialLoss: r.dAdversarialLoss, ...penalties, dReal: r.dReal, dFake: r.dFake,
          dGradNorm: r.dGradNorm, gGradNorm: r.gGradNorm,
          ...(config.loss === 'wasserstein' ? { wassersteinEstimate: r.dReal - r.dFake } : {}),
          seconds: Number(seconds.toFixed(3)), imagesPerSecond: Number((stepsPerSecond * config.batchSize).toFixed(2)),
        });
      }
      const last = step === config.steps;
      if (!last && !stopped() && config.sampleEvery > 0 && step % config.sampleEvery === 0) await writeSamples();
      if (!last && !stopped() && config.evalEvery > 0 && step % config.evalEvery === 0) await evaluate();
      if (!last && config.checkpointEvery > 0 && step % config.checkpointEvery === 0) await checkpoint();
    }
    reporter.stop();
    const interrupted = step < config.steps;
    const seconds = (performance.now() - t0) / 1000;

    // ---- the end: checkpoint (first: a stop signal skips the rest), samples, eval, loss plot ----
    if (step > startStep || !lastCheckpoint) await checkpoint();
    if (!interrupted && !stopped()) await writeSamples();
    if (!interrupted && !stopped()) await evaluate();
    const curve = run.lossHistory(step); // the whole run's curve, earlier invocations of a resumed run included
    if (plots && curve.steps.length > 1 && !stopped()) {
      const curves = [{ name: 'D loss', steps: curve.steps, values: curve.d }, { name: 'G loss', steps: curve.steps, values: curve.g }];
      if (await run.softWrite('losses.png', async () => writePng(await lossCurves(curves), run.lossesPath))) reporter.message(`loss curves: ${run.lossesPath}`);
    }
    const result = {
      runDir: run.path, step, dLoss: reading.dLoss, gLoss: reading.gLoss, checkpoint: lastCheckpoint, interrupted, evaluation,
      samples: lastSamples, sampleRows: sampleGridRows(numClasses(config), config.classNames, latentCodeCategories(config)), imagesPerSecond: ((step - startStep) * config.batchSize) / Math.max(seconds, 1e-9),
    };
    await options.callbacks?.onTrainEnd?.(result);
    return result;
  } finally {
    reporter.stop();
    for (const o of owned.reverse()) o.dispose();
    release();
  }
}
