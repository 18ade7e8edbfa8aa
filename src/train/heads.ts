// D's extra heads (AC-GAN class, SS-GAN rotation, InfoGAN code): where they are among D's outputs, checked once per
// model against what the step config asks of them, and D called with its outputs sorted by head.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { ShapeError } from '../errors.js';
import { CLASS_LOGITS, CODE_LOGITS, ROTATION_LOGITS } from '../models/dcgan.js';
import { latentCodeCategories, latentCodeOneHot } from '../layers/latent_code.js';
import { ROTATIONS, rotateQuarters } from '../losses/rotation.js';

/** The loss of every head: mean softmax cross-entropy of its logits [batch, k] against one-hot targets [batch, k]. */
export function headLoss(logits: tfjs.Tensor, targets: tfjs.Tensor): tfjs.Scalar {
  return tf.losses.softmaxCrossEntropy(targets, logits) as tfjs.Scalar;
}

/** InfoGAN's term: the code head's loss against the codes of latents z (LatentCode). */
export function codeLoss(codeLogits: tfjs.Tensor, z: tfjs.Tensor, codes: number): tfjs.Scalar {
  return headLoss(codeLogits, latentCodeOneHot(z, codes));
}

/** SS-GAN's term: D's rotation head on images x [batch, S, S, C] with their quarters turned (rotateQuarters). */
export function rotationTerm(D: tfjs.LayersModel, x: tfjs.Tensor, labels: tfjs.Tensor | null, heads: DiscriminatorHeads): tfjs.Scalar {
  const turned = rotateQuarters(x);
  return headLoss(callDiscriminator(D, turned.rotated, labels, heads).rotationLogits!, turned.labels);
}

/** Where D's heads are among its outputs (null: no such head). */
export interface DiscriminatorHeads {
  classHead: number | null;
  rotationHead: number | null;
  codeHead: number | null;
  /** Categories of the code head (0 without one). */
  codes: number;
}

/** D's outputs: the adversarial logits, and the class / rotation / code logits of a D with those heads (else null). */
export interface DiscriminatorOutputs {
  logits: tfjs.Tensor;
  classLogits: tfjs.Tensor | null;
  rotationLogits: tfjs.Tensor | null;
  codeLogits: tfjs.Tensor | null;
}

export function callDiscriminator(D: tfjs.LayersModel, x: tfjs.Tensor, labels: tfjs.Tensor | null, heads: DiscriminatorHeads): DiscriminatorOutputs {
  const out = D.apply(labels === null ? x : [x, labels], { training: true }) as tfjs.Tensor | tfjs.Tensor[];
  if (!Array.isArray(out)) return { logits: out, classLogits: null, rotationLogits: null, codeLogits: null };
  const head = (i: number | null) => (i === null ? null : out[i]!);
  return { logits: out[0]!, classLogits: head(heads.classHead), rotationLogits: head(heads.rotationHead), codeLogits: head(heads.codeHead) };
}

/** The weights of D's heads: keys of the step config (StepConfig extends this), 0 or absent = off. */
export interface HeadWeights {
  /**
   * AC-GAN (Odena et al. 2017) weight; 0 or absent = off. D's second output (class logits) is trained to classify
   * the real batch (cross-entropy with its labels) and G to make D's class head name the label it was asked for. D's
   * class head learns from real images only, so it stays a classifier of real digits that G cannot bargain with.
   */
  auxiliaryClassifierWeight?: number;
  /**
   * Rotation self-supervision (Chen et al. 2019: 1); 0 or absent = off. D's rotation head is trained to name the
   * rotation of a real batch whose quarters are turned 0, 90, 180 and 270 degrees (rotateQuarters).
   */
  rotationLossWeight?: number;
  /** G's side of the rotation loss: G's fakes, turned the same way, must have their rotation named (Chen et al.: 0.2). */
  generatorRotationLossWeight?: number;
  /**
   * InfoGAN (Chen et al. 2016: 1); 0 or absent = off. G's latent code (a LatentCode layer) is named by D's code head
   * on G's fakes: D (as InfoGAN's Q) and G both minimise that cross-entropy, a lower bound on the mutual information
   * between code and image, so each code comes to draw a distinct kind of sample.
   */
  latentCodeWeight?: number;
}

