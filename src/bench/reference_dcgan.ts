// The frozen benchmark workload: TensorFlow's DCGAN-tutorial GAN on 28x28x1, as in scripts/peers/dcgan_torch.py.
// Radford et al. 2016 (DCGAN). Do not change: `gan bench` figures are compared with the PyTorch peer on it.
// Dense and conv layers are the toolkit's (src/layers/unfused.ts), as in its own models: same math as tf.layers',
// gradients computed only where needed.
import type { LayersModel, Optimizer, Scalar, Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { TF } from '../tf.js';
import { unfusedConv2d, unfusedDense } from '../layers/unfused.js';

/** Latent size, batch size and learning rate of the reference step. */
export const REFERENCE = { latentDim: 100, batchSize: 64, learningRate: 1e-4, leakyReluAlpha: 0.3 } as const;

/**
 * G: z [batch, 100] -> dense 7*7*256 (no bias) BN LReLU -> convT 128 5x5 s1 BN LReLU -> convT 64 5x5 s2 BN LReLU
 * -> convT 1 5x5 s2 tanh -> images [batch, 28, 28, 1] in [-1, 1].
 */
export function buildReferenceGenerator(tf: TF, seed = 1): LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 100 + k });
  const alpha = REFERENCE.leakyReluAlpha;
  return tf.sequential({ name: 'reference_generator', layers: [
    unfusedDense({ inputShape: [REFERENCE.latentDim], units: 7 * 7 * 256, useBias: false, kernelInitializer: init(1) }),
    tf.layers.batchNormalization(),
    tf.layers.leakyReLU({ alpha }),
    tf.layers.reshape({ targetShape: [7, 7, 256] }),
    tf.layers.conv2dTranspose({ filters: 128, kernelSize: 5, strides: 1, padding: 'same', useBias: false, kernelInitializer: init(2) }),
    tf.layers.batchNormalization(),
    tf.layers.leakyReLU({ alpha }),
    tf.layers.conv2dTranspose({ filters: 64, kernelSize: 5, strides: 2, padding: 'same', useBias: false, kernelInitializer: init(3) }),
    tf.layers.batchNormalization(),
    tf.layers.leakyReLU({ alpha }),
    tf.layers.conv2dTranspose({ filters: 1, kernelSize: 5, strides: 2, padding: 'same', useBias: false, activation: 'tanh', kernelInitializer: init(4) }),
  ] });
}

/** D: images [batch, 28, 28, 1] -> conv 64 5x5 s2 LReLU -> conv 128 5x5 s2 LReLU -> flatten -> dense 1 -> logits [batch, 1]. */
export function buildReferenceDiscriminator(tf: TF, seed = 2): LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 100 + k });
  const alpha = REFERENCE.leakyReluAlpha;
  return tf.sequential({ name: 'reference_discriminator', layers: [
    unfusedConv2d({ inputShape: [28, 28, 1], filters: 64, kernelSize: 5, strides: 2, padding: 'same', kernelInitializer: init(1) }),
    tf.layers.leakyReLU({ alpha }),
    unfusedConv2d({ filters: 128, kernelSize: 5, strides: 2, padding: 'same', kernelInitializer: init(2) }),
    tf.layers.leakyReLU({ alpha }),
    tf.layers.flatten(),
    unfusedDense({ units: 1, kernelInitializer: init(3) }),
  ] });
}

/** The reference GAN with its two Adam optimizers and a fixed "real" batch (uniform in [-1, 1], like the peer). */
export interface ReferenceGan {
  generator: LayersModel;
  discriminator: LayersModel;
  /** Runs one step: D update on real + fake, then G update (non-saturating BCE). Returns [dLoss, gLoss] (disposed by caller). */
  step(): [Scalar, Scalar];
  dispose(): void;
}

function trainable(model: LayersModel): Variable[] {
  return model.trainableWeights.map((w) => w.read() as Variable);
}

/** Builds the reference GAN of batch `batchSize` (64 in the benchmark). */
export function referenceGan(tf: TF, batchSize: number = REFERENCE.batchSize, singleForward = true): ReferenceGan {
  const generator = buildReferenceGenerator(tf);
  const discriminator = buildReferenceDiscriminator(tf);
  const gVars = trainable(generator);
  const dVars = trainable(discriminator);
  const gOptimizer: Optimizer = tf.train.adam(REFERENCE.learningRate);
  const dOptimizer: Optimizer = tf.train.adam(REFERENCE.learningRate);
  const real = tf.randomUniform([batchSize, 28, 28, 1], -1, 1, 'float32', 3);
  let seed = 1000;
  const G = (z: Tensor) => generator.apply(z, { training: true }) as Tensor;
  const D = (x: Tensor) => discriminator.apply(x, { training: true }) as Tensor2D;
  const bce = (logits: Tensor2D, label: 0 | 1) =>
    tf.losses.sigmoidCrossEntropy(label === 1 ? tf.onesLike(logits) : tf.zerosLike(logits), logits) as Scalar;
  return {
    generator,
    discriminator,
    step() {
      return tf.tidy(() => {
        const z = tf.randomNormal([batchSize, REFERENCE.latentDim], 0, 1, 'float32', seed++);
        if (!singleForward) {
          const fake = G(z);
          const dLoss = dOptimizer.minimize(() => tf.add(bce(D(real), 1), bce(D(fake), 0)) as Scalar, true, dVars)!;
          const gLoss = gOptimizer.minimize(() => bce(D(G(z)), 1), true, gVars)!;
          return [dLoss, gLoss] as [Scalar, Scalar];
        }
        // One G forward serves both updates, as in the peer: G's tape is open while D is updated (a nested
        // gradient), then G's loss is taken through the updated D. D's update is not on the path from G's
        // variables to G's loss (assigning a variable cuts the tape), so G's gradient is the usual one.
        let dLoss: Scalar | null = null;
        const { value: gLoss, grads } = tf.variableGrads(() => {
          const fake = G(z);
          const d = tf.variableGrads(() => tf.add(bce(D(real), 1), bce(D(fake), 0)) as Scalar, dVars);
          dOptimizer.applyGradients(d.grads);
          dLoss = tf.keep(d.value);
          return bce(D(fake), 1);
        }, gVars);
        gOptimizer.applyGradients(grads);
        return [dLoss!, gLoss] as [Scalar, Scalar];
      });
    },
    dispose() {
      real.dispose();
      gOptimizer.dispose();
      dOptimizer.dispose();
      generator.dispose();
      discriminator.dispose();
    },
  };
}
