// Least-squares GAN (Mao et al. 2017), targets a = 0 (fake), b = 1 (real), c = 1 (what G wants D to say):
// D: 1/2 E[(real - 1)^2] + 1/2 E[fake^2], G: 1/2 E[(fake - 1)^2]. D's output is used raw (no sigmoid).
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';

/** D loss: 0.5 mean (real - 1)^2 + 0.5 mean fake^2. Outputs [batch, 1] or [batch]. */
export function leastSquaresDiscriminatorLoss(realLogits: tfjs.Tensor, fakeLogits: tfjs.Tensor): tfjs.Scalar {
  return tf.tidy(() => tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(realLogits, 1))), tf.mean(tf.square(fakeLogits)))));
}

/** G loss: 0.5 mean (fake - 1)^2. Outputs [batch, 1] or [batch]. */
export function leastSquaresGeneratorLoss(fakeLogits: tfjs.Tensor): tfjs.Scalar {
  return tf.tidy(() => tf.mul(0.5, tf.mean(tf.square(tf.sub(fakeLogits, 1)))));
}
