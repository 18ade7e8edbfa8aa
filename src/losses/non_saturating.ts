// Non-saturating GAN loss (Goodfellow et al. 2014, section 3): G maximises log D(G(z)) instead of minimising
// log(1 - D(G(z))); D's loss is the minimax one (binary cross-entropy on logits).
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { minimaxDiscriminatorLoss } from './minimax.js';

/** D loss: binary cross-entropy, mean softplus(-real) + mean softplus(fake). Logits [batch, 1] or [batch]. */
export const nonSaturatingDiscriminatorLoss = minimaxDiscriminatorLoss;

/** G loss: -mean log sigmoid(fake) = mean softplus(-fake). Logits [batch, 1] or [batch]. */
export function nonSaturatingGeneratorLoss(fakeLogits: tfjs.Tensor): tfjs.Scalar {
  return tf.tidy(() => tf.mean(tf.softplus(tf.neg(fakeLogits))));
}
