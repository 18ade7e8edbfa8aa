// The seed's training loops in float64: the 1D Gaussian GAN, the same loop on 8 Gaussians, and the weight-clipped
// WGAN on 8 Gaussians. Each draws its batches in the order `drawBatches` documents so tfjs runs can replay them.
import { Matrix } from './matrix.js';
import { discriminatorLoss, generatorLossNonSaturating, generatorLossSaturating, wassersteinLoss } from './losses.js';
import { Discriminator, Generator, WassersteinCritic } from './networks.js';
import { gaussian, sample8Gaussians } from './data.js';
import { RmsProp } from './rmsprop.js';
import type { MlpParams } from './mlp.js';
import { Rng } from '../random.js';

const scaleParams = (p: MlpParams, s: number): MlpParams => ({ W1: p.W1.scale(s), b1: p.b1.scale(s), W2: p.W2.scale(s), b2: p.b2.scale(s) });

/** Which target distribution a loop trains on. */
export type Target = { kind: 'gaussian1d'; mean: number; std: number } | { kind: 'ring8'; radius: number; std: number };

/** Settings of the vanilla (BCE) loop; defaults are the seed's 1D run. */
export interface GanLoopConfig {
  seed: number;
  /** The loop runs epochs + 1 iterations (0..epochs), like the seed's range(2001). */
  epochs: number;
  batchSize: number;
  discriminatorLr: number;
  generatorLr: number;
  noiseDim: number;
  hiddenDim: number;
  generatorLoss: 'nonSaturating' | 'saturating';
  target: Target;
  /** Record a snapshot every this many epochs (and at the last). */
  logEvery: number;
  /** Samples drawn for each snapshot (the seed uses 1000). */
  evalSamples: number;
}

export const SEED_1D: GanLoopConfig = {
  seed: 0, epochs: 2000, batchSize: 256, discriminatorLr: 0.002, generatorLr: 0.001, noiseDim: 1, hiddenDim: 64,
  generatorLoss: 'nonSaturating', target: { kind: 'gaussian1d', mean: 3, std: 0.5 }, logEvery: 500, evalSamples: 1000,
};

/** One snapshot: generated samples' statistics and the loss of the epoch. */
export interface Snapshot {
  epoch: number;
  /** Mean and std (ddof 0) of each output coordinate over the eval samples. */
  mean: number[];
  std: number[];
  /** D loss (vanilla: d_loss_r + d_loss_f as the seed prints) or the critic's Wasserstein estimate. */
  loss: number;
  /** The eval samples [evalSamples, dim]. */
  samples: Matrix;
}

/** Draws a real batch [n, dim] from the target (1D: one normal per row; ring8: indices, then 2n normals). */
export function drawReal(rng: Rng, target: Target, n: number): Matrix {
  return target.kind === 'gaussian1d' ? gaussian(rng, n, 1, target.mean, target.std) : sample8Gaussians(rng, n, target.radius, target.std).samples;
}

export function snapshot(epoch: number, samples: Matrix, loss: number): Snapshot {
  const cols = Array.from({ length: samples.cols }, (_, j) => Matrix.from(samples.rows, 1, Array.from({ length: samples.rows }, (_, i) => samples.get(i, j))));
  return { epoch, mean: cols.map((c) => c.mean()), std: cols.map((c) => c.std()), loss, samples };
}

/**
 * The seed's vanilla loop. Per epoch: real batch, noise; D steps on real then (with updated D) on fake;
 * fresh noise; G step through D with lr = 0. Initialisation: G then D, He init from the config's seed.
 */
export function trainGan(config: GanLoopConfig, onEpoch?: (epoch: number, G: Generator, D: Discriminator) => void): { history: Snapshot[]; G: Generator; D: Discriminator } {
  const rng = new Rng(config.seed);
  const dim = config.target.kind === 'gaussian1d' ? 1 : 2;
  const G = Generator.create(rng, config.noiseDim, config.hiddenDim, dim);
  const D = Discriminator.create(rng, dim, config.hiddenDim);
  const gLoss = config.generatorLoss === 'nonSaturating' ? generatorLossNonSaturating : generatorLossSaturating;
  const history: Snapshot[] = [];
  const n = config.batchSize;
  for (let epoch = 0; epoch <= config.epochs; epoch++) {
    const real = drawReal(rng, config.target, n);
    const noise = gaussian(rng, n, config.noiseDim);
    const fake = G.forward(noise);
    const dReal = D.forward(real);
    const r = discriminatorLoss(dReal, Matrix.full(n, 1, 0));
    D.backward(r.gradReal, config.discriminatorLr);
    const dFake = D.forward(fake);
    const f = discriminatorLoss(Matrix.full(n, 1, 1), dFake);
    D.backward(f.gradFake, config.discriminatorLr);

    const fake2 = G.forward(gaussian(rng, n, config.noiseDim));
    const g = gLoss(D.forward(fake2));
    G.backward(D.backward(g.grad, 0), config.generatorLr);
    onEpoch?.(epoch, G, D);
    if (epoch % config.logEvery === 0 || epoch === config.epochs) {
      history.push(snapshot(epoch, G.forward(gaussian(rng, config.evalSamples, config.noiseDim)), r.loss + f.loss));
    }
  }
  return { history, G, D };
}

