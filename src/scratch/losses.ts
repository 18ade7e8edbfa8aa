// The seed's GAN losses on probabilities / critic scores (Goodfellow et al. 2014; Arjovsky et al. 2017), with their
// gradients per sample (not divided by the batch: the networks' SGD update divides by the batch size).
import { Matrix } from './matrix.js';

const EPS = 1e-8;

/** BCE of D: -mean log(dReal + eps) - mean log(1 - dFake + eps); gradients w.r.t. each probability [batch, 1]. */
export function discriminatorLoss(dReal: Matrix, dFake: Matrix): { loss: number; gradReal: Matrix; gradFake: Matrix } {
  const lossReal = -dReal.map((p) => Math.log(p + EPS)).mean();
  const lossFake = -dFake.map((p) => Math.log(1 - p + EPS)).mean();
  return { loss: lossReal + lossFake, gradReal: dReal.map((p) => -1 / (p + EPS)), gradFake: dFake.map((p) => 1 / (1 - p + EPS)) };
}

/** Non-saturating G loss: -mean log(dFake + eps); gradient -1 / (dFake + eps) per sample. */
export function generatorLossNonSaturating(dFake: Matrix): { loss: number; grad: Matrix } {
  return { loss: -dFake.map((p) => Math.log(p + EPS)).mean(), grad: dFake.map((p) => -1 / (p + EPS)) };
}

/**
 * Saturating (original minimax) G loss: G minimises mean log(1 - dFake + eps); gradient -1 / (1 - dFake + eps).
 * W.r.t. D's logit this is -dFake, which vanishes as D(G(z)) -> 0: that, not the gradient w.r.t. the
 * probability (about -1 there, as the seed notes), is why it saturates.
 */
export function generatorLossSaturating(dFake: Matrix): { loss: number; grad: Matrix } {
  return { loss: dFake.map((p) => Math.log(1 - p + EPS)).mean(), grad: dFake.map((p) => -1 / (1 - p + EPS)) };
}

/** WGAN estimate mean f(real) - mean f(fake) (the critic maximises it); gradients +1 and -1 per sample. */
export function wassersteinLoss(criticReal: Matrix, criticFake: Matrix): { wDistance: number; gradReal: Matrix; gradFake: Matrix } {
  return {
    wDistance: criticReal.mean() - criticFake.mean(),
    gradReal: Matrix.full(criticReal.rows, 1, 1),
    gradFake: Matrix.full(criticFake.rows, 1, -1),
  };
}
