// Wasserstein GAN loss (Arjovsky, Chintala & Bottou 2017): the critic estimates E[f(real)] - E[f(fake)]; pair it with
// weight clipping or a gradient penalty (src/losses/gradient_penalty.ts) to keep the critic Lipschitz.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';

/** Critic loss: mean(fake) - mean(real). Critic outputs [batch, 1] or [batch]. */
export function wassersteinDiscriminatorLoss(realLogits: tfjs.Tensor, fakeLogits: tfjs.Tensor): tfjs.Scalar {
  return tf.tidy(() => tf.sub(tf.mean(fakeLogits), tf.mean(realLogits)));
}

/** G loss: -mean(fake). Critic outputs [batch, 1] or [batch]. */
export function wassersteinGeneratorLoss(fakeLogits: tfjs.Tensor): tfjs.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(fakeLogits)) as tfjs.Scalar);
}
