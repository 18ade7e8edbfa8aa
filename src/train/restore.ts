// The state a training run starts from: fresh models, or a checkpoint's models, optimizers, Rng, data position and
// EMA, checked against the config with the one resume rule (resumeConfig).
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { Rng } from '../random.js';
import { loadCheckpoint } from '../checkpoint/index.js';
import { resumeConfig, type TrainConfig } from './config.js';
import { buildGenerator, buildModels, withSeededInit } from './build.js';
import { createEma } from './ema.js';
import type { DataSource, DataState } from './data_source.js';
import type { GanModels, GanOptimizers } from './steps.js';

export interface RunState {
  models: GanModels;
  optimizers: GanOptimizers;
  /** EMA of G's weights (parallel to generator.weights), or null when config.emaDecay is 0. */
  ema: TF.Variable[] | null;
  /** A second generator that holds the EMA weights when sampling (null without EMA). */
  sampler: TF.LayersModel | null;
  rng: Rng;
  step: number;
  /** The backend the run was started on (kept in every checkpoint: trajectories differ across backends). */
  startedOn: string;
  /** Messages for the log: where the run resumed from, a change of backend. */
  notes: string[];
  dispose(): void;
}

/**
 * Builds a fresh run (from the config's builders, or the caller's `own` models), or restores `resumeFrom` (a
 * checkpoint directory) into `data` and new optimizers. A resumed run's models come from the checkpoint's model.json
 * (custom layer classes must be registered, as for any tfjs model).
 */
export async function startRun(config: TrainConfig, data: DataSource, resumeFrom: string | undefined, own?: GanModels): Promise<RunState> {
  const optimizers = {
    generator: tf.train.adam(config.generatorLearningRate, config.generatorBeta1, config.generatorBeta2),
    discriminator: tf.train.adam(config.discriminatorLearningRate, config.discriminatorBeta1, config.discriminatorBeta2),
  };
  const owned: { dispose(): void }[] = [optimizers.generator, optimizers.discriminator];
  const dispose = () => { for (const o of owned) o.dispose(); };
  try {
    const notes: string[] = [];
    let models: GanModels, rng = new Rng(config.seed), step = 0, ema: TF.Variable[] | null = null, startedOn = tf.getBackend();
    if (resumeFrom) {
      const ckpt = await loadCheckpoint(resumeFrom, { generatorOptimizer: optimizers.generator, discriminatorOptimizer: optimizers.discriminator });
      owned.push(ckpt.generator, ckpt.discriminator);
      resumeConfig(ckpt.config, ckpt.dir, config);
      models = { generator: ckpt.generator, discriminator: ckpt.discriminator };
      step = ckpt.step;
      rng = Rng.fromState(ckpt.rng);
      data.setState(ckpt.data as DataState);
      if (config.emaDecay > 0) ema = createEma(ckpt.generator, ckpt.emaGenerator);
      tf.dispose(ckpt.emaGenerator ?? []);
      notes.push(`resumed from ${ckpt.dir} at step ${step}`);
      const saved = (ckpt.extra as { backend?: unknown } | null)?.backend;
      if (typeof saved === 'string') startedOn = saved;
      if (startedOn !== tf.getBackend()) {
        notes.push(`note: this run was started on the ${startedOn} backend and resumes on ${tf.getBackend()}: from here its losses follow ${tf.getBackend()}'s float rounding, not the trajectory ${startedOn} would have taken`);
      }
    } else if (own) {
      models = own; // the caller's networks: the caller disposes them
      if (config.emaDecay > 0) ema = createEma(models.generator, null);
    } else {
      models = buildModels(config);
      owned.push(models.generator, models.discriminator);
      if (config.emaDecay > 0) ema = createEma(models.generator, null);
    }
    if (ema) owned.push(...ema);
    // The EMA weights are sampled through a second instance of the generator's own topology.
    const sampler = !ema ? null
      : own || config.data === 'custom' ? await tf.models.modelFromJSON({ modelTopology: models.generator.toJSON(null, false) as Parameters<typeof tf.models.modelFromJSON>[0]['modelTopology'] })
      : withSeededInit(config.seed, () => buildGenerator(config));
    if (sampler) owned.push(sampler);
    return { models, optimizers, ema, sampler, rng, step, startedOn, notes, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}