export const auxiliaryWeight = (config: HeadWeights): number => config.auxiliaryClassifierWeight ?? 0;
export const rotationWeights = (config: HeadWeights): { d: number; g: number } =>
  ({ d: config.rotationLossWeight ?? 0, g: config.generatorRotationLossWeight ?? 0 });
export const codeWeight = (config: HeadWeights): number => config.latentCodeWeight ?? 0;

// G's code categories, looked up once per model (the step asks at every call).
const codesOf = new WeakMap<tfjs.LayersModel, number>();

/** The categories of G's LatentCode layer (0 without one). */
function generatorCodes(G: tfjs.LayersModel): number {
  let codes = codesOf.get(G);
  if (codes === undefined) {
    codes = latentCodeCategories(G);
    codesOf.set(G, codes);
  }
  return codes;
}

// Discriminators whose outputs were checked, by what the step config asks of them.
const checkedOutputs = new WeakMap<tfjs.LayersModel, { key: string; heads: DiscriminatorHeads }>();

/**
 * D's heads, checked against the step config: output 0 is the logit [batch, 1]; the class logits [batch, numClasses],
 * rotation logits [batch, 4] and code logits [batch, G's code categories] are the outputs named CLASS_LOGITS,
 * ROTATION_LOGITS and CODE_LOGITS (a two-output D whose second output has another name is read as an AC-GAN D). Throws ShapeError when a head the config needs is missing or has
 * the wrong shape, or when D has outputs nothing reads.
 */
export function discriminatorHeads(D: tfjs.LayersModel, G: tfjs.LayersModel, numClasses: number | null, config: HeadWeights): DiscriminatorHeads {
  const auxiliary = auxiliaryWeight(config) > 0, rotation = rotationWeights(config);
  const rotating = rotation.d > 0 || rotation.g > 0;
  const coding = codeWeight(config) > 0;
  const codes = generatorCodes(G);
  const key = `${numClasses}/${auxiliary}/${rotating}/${coding}/${codes}`;
  const cached = checkedOutputs.get(D);
  if (cached?.key === key) return cached.heads;
  const shapes = D.outputs.map((o) => `[batch, ${o.shape.slice(1).join(', ')}]`);
  const names = D.outputNames;
  const find = (name: string): number | null => (names.indexOf(name) > 0 ? names.indexOf(name) : null);
  let classHead = find(CLASS_LOGITS);
  const rotationHead = find(ROTATION_LOGITS);
  const codeHead = find(CODE_LOGITS);
  if (classHead === null && rotationHead === null && codeHead === null && shapes.length === 2) classHead = 1;
  const want = ['logits [batch, 1]'];
  if (auxiliary || classHead !== null) want.push(`class logits [batch, ${numClasses ?? 'numClasses'}]${auxiliary ? ' (auxiliaryClassifierWeight > 0)' : ''}`);
  if (rotating || rotationHead !== null) want.push(`rotation logits [batch, ${ROTATIONS}]${rotating ? ' (a rotation loss weight > 0)' : ''}`);
  if (coding || codeHead !== null) want.push(`code logits [batch, ${codes || 'G\'s latent code categories'}]${coding ? ' (latentCodeWeight > 0)' : ''}`);
  const ok = shapes[0] === '[batch, 1]'
    && (!auxiliary || (numClasses !== null && classHead !== null))
    && (classHead === null || shapes[classHead] === `[batch, ${numClasses}]`)
    && (!rotating || rotationHead !== null)
    && (rotationHead === null || shapes[rotationHead] === `[batch, ${ROTATIONS}]`)
    && (!coding || (codes > 0 && codeHead !== null))
    && (codeHead === null || shapes[codeHead] === `[batch, ${codes}]`)
    && shapes.length === 1 + [classHead, rotationHead, codeHead].filter((h) => h !== null).length;
  if (!ok) {
    const needsConditional = auxiliary && numClasses === null ? ' (a class head needs conditional models)' : '';
    const needsCode = coding && codes === 0 ? ' (a code head needs a generator with a LatentCode layer)' : '';
    throw new ShapeError(`discriminator: expected outputs ${want.join(', ')}${needsConditional}${needsCode} but got ${shapes.join(', ')}`);
  }
  const heads = { classHead, rotationHead, codeHead, codes: codeHead === null ? 0 : codes };
  checkedOutputs.set(D, { key, heads });
  return heads;
}
