// The learning-rate schedule: constant, then (from `learningRateDecayStart`) a linear fall to 0 at the last step, the
// end-of-training ramp-down of many GAN recipes. A function of the step and the config alone, so a resumed run
// continues the same schedule (resuming to a larger `steps` stretches the decay to the new last step).
import type * as TF from '@tensorflow/tfjs';
import type { TrainConfig } from './config.js';

type Schedule = Pick<TrainConfig, 'steps' | 'learningRateDecayStart'>;

/** The factor on both learning rates for the step taken after `done` steps: 1, then (steps - done) / (steps - start). */
export function learningRateFactor(done: number, config: Schedule): number {
  const start = config.learningRateDecayStart;
  if (start === 0 || done < start) return 1;
  return Math.max(config.steps - done, 0) / (config.steps - start);
}

/** Sets both Adam optimizers' learning rates for the step taken after `done` steps (tfjs reads the rate per update). */
export function applyLearningRates(
  optimizers: { generator: TF.Optimizer; discriminator: TF.Optimizer }, done: number,
  config: Schedule & Pick<TrainConfig, 'generatorLearningRate' | 'discriminatorLearningRate'>,
): void {
  const factor = learningRateFactor(done, config);
  (optimizers.generator as unknown as { learningRate: number }).learningRate = config.generatorLearningRate * factor;
  (optimizers.discriminator as unknown as { learningRate: number }).learningRate = config.discriminatorLearningRate * factor;
}
