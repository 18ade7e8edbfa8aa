// DCGAN generator and discriminator (Radford, Metz & Chintala 2015), optionally conditional: labels as constant
// input channels, or a projection discriminator (Miyato & Koyama 2018). Layout NHWC, images in [-1, 1].
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { ConfigError } from '../errors.js';
import { activationLayer } from '../layers/activation.js';
import { ROTATIONS } from '../losses/rotation.js';
import { latentCode } from '../layers/latent_code.js';
import { LayerFactory, apply, checkOneOf, checkPositiveInt, normalizationLayer, NORMALIZATIONS, type Normalization } from './blocks.js';

interface DcganCommon {
  /** Square image side: 28 (MNIST), 32, 64, or any size that halves to <= 7 (16 -> 4, 28 -> 7). */
  imageSize: number;
  /** Image channels: 1 or 3. */
  channels: number;
  /** Width of the widest-resolution conv layer; the others double as resolution halves (default 64). */
  baseWidth?: number;
  /** Square kernel size of every conv (default 5, as in Radford et al.'s code and the TF DCGAN tutorial). */
  kernelSize?: number;
  /** Conditional model when set: a second input, the one-hot label [batch, numClasses]. */
  numClasses?: number;
  /** Spectral normalisation on every conv and dense kernel (default false). */
  spectralNorm?: boolean;
  /** Slope of LeakyReLU for x < 0 (default 0.2). */
  leakyReluAlpha?: number;
  /** Seed for all initializers (normal, std 0.02, as in the paper); unseeded when absent. */
  seed?: number;
}

export interface DcganGeneratorConfig extends DcganCommon {
  latentDim: number;
  /** A categorical code (InfoGAN) of this many categories, read from `latentCodes` more z entries (LatentCode); default 0. */
  latentCodes?: number;
  /** Hidden activation (default 'relu' as in the paper; 'leakyRelu' as in the TF tutorial). */
  activation?: 'relu' | 'leakyRelu';
  /** Normalisation after the dense and every hidden transposed conv (default 'batch'). */
  normalization?: Normalization;
}

export interface DcganDiscriminatorConfig extends DcganCommon {
  /** Normalisation after every conv but the first (default 'batch'; use 'layer' or 'none' with gradient penalties). */
  normalization?: Normalization;
  /** How a conditional D sees the label: 'concat' (constant one-hot channels at the input, default) or 'projection'. */
  conditioning?: 'concat' | 'projection';
  /**
   * AC-GAN (Odena et al. 2017): a second output, class logits [batch, numClasses] from the same features as the
   * adversarial logit. Needs numClasses and 'projection' conditioning (a 'concat' D sees the label in its input, so a
   * class head could read the answer there). Default false.
   */
  auxiliaryClassifier?: boolean;
  /**
   * Rotation self-supervision (Chen et al. 2019): a last output, rotation logits [batch, 4] (0, 90, 180, 270
   * degrees) from the same features. Default false.
   */
  rotationHead?: boolean;
  /** InfoGAN (Chen et al. 2016): a last output, code logits [batch, codeHead] naming G's latent code. Default 0 (none). */
  codeHead?: number;
}

/** Layer names of D's extra heads: the steps find D's outputs by these names. */
export const CLASS_LOGITS = 'class_logits';
export const ROTATION_LOGITS = 'rotation_logits';
export const CODE_LOGITS = 'code_logits';

/** The resolution ladder: the image side is halved `halvings` times down to `startSize` (<= 7). */
export function dcganLadder(imageSize: number): { startSize: number; halvings: number } {
  checkPositiveInt(imageSize, 'imageSize');
  let size = imageSize;
  let halvings = 0;
  while (size > 7 && size % 2 === 0) {
    size /= 2;
    halvings++;
  }
  if (halvings === 0 || size < 2) {
    throw new ConfigError(`imageSize: expected a size that halves at least once down to 2..7 (e.g. 16, 28, 32, 64) but got ${imageSize}`);
  }
  return { startSize: size, halvings };
}

function checkCommon(cfg: DcganCommon, prefix: string): Required<Pick<DcganCommon, 'baseWidth' | 'kernelSize'>> {
  checkOneOf(String(cfg.channels), ['1', '3'], `${prefix}.channels`);
  if (cfg.numClasses !== undefined) checkPositiveInt(cfg.numClasses, `${prefix}.numClasses`);
  return {
    baseWidth: checkPositiveInt(cfg.baseWidth ?? 64, `${prefix}.baseWidth`),
    kernelSize: checkPositiveInt(cfg.kernelSize ?? 5, `${prefix}.kernelSize`),
  };
}

/**
 * DCGAN generator: z [batch, latentDim] (and one-hot label [batch, numClasses]) -> image [batch, S, S, channels] in
 * [-1, 1]. dense -> reshape [s, s, base*2^n] -> stride-1 transposed conv -> (n-1) stride-2 transposed convs, each with
 * norm + activation -> stride-2 transposed conv to `channels`, tanh. At 28x28 with base 64 this is the TF tutorial's
 * G: 7x7x256 -> 7x7x128 -> 14x14x64 -> 28x28x1.
 */
