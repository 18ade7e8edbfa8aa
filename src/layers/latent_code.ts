// A categorical latent code (InfoGAN, Chen et al. 2016) drawn from the ordinary Gaussian latent: the last `categories`
// entries of z pass through argmax and become a one-hot code. The argmax of iid N(0, 1) draws is uniform over the
// categories, so z ~ N(0, I) still is the whole latent distribution: sampling, checkpoints, latent walks and the
// browser playground need nothing new, and the step recovers the code a sample was drawn with from its z alone.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { ShapeError } from '../errors.js';
import type { BaseLayerArgs } from './spectral_norm.js';

export interface LatentCodeOptions {
  /** Number of code categories (>= 2): the last `categories` entries of z. */
  categories: number;
}

/** The code indices [batch] (int32) of latents z [batch, latentDim] whose last `categories` entries are the code. */
export function latentCodeIndices(z: tfjs.Tensor, categories: number): tfjs.Tensor1D {
  if (z.rank !== 2 || z.shape[1]! <= categories) {
    throw new ShapeError(`latent code: expected z [batch, more than ${categories}] but got [${z.shape}]`);
  }
  return tf.tidy(() => tf.argMax(tf.slice(z, [0, z.shape[1]! - categories], [-1, categories]), 1) as tfjs.Tensor1D);
}

/** One-hot [batch, categories] of the codes of latents z [batch, latentDim]. */
export function latentCodeOneHot(z: tfjs.Tensor, categories: number): tfjs.Tensor2D {
  return tf.tidy(() => tf.oneHot(latentCodeIndices(z, categories), categories).toFloat() as tfjs.Tensor2D);
}

/** [batch, d] -> [batch, d]: the first d - categories entries unchanged, the rest replaced by the one-hot of their argmax. */
export class LatentCode extends tf.layers.Layer {
  static className = 'LatentCode';
  readonly categories: number;

  constructor(args: LatentCodeOptions & BaseLayerArgs) {
    super(args);
    if (!Number.isInteger(args.categories) || args.categories < 2) {
      throw new ShapeError(`LatentCode.categories: expected an integer >= 2 but got ${args.categories}`);
    }
    this.categories = args.categories;
  }

  override computeOutputShape(inputShape: tfjs.Shape | tfjs.Shape[]): tfjs.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfjs.Shape;
    if (shape.length !== 2 || (shape[1] !== null && shape[1]! <= this.categories)) {
      throw new ShapeError(`LatentCode: expected input [batch, more than ${this.categories}] but got [${shape}]`);
    }
    return shape;
  }

  override call(inputs: tfjs.Tensor | tfjs.Tensor[]): tfjs.Tensor {
    return tf.tidy(() => {
      const z = Array.isArray(inputs) ? inputs[0]! : inputs;
      const continuous = tf.slice(z, [0, 0], [-1, z.shape[1]! - this.categories]);
      return tf.concat([continuous, latentCodeOneHot(z, this.categories)], 1);
    });
  }

  override getConfig(): tfjs.serialization.ConfigDict {
    return { ...super.getConfig(), categories: this.categories };
  }
}
tf.serialization.registerClass(LatentCode);

/** A LatentCode layer (the builders put it right after G's z input). */
export function latentCode(options: LatentCodeOptions & BaseLayerArgs): LatentCode {
  return new LatentCode(options);
}

/**
 * Sets the code of each latent row in place (z [n * latentDim] row-major; the code is the last `categories` entries):
 * the largest code entry and the one at the wanted code swap places, as `withCodes` does on tensors.
 */
export function setLatentCodes(z: Float32Array, latentDim: number, categories: number, codes: ArrayLike<number>): void {
  for (let i = 0; i < codes.length; i++) {
    const start = i * latentDim + latentDim - categories;
    let best = 0;
    for (let c = 1; c < categories; c++) if (z[start + c]! > z[start + best]!) best = c;
    const want = start + codes[i]!;
    const largest = z[start + best]!;
    z[start + best] = z[want]!;
    z[want] = largest;
  }
}

/** The categories of a model's LatentCode layer (a generator with a code: InfoGAN, self-conditioning), else 0. */
export function latentCodeCategories(model: tfjs.LayersModel): number {
  return (model.layers.find((l) => l instanceof LatentCode) as LatentCode | undefined)?.categories ?? 0;
}
