// Hinge loss (Lim & Ye 2017; Miyato et al. 2018 use it with spectral norm): D: E[relu(1 - real)] + E[relu(1 + fake)],
// G: -E[fake].
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';

/** D loss: mean relu(1 - real) + mean relu(1 + fake). Logits [batch, 1] or [batch]. */
export function hingeDiscriminatorLoss(realLogits: tfjs.Tensor, fakeLogits: tfjs.Tensor): tfjs.Scalar {
  return tf.tidy(() => tf.add(tf.mean(tf.relu(tf.sub(1, realLogits))), tf.mean(tf.relu(tf.add(1, fakeLogits)))));
}

/** G loss: -mean(fake). Logits [batch, 1] or [batch]. */
export function hingeGeneratorLoss(fakeLogits: tfjs.Tensor): tfjs.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(fakeLogits)) as tfjs.Scalar);
}