export function dcganGenerator(cfg: DcganGeneratorConfig): tfjs.LayersModel {
  checkPositiveInt(cfg.latentDim, 'generator.latentDim');
  const { baseWidth, kernelSize } = checkCommon(cfg, 'generator');
  const { startSize, halvings } = dcganLadder(cfg.imageSize);
  const norm = checkOneOf(cfg.normalization ?? 'batch', NORMALIZATIONS, 'generator.normalization');
  const activation = checkOneOf(cfg.activation ?? 'relu', ['relu', 'leakyRelu'], 'generator.activation');
  const layers = new LayerFactory(cfg.spectralNorm ?? false, 0.02, cfg.seed);
  const hasNorm = norm !== 'none';
  const block = (h: tfjs.SymbolicTensor, rank: number): tfjs.SymbolicTensor => {
    const n = normalizationLayer(norm, rank);
    if (n) h = apply(n, h);
    return apply(activationLayer(activation, cfg.leakyReluAlpha), h);
  };

  const z = tf.input({ shape: [cfg.latentDim + (cfg.latentCodes ?? 0)], name: 'z' });
  const ins = [z];
  let h: tfjs.SymbolicTensor = cfg.latentCodes ? apply(latentCode({ categories: cfg.latentCodes }), z) : z;
  if (cfg.numClasses !== undefined) {
    const label = tf.input({ shape: [cfg.numClasses], name: 'label' });
    ins.push(label);
    h = apply(tf.layers.concatenate({ axis: -1 }), [h, label]);
  }
  const startWidth = baseWidth * 2 ** halvings;
  h = apply(layers.dense(startSize * startSize * startWidth, !hasNorm), h);
  h = block(h, 2);
  h = apply(tf.layers.reshape({ targetShape: [startSize, startSize, startWidth] }), h);
  h = block(apply(layers.convTranspose(startWidth / 2, kernelSize, 1, !hasNorm), h), 4);
  for (let i = halvings - 2; i >= 0; i--) {
    h = block(apply(layers.convTranspose(baseWidth * 2 ** i, kernelSize, 2, !hasNorm), h), 4);
  }
  h = apply(layers.convTranspose(cfg.channels, kernelSize, 2, true), h);
  h = apply(activationLayer('tanh'), h);
  return tf.model({ inputs: ins, outputs: h, name: 'generator' });
}

/**
 * DCGAN discriminator: image [batch, S, S, channels] (and one-hot label [batch, numClasses]) -> logit [batch, 1].
 * n stride-2 convs of widths base, 2*base, ... with LeakyReLU, norm on all but the first, flatten, dense to 1.
 * Conditional: 'concat' tiles the one-hot label to [batch, S, S, numClasses] and concatenates it to the image;
 * 'projection' adds <embed(label), features> to the logit (embed: a bias-free dense layer on the one-hot).
 * With `auxiliaryClassifier`, a second output: class logits [batch, numClasses] (a dense layer on the features); with
 * `rotationHead`, rotation logits [batch, 4]; with `codeHead`, code logits. The heads are the layers named CLASS_LOGITS,
 * ROTATION_LOGITS and CODE_LOGITS, in that order after the logit.
 */
export function dcganDiscriminator(cfg: DcganDiscriminatorConfig): tfjs.LayersModel {
  const { baseWidth, kernelSize } = checkCommon(cfg, 'discriminator');
  const { halvings } = dcganLadder(cfg.imageSize);
  const norm = checkOneOf(cfg.normalization ?? 'batch', NORMALIZATIONS, 'discriminator.normalization');
  const conditioning = checkOneOf(cfg.conditioning ?? 'concat', ['concat', 'projection'], 'discriminator.conditioning');
  const layers = new LayerFactory(cfg.spectralNorm ?? false, 0.02, cfg.seed);
  const S = cfg.imageSize;
  if (cfg.auxiliaryClassifier && (cfg.numClasses === undefined || conditioning !== 'projection')) {
    throw new ConfigError(`discriminator.auxiliaryClassifier: expected numClasses and conditioning 'projection' but got ${cfg.numClasses === undefined ? 'no numClasses' : `conditioning '${conditioning}'`}`);
  }

  const x = tf.input({ shape: [S, S, cfg.channels], name: 'x' });
  const ins = [x];
  let label: tfjs.SymbolicTensor | null = null;
  let h: tfjs.SymbolicTensor = x;
  if (cfg.numClasses !== undefined) {
    label = tf.input({ shape: [cfg.numClasses], name: 'label' });
    ins.push(label);
    if (conditioning === 'concat') {
      const tiled = apply(tf.layers.repeatVector({ n: S * S }), label);
      const planes = apply(tf.layers.reshape({ targetShape: [S, S, cfg.numClasses] }), tiled);
      h = apply(tf.layers.concatenate({ axis: -1 }), [x, planes]);
    }
  }
  for (let i = 0; i < halvings; i++) {
    const n = i === 0 ? null : normalizationLayer(norm, 4);
    h = apply(layers.conv(baseWidth * 2 ** i, kernelSize, 2, n === null), h);
    if (n) h = apply(n, h);
    h = apply(activationLayer('leakyRelu', cfg.leakyReluAlpha ?? 0.2), h);
  }
  const features = apply(tf.layers.flatten(), h);
  let logit = apply(layers.dense(1), features);
  if (label !== null && conditioning === 'projection') {
    const featureDim = features.shape[1]!;
    const embedded = apply(layers.dense(featureDim, false), label);
    const projection = apply(tf.layers.dot({ axes: -1 }), [embedded, features]);
    logit = apply(tf.layers.add(), [logit, projection]);
  }
  const outputs = [logit];
  if (cfg.auxiliaryClassifier) outputs.push(apply(layers.dense(cfg.numClasses!, true, CLASS_LOGITS), features));
  if (cfg.rotationHead) outputs.push(apply(layers.dense(ROTATIONS, true, ROTATION_LOGITS), features));
  if (cfg.codeHead) outputs.push(apply(layers.dense(cfg.codeHead, true, CODE_LOGITS), features));
  return tf.model({ inputs: ins, outputs: outputs.length === 1 ? logit : outputs, name: 'discriminator' });
}
