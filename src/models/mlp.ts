// MLP generator and discriminator for toy data (1-D Gaussians, rings and grids of Gaussians), optionally conditional.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { activationLayer, checkActivation, type ActivationName } from '../layers/activation.js';
import { latentCode } from '../layers/latent_code.js';
import { LayerFactory, apply, checkOneOf, checkPositiveInt, normalizationLayer } from './blocks.js';

interface MlpCommon {
  /** Hidden layer widths, input side first, e.g. [128, 128]. */
  hiddenUnits: number[];
  /** Hidden activation (G default 'relu', D default 'leakyRelu'). */
  activation?: ActivationName;
  /** Slope of leakyRelu for x < 0 (default 0.2). */
  leakyReluAlpha?: number;
  /** Conditional model when set: a second input, the one-hot label [batch, numClasses], concatenated to the first. */
  numClasses?: number;
  /** Spectral normalisation on every dense kernel (default false). */
  spectralNorm?: boolean;
  /** Per-sample layer norm after each hidden dense layer (default 'none'). */
  normalization?: 'none' | 'layer';
  /** Seed for all initializers; unseeded when absent. */
  seed?: number;
}

export interface MlpGeneratorConfig extends MlpCommon {
  latentDim: number;
  /** A categorical code (InfoGAN) of this many categories, read from `latentCodes` more z entries (LatentCode); default 0. */
  latentCodes?: number;
  outputDim: number;
  /** Output activation: 'linear' (default, unbounded toy data) or 'tanh' (data in [-1, 1]). */
  outputActivation?: 'linear' | 'tanh';
}

export interface MlpDiscriminatorConfig extends MlpCommon {
  inputDim: number;
}

function checkCommon(cfg: MlpCommon, prefix: string): void {
  cfg.hiddenUnits.forEach((u, i) => checkPositiveInt(u, `${prefix}.hiddenUnits[${i}]`));
  if (cfg.activation !== undefined) checkActivation(cfg.activation, `${prefix}.activation`);
  if (cfg.numClasses !== undefined) checkPositiveInt(cfg.numClasses, `${prefix}.numClasses`);
  if (cfg.normalization !== undefined) checkOneOf(cfg.normalization, ['none', 'layer'], `${prefix}.normalization`);
}

/** Inputs [main, label?] and their concatenation (main through a LatentCode layer first when `codes` > 0). */
function inputs(dim: number, name: string, numClasses: number | undefined, codes = 0): [tfjs.SymbolicTensor[], tfjs.SymbolicTensor] {
  const main = tf.input({ shape: [dim + codes], name });
  const x = codes > 0 ? apply(latentCode({ categories: codes }), main) : main;
  if (numClasses === undefined) return [[main], x];
  const label = tf.input({ shape: [numClasses], name: 'label' });
  return [[main, label], apply(tf.layers.concatenate({ axis: -1 }), [x, label])];
}

function hidden(h: tfjs.SymbolicTensor, cfg: MlpCommon, layers: LayerFactory, activation: ActivationName): tfjs.SymbolicTensor {
  for (const units of cfg.hiddenUnits) {
    h = apply(layers.dense(units), h);
    const norm = normalizationLayer(cfg.normalization ?? 'none', 2);
    if (norm) h = apply(norm, h);
    h = apply(activationLayer(activation, cfg.leakyReluAlpha), h);
  }
  return h;
}

/**
 * MLP generator: z [batch, latentDim] (and one-hot label [batch, numClasses] when conditional) -> [batch, outputDim].
 */
export function mlpGenerator(cfg: MlpGeneratorConfig): tfjs.LayersModel {
  checkPositiveInt(cfg.latentDim, 'generator.latentDim');
  checkPositiveInt(cfg.outputDim, 'generator.outputDim');
  checkCommon(cfg, 'generator');
  const layers = new LayerFactory(cfg.spectralNorm ?? false, undefined, cfg.seed);
  const [ins, x] = inputs(cfg.latentDim, 'z', cfg.numClasses, cfg.latentCodes ?? 0);
  let h = hidden(x, cfg, layers, cfg.activation ?? 'relu');
  h = apply(layers.dense(cfg.outputDim), h);
  if ((cfg.outputActivation ?? 'linear') === 'tanh') h = apply(activationLayer('tanh'), h);
  return tf.model({ inputs: ins, outputs: h, name: 'generator' });
}

/**
 * MLP discriminator: x [batch, inputDim] (and one-hot label [batch, numClasses] when conditional) -> logit [batch, 1].
 */
export function mlpDiscriminator(cfg: MlpDiscriminatorConfig): tfjs.LayersModel {
  checkPositiveInt(cfg.inputDim, 'discriminator.inputDim');
  checkCommon(cfg, 'discriminator');
  const layers = new LayerFactory(cfg.spectralNorm ?? false, undefined, cfg.seed);
  const [ins, x] = inputs(cfg.inputDim, 'x', cfg.numClasses);
  const h = hidden(x, cfg, layers, cfg.activation ?? 'leakyRelu');
  return tf.model({ inputs: ins, outputs: apply(layers.dense(1), h), name: 'discriminator' });
}
