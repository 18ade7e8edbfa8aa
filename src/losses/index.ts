// The loss table: every GAN loss by name, each a pair of pure functions of D's logits.
import type * as tfjs from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { hingeDiscriminatorLoss, hingeGeneratorLoss } from './hinge.js';
import { leastSquaresDiscriminatorLoss, leastSquaresGeneratorLoss } from './least_squares.js';
import { minimaxDiscriminatorLoss, minimaxGeneratorLoss } from './minimax.js';
import { nonSaturatingDiscriminatorLoss, nonSaturatingGeneratorLoss } from './non_saturating.js';
import { wassersteinDiscriminatorLoss, wassersteinGeneratorLoss } from './wasserstein.js';

export const LOSS_NAMES = ['minimax', 'nonSaturating', 'wasserstein', 'hinge', 'leastSquares'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** A GAN loss: D's and G's objectives (to minimise) as functions of D's logits [batch, 1]. */
export interface GanLoss {
  discriminator(realLogits: tfjs.Tensor, fakeLogits: tfjs.Tensor): tfjs.Scalar;
  generator(fakeLogits: tfjs.Tensor): tfjs.Scalar;
}

export const LOSSES: Record<LossName, GanLoss> = {
  minimax: { discriminator: minimaxDiscriminatorLoss, generator: minimaxGeneratorLoss },
  nonSaturating: { discriminator: nonSaturatingDiscriminatorLoss, generator: nonSaturatingGeneratorLoss },
  wasserstein: { discriminator: wassersteinDiscriminatorLoss, generator: wassersteinGeneratorLoss },
  hinge: { discriminator: hingeDiscriminatorLoss, generator: hingeGeneratorLoss },
  leastSquares: { discriminator: leastSquaresDiscriminatorLoss, generator: leastSquaresGeneratorLoss },
};

/** Throws ConfigError naming `key` unless `value` is a LossName. */
export function checkLossName(value: string, key = 'loss'): LossName {
  if ((LOSS_NAMES as readonly string[]).includes(value)) return value as LossName;
  throw new ConfigError(`${key}: expected one of ${LOSS_NAMES.join(', ')} but got '${value}'`);
}
