// Builds G and D for a TrainConfig, with tfjs's weight initialisers driven by the run's seeded Rng (reproducible runs).
import type * as TF from '@tensorflow/tfjs';
import { Rng } from '../random.js';
import { mlpDiscriminator, mlpGenerator } from '../models/mlp.js';
import { dcganDiscriminator, dcganGenerator } from '../models/dcgan.js';
import { IMAGE_DATA, type TrainConfig } from './config.js';

/** Classes of MNIST-format data (MNIST, Fashion-MNIST). */
export const MNIST_CLASSES = 10;

/** Shape of one data point: toy [dim], image [imageSize, imageSize, channels]. */
export function dataShape(config: TrainConfig): number[] {
  if (IMAGE_DATA.includes(config.data)) return [config.imageSize, config.imageSize, config.channels];
  return [config.data === 'gaussian1d' ? 1 : 2];
}

/** Number of classes of a conditional run (an image folder's class subfolders, else 10), else 0. */
export function numClasses(config: TrainConfig): number {
  if (!config.conditional) return 0;
  return config.data === 'images' ? config.classNames.length : MNIST_CLASSES;
}

/** Classes D is conditioned on: a conditional run's classes, else a self-conditioned run's clusters, else 0. */
export function discriminatorClasses(config: TrainConfig): number {
  return numClasses(config) || config.clusters;
}

/** Categories of G's latent code: latentCodes (InfoGAN), or a self-conditioned run's clusters (G draws the cluster). */
export function latentCodeCategories(config: TrainConfig): number {
  return config.latentCodes || config.clusters;
}

/**
 * Runs `build` with Math.random replaced by a generator seeded from `seed`. tfjs initialisers without an explicit
 * seed draw their seed from Math.random (tfjs-core rand_util), so this makes initial weights a function of the seed.
 */
export function withSeededInit<T>(seed: number, build: () => T): T {
  const rng = new Rng(seed ^ 0x5eed1417);
  const original = Math.random;
  Math.random = () => rng.uniform() || 1e-9; // tfjs treats a seed of 0 as "unseeded"
  try {
    return build();
  } finally {
    Math.random = original;
  }
}

/** A fresh generator for `config`: z [B, latentDim] (+ one-hot [B, classes]) -> x with dataShape(config). */
export function buildGenerator(config: TrainConfig): TF.LayersModel {
  const classes = numClasses(config);
  const conditional = classes > 0 ? { numClasses: classes } : {};
  if (config.model === 'mlp') {
    return mlpGenerator({
      latentDim: config.latentDim,
      hiddenUnits: config.generatorHiddenUnits,
      outputDim: dataShape(config)[0]!,
      activation: config.activation,
      seed: config.seed,
      latentCodes: latentCodeCategories(config),
      ...conditional,
    });
  }
  return dcganGenerator({
    latentDim: config.latentDim,
    imageSize: config.imageSize,
    channels: config.channels,
    baseWidth: config.baseWidth,
    kernelSize: config.kernelSize,
    seed: config.seed,
    latentCodes: latentCodeCategories(config),
    ...conditional,
  });
}

/** A fresh discriminator for `config`: x (+ one-hot) -> one logit [B, 1] (+ class logits [B, classes] for AC-GAN). */
export function buildDiscriminator(config: TrainConfig): TF.LayersModel {
  const classes = discriminatorClasses(config);
  const conditional = classes > 0 ? { numClasses: classes, conditioning: config.conditioning } : {};
  if (config.model === 'mlp') {
    return mlpDiscriminator({
      inputDim: dataShape(config)[0]!,
      hiddenUnits: config.discriminatorHiddenUnits,
      activation: config.activation,
      spectralNorm: config.spectralNorm,
      normalization: config.discriminatorNormalization === 'layer' ? 'layer' : 'none',
      seed: config.seed + 1,
      ...conditional,
    });
  }
  return dcganDiscriminator({
    imageSize: config.imageSize,
    channels: config.channels,
    baseWidth: config.baseWidth,
    kernelSize: config.kernelSize,
    normalization: config.discriminatorNormalization,
    spectralNorm: config.spectralNorm,
    seed: config.seed + 1,
    ...conditional,
    ...(config.auxiliaryClassifierWeight > 0 ? { auxiliaryClassifier: true } : {}),
    ...(config.rotationLossWeight > 0 ? { rotationHead: true } : {}),
    ...(config.latentCodeWeight > 0 ? { codeHead: config.latentCodes } : {}),
  });
}

/** G and D for a new run, initialised reproducibly from config.seed. */
export function buildModels(config: TrainConfig): { generator: TF.LayersModel; discriminator: TF.LayersModel } {
  return withSeededInit(config.seed, () => ({ generator: buildGenerator(config), discriminator: buildDiscriminator(config) }));
}
