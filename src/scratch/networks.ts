// The seed's Generator, Discriminator and WassersteinCritic (NumPy GANs from scratch), ported to float64 TypeScript.
import { Matrix } from './matrix.js';
import { Mlp, heInit, type Activation, type MlpParams } from './mlp.js';
import type { Rng } from '../random.js';

/** Maps noise z [batch, noiseDim] to data [batch, outputDim]: ReLU hidden layer, linear output. */
export class Generator {
  readonly mlp: Mlp;
  constructor(params: MlpParams, activation: Activation = 'relu') {
    this.mlp = new Mlp(params, activation);
  }
  static create(rng: Rng, noiseDim = 1, hiddenDim = 64, outputDim = 1): Generator {
    return new Generator(heInit(rng, noiseDim, hiddenDim, outputDim));
  }
  forward(z: Matrix): Matrix {
    return this.mlp.forward(z);
  }
  /** Backprop dL/dG(z) [batch, outputDim] and take an SGD step; returns the weight gradients (batch sums). */
  backward(gradOut: Matrix, lr = 0.001): MlpParams {
    const { grads } = this.mlp.backward(gradOut);
    this.mlp.sgd(grads, lr, gradOut.rows);
    return grads;
  }
}

/** Classifies x [batch, inputDim] as real: returns sigmoid(logit) [batch, 1], logits clipped to [-20, 20] as in the seed. */
export class Discriminator {
  readonly mlp: Mlp;
  /** Sigmoid outputs of the last forward pass. */
  prob: Matrix = new Matrix(0, 1);
  /** dL/dweights (batch sums) of the last backward pass. */
  lastGrads: MlpParams | null = null;
  constructor(params: MlpParams, activation: Activation = 'relu') {
    this.mlp = new Mlp(params, activation);
  }
  static create(rng: Rng, inputDim = 1, hiddenDim = 64): Discriminator {
    return new Discriminator(heInit(rng, inputDim, hiddenDim, 1));
  }
  forward(x: Matrix): Matrix {
    const logit = this.mlp.forward(x);
    this.prob = logit.map((l) => 1 / (1 + Math.exp(-Math.min(20, Math.max(-20, l)))));
    return this.prob;
  }
  /**
   * Backprop dL/dprob [batch, 1], take an SGD step (lr = 0: none) and return dL/dx [batch, inputDim] per sample.
   * Like the seed, the sigmoid's derivative is prob (1 - prob) even where the logit was clipped.
   * Seed mistake (harmless in its loops, which only use the input gradient with lr = 0): the seed computes
   * dL/dx = grad_h @ W1.T AFTER updating W1, so with lr > 0 it returns the gradient of a different network.
   * Here dL/dx uses the weights of the forward pass.
   */
  backward(gradProb: Matrix, lr = 0.001): Matrix {
    const gradLogit = gradProb.zip(this.prob, (g, p) => g * p * (1 - p));
    const { grads, gradInput } = this.mlp.backward(gradLogit);
    this.lastGrads = grads;
    this.mlp.sgd(grads, lr, gradProb.rows);
    return gradInput;
  }
}

/** WGAN critic: unbounded score [batch, 1] of x [batch, inputDim], weights clipped to [-c, c] after each update. */
export class WassersteinCritic {
  readonly mlp: Mlp;
  lastGrads: MlpParams | null = null;
  constructor(params: MlpParams, activation: Activation = 'relu') {
    this.mlp = new Mlp(params, activation);
  }
  static create(rng: Rng, inputDim = 2, hiddenDim = 64): WassersteinCritic {
    return new WassersteinCritic(heInit(rng, inputDim, hiddenDim, 1));
  }
  forward(x: Matrix): Matrix {
    return this.mlp.forward(x);
  }
  /** Backprop dL/dscore [batch, 1], SGD step, return dL/dx [batch, inputDim] (weights of the forward pass, see Discriminator). */
  backward(gradScore: Matrix, lr = 0.0001): Matrix {
    const { grads, gradInput } = this.mlp.backward(gradScore);
    this.lastGrads = grads;
    this.mlp.sgd(grads, lr, gradScore.rows);
    return gradInput;
  }
  /** Clamps W1 and W2 to [-clipValue, clipValue]; like the seed, biases are not clipped (they do not change the Lipschitz constant). */
  clipWeights(clipValue = 0.01): void {
    const clip = (v: number) => Math.min(clipValue, Math.max(-clipValue, v));
    this.mlp.params.W1 = this.mlp.params.W1.map(clip);
    this.mlp.params.W2 = this.mlp.params.W2.map(clip);
  }
}
