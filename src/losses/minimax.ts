// The original GAN objective (Goodfellow et al. 2014): D maximises log D(x) + log(1 - D(G(z))), G minimises
// log(1 - D(G(z))) (the saturating form). Written with softplus on logits: -log sigmoid(t) = softplus(-t).
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';

/** D loss: mean softplus(-real) + mean softplus(fake). Logits [batch, 1] or [batch]. */
export function minimaxDiscriminatorLoss(realLogits: tfjs.Tensor, fakeLogits: tfjs.Tensor): tfjs.Scalar {
  return tf.tidy(() => tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits))));
}

/** Saturating G loss: mean log(1 - sigmoid(fake)) = -mean softplus(fake). Logits [batch, 1] or [batch]. */
export function minimaxGeneratorLoss(fakeLogits: tfjs.Tensor): tfjs.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.softplus(fakeLogits))) as tfjs.Scalar);
}
