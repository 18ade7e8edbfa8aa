// R1 regularizer (Mescheder, Geiger & Nowozin 2018, "Which Training Methods for GANs do actually Converge?"):
// (gamma / 2) * E_real[|grad_x D(x)|^2], penalising D's gradient on real data only.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { inputGradient, type Critic } from './gradient_penalty.js';

/**
 * Unweighted R1 term E[|grad_x D(x)|_2^2] over real samples x [batch, ...] (squared norm over all non-batch axes).
 * The D step adds (r1Weight / 2) times this. Differentiable w.r.t. the critic's weights (double backprop).
 */
export function r1Penalty(critic: Critic, real: tfjs.Tensor): tfjs.Scalar {
  return tf.tidy(() => {
    const g = inputGradient(critic, real);
    const axes = Array.from({ length: g.rank - 1 }, (_, i) => i + 1);
    return tf.mean(tf.sum(tf.square(g), axes)) as tfjs.Scalar;
  });
}
