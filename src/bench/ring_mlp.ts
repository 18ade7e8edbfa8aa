// The toy benchmark workload: an MLP GAN on the ring of 8 Gaussians (Metz et al. 2017, unrolled GAN paper's toy).
// Frozen definition: latent 2, two hidden layers of 128 ReLU in G and D, batch 256, Adam 1e-3, non-saturating BCE.
import type { LayersModel, Optimizer, Scalar, Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import { Rng } from '../random.js';
import type { TF } from '../tf.js';

export const RING = { modes: 8, radius: 2, std: 0.02, latentDim: 2, hidden: 128, batchSize: 256, learningRate: 1e-3 } as const;

/** `n` points of the ring of 8 Gaussians: [n, 2]. */
export function ringSamples(rng: Rng, n: number): Float32Array {
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const angle = (2 * Math.PI * rng.int(RING.modes)) / RING.modes;
    out[2 * i] = RING.radius * Math.cos(angle) + RING.std * rng.normal();
    out[2 * i + 1] = RING.radius * Math.sin(angle) + RING.std * rng.normal();
  }
  return out;
}

function mlp(tf: TF, inputs: number, outputs: number, seed: number): LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 100 + k });
  return tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [inputs], units: RING.hidden, activation: 'relu', kernelInitializer: init(1) }),
    tf.layers.dense({ units: RING.hidden, activation: 'relu', kernelInitializer: init(2) }),
    tf.layers.dense({ units: outputs, kernelInitializer: init(3) }),
  ] });
}

/** The ring MLP GAN with a step like the reference DCGAN's: D on real + fake, then G. Returns [dLoss, gLoss]. */
export function ringGan(tf: TF, seed = 1): { step(): [Scalar, Scalar]; dispose(): void } {
  const generator = mlp(tf, RING.latentDim, 2, seed);
  const discriminator = mlp(tf, 2, 1, seed + 1);
  const gVars = generator.trainableWeights.map((w) => w.read() as Variable);
  const dVars = discriminator.trainableWeights.map((w) => w.read() as Variable);
  const gOptimizer: Optimizer = tf.train.adam(RING.learningRate, 0.5);
  const dOptimizer: Optimizer = tf.train.adam(RING.learningRate, 0.5);
  const rng = new Rng(seed);
  let noiseSeed = seed * 1000;
  const bce = (logits: Tensor2D, label: 0 | 1) =>
    tf.losses.sigmoidCrossEntropy(label === 1 ? tf.onesLike(logits) : tf.zerosLike(logits), logits) as Scalar;
  return {
    step() {
      const real = ringSamples(rng, RING.batchSize);
      return tf.tidy(() => {
        const x = tf.tensor2d(real, [RING.batchSize, 2]);
        const z = tf.randomNormal([RING.batchSize, RING.latentDim], 0, 1, 'float32', noiseSeed++);
        const fake = generator.apply(z) as Tensor;
        const D = (v: Tensor) => discriminator.apply(v) as Tensor2D;
        const dLoss = dOptimizer.minimize(() => tf.add(bce(D(x), 1), bce(D(fake), 0)) as Scalar, true, dVars)!;
        const gLoss = gOptimizer.minimize(() => bce(D(generator.apply(z) as Tensor), 1), true, gVars)!;
        return [dLoss, gLoss] as [Scalar, Scalar];
      });
    },
    dispose() {
      gOptimizer.dispose();
      dOptimizer.dispose();
      generator.dispose();
      discriminator.dispose();
    },
  };
}