/** Settings of the seed's train_wgan_2d; defaults are the seed's. */
export interface WganLoopConfig {
  seed: number;
  epochs: number;
  batchSize: number;
  criticSteps: number;
  criticLr: number;
  generatorLr: number;
  clipValue: number;
  /**
   * 'sgd' is the seed's, and its mistake: with weights clipped to 0.01 the critic's input gradient is ~1e-2, so SGD
   * at lr 1e-4 leaves G where it started (docs/parity.md). 'rmsprop' is what Arjovsky et al.
   * 2017 prescribe for weight clipping (lr 5e-5 there); here with the seed's learning rates.
   */
  optimizer: 'sgd' | 'rmsprop';
  noiseDim: number;
  hiddenDim: number;
  target: Target;
  logEvery: number;
  evalSamples: number;
}

export const SEED_WGAN: WganLoopConfig = {
  seed: 0, epochs: 3000, batchSize: 256, criticSteps: 5, criticLr: 0.0002, generatorLr: 0.0001, clipValue: 0.01, optimizer: 'sgd',
  noiseDim: 2, hiddenDim: 128, target: { kind: 'ring8', radius: 2, std: 0.05 }, logEvery: 100, evalSamples: 2500,
};

/**
 * The seed's weight-clipped WGAN loop (epochs 0..epochs-1, like its range(epochs)). Per critic step: real batch,
 * noise; SGD descent on f(fake), re-forward real with the updated critic, descent on -f(real), clip W1 and W2.
 * Then fresh noise and a G step on -f(G(z)) through the critic with lr = 0.
 */
export function trainWgan(config: WganLoopConfig): { history: Snapshot[]; G: Generator; C: WassersteinCritic } {
  const rng = new Rng(config.seed);
  const dim = config.target.kind === 'gaussian1d' ? 1 : 2;
  const G = Generator.create(rng, config.noiseDim, config.hiddenDim, dim);
  const C = WassersteinCritic.create(rng, dim, config.hiddenDim);
  const history: Snapshot[] = [];
  const n = config.batchSize;
  const rms = config.optimizer === 'rmsprop';
  const optC = new RmsProp(config.criticLr), optG = new RmsProp(config.generatorLr);
  // SGD as in the seed (inside backward), or RMSProp on the batch-mean gradients of the same backward pass.
  const criticUpdate = (gradScore: Matrix) => {
    C.backward(gradScore, rms ? 0 : config.criticLr);
    if (rms) optC.step(C.mlp.params, scaleParams(C.lastGrads!, 1 / n));
  };
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    let wDistance = 0;
    for (let k = 0; k < config.criticSteps; k++) {
      const real = drawReal(rng, config.target, n);
      const fake = G.forward(gaussian(rng, n, config.noiseDim));
      const cReal = C.forward(real);
      const cFake = C.forward(fake);
      const w = wassersteinLoss(cReal, cFake);
      wDistance = w.wDistance;
      criticUpdate(w.gradFake.scale(-1));
      C.forward(real);
      criticUpdate(w.gradReal.scale(-1));
      C.clipWeights(config.clipValue);
    }
    const fake = G.forward(gaussian(rng, n, config.noiseDim));
    C.forward(fake);
    const gradG = G.backward(C.backward(Matrix.full(n, 1, -1), 0), rms ? 0 : config.generatorLr);
    if (rms) optG.step(G.mlp.params, scaleParams(gradG, 1 / n));
    if (epoch % config.logEvery === 0 || epoch === config.epochs - 1) {
      history.push(snapshot(epoch, G.forward(gaussian(rng, config.evalSamples, config.noiseDim)), wDistance));
    }
  }
  return { history, G, C };
}
