// RMSProp (Tieleman & Hinton 2012) as tf.train.rmsprop computes it without momentum, for the WGAN loop of
// Arjovsky et al. 2017 (Algorithm 1 uses RMSProp, lr 5e-5): ms = d ms + (1 - d) g^2; w -= lr g / sqrt(ms + eps).
import { PARAM_NAMES, type MlpParams } from './mlp.js';
import { Matrix } from './matrix.js';

export class RmsProp {
  private ms: MlpParams | null = null;
  constructor(readonly learningRate: number, readonly decay = 0.9, readonly epsilon = 1e-7) {}

  /** Updates `params` in place from `grads`, the gradients of the batch-mean loss. */
  step(params: MlpParams, grads: MlpParams): void {
    const ms = (this.ms ??= { W1: zerosLike(params.W1), b1: zerosLike(params.b1), W2: zerosLike(params.W2), b2: zerosLike(params.b2) });
    for (const k of PARAM_NAMES) {
      ms[k] = ms[k].zip(grads[k], (m, g) => this.decay * m + (1 - this.decay) * g * g);
      const m = ms[k];
      params[k] = params[k].map((w, i) => w - (this.learningRate * grads[k].data[i]!) / Math.sqrt(m.data[i]! + this.epsilon));
    }
  }
}

function zerosLike(m: Matrix): Matrix {
  return new Matrix(m.rows, m.cols);
}
