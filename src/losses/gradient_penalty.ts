// Gradient penalty of WGAN-GP (Gulrajani et al. 2017, "Improved Training of Wasserstein GANs", Algorithm 1):
// lambda * E[(|grad_x D(x_hat)|_2 - 1)^2] at x_hat = eps * real + (1 - eps) * fake, eps ~ U[0, 1] per sample.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { ShapeError } from '../errors.js';

/** A critic as a function of its (image or vector) input: x [batch, ...] -> logits [batch, 1]. Labels are closed over. */
export type Critic = (x: tfjs.Tensor) => tfjs.Tensor;

// Keeps sqrt differentiable where the gradient vanishes (d sqrt(s)/ds is infinite at 0). Shifts a norm of 1 by 5e-13.
const NORM_EPS = 1e-12;

/** Per-sample gradient of sum(critic(x)) w.r.t. x: [batch, ...] (each sample's logit depends only on that sample). */
export function inputGradient(critic: Critic, x: tfjs.Tensor): tfjs.Tensor {
  return tf.grad((input: tfjs.Tensor) => tf.sum(critic(input)))(x);
}

function nonBatchAxes(x: tfjs.Tensor): number[] {
  return Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
}

/**
 * Unweighted WGAN-GP penalty, E[(|g_i|_2 - 1)^2] with g_i the gradient at sample i's interpolate, its norm taken over
 * all non-batch axes (any image size and channel count). real, fake [batch, ...]; alpha [batch] in [0, 1] (the caller
 * draws it, from its seeded Rng, so a resumed run draws the same numbers). Returns a scalar differentiable w.r.t. the
 * critic's weights (double backprop). Critics with BatchNorm in training mode are not valid here (per-sample gradient).
 */
export function gradientPenalty(critic: Critic, real: tfjs.Tensor, fake: tfjs.Tensor, alpha: tfjs.Tensor): tfjs.Scalar {
  if (real.shape.join(',') !== fake.shape.join(',')) {
    throw new ShapeError(`gradientPenalty: expected real and fake of the same shape but got [${real.shape}] and [${fake.shape}]`);
  }
  if (alpha.size !== real.shape[0]) {
    throw new ShapeError(`gradientPenalty: expected alpha of ${real.shape[0]} values (one per sample) but got shape [${alpha.shape}]`);
  }
  return tf.tidy(() => {
    const eps = tf.reshape(alpha, [real.shape[0]!, ...new Array<number>(real.rank - 1).fill(1)]);
    const interpolated = tf.add(fake, tf.mul(eps, tf.sub(real, fake)));
    const g = inputGradient(critic, interpolated);
    const norms = tf.sqrt(tf.add(tf.sum(tf.square(g), nonBatchAxes(g)), NORM_EPS));
    return tf.mean(tf.square(tf.sub(norms, 1))) as tfjs.Scalar;
  });
}
