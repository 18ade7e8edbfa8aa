// What D is conditioned on: the class G was asked for (a conditional pair: G and D both take the one-hot label), G's
// latent code (a self-conditioned pair, Liu et al. 2020: G draws the cluster from z through its LatentCode layer and
// only D takes the one-hot), or nothing.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { ShapeError } from '../errors.js';
import { latentCodeCategories, latentCodeOneHot } from '../layers/latent_code.js';
import { generatorSignature } from '../models/generate.js';

export interface Conditioning {
  /** Classes (or clusters) of D's one-hot label input; null: D takes none. */
  classes: number | null;
  /** True when G has no label input and its LatentCode draws the class from z. */
  fromCode: boolean;
}

const conditioningOf = new WeakMap<tfjs.LayersModel, { generator: tfjs.LayersModel; conditioning: Conditioning }>();

/**
 * How the pair is conditioned, checked once per pair: G's label input and D's must match, or G has none and its
 * LatentCode has as many categories as D's label has classes. Throws ShapeError naming both otherwise.
 */
export function conditioning(G: tfjs.LayersModel, D: tfjs.LayersModel): Conditioning {
  const cached = conditioningOf.get(D);
  if (cached?.generator === G) return cached.conditioning;
  const { numClasses } = generatorSignature(G);
  const dLabel = D.inputs[1]?.shape;
  const dClasses = dLabel && dLabel.length === 2 && typeof dLabel[1] === 'number' ? dLabel[1] : null;
  const codes = latentCodeCategories(G);
  let result: Conditioning;
  if (numClasses === dClasses) result = { classes: dClasses, fromCode: false };
  else if (numClasses === null && dClasses !== null && codes === dClasses) result = { classes: dClasses, fromCode: true };
  else {
    throw new ShapeError(`models: expected G and D to take the same one-hot label, or D a label of as many classes as G's latent code has categories, but got G ${numClasses === null ? 'without a label' : `with a label of ${numClasses}`}${codes ? ` (latent code of ${codes})` : ''} and D ${dClasses === null ? 'without a label' : `with a label of ${dClasses}`}`);
  }
  conditioningOf.set(D, { generator: G, conditioning: result });
  return result;
}

/**
 * Latents z [batch, latentDim] whose codes are `labels` (one-hot [batch, categories]): in each row, the largest code
 * entry and the one at the label swap places. The code entries are iid, so z given its code keeps the distribution
 * it has when the code comes out that way by chance: a fake drawn for a real batch's clusters is a fair draw of G.
 */
export function withCodes(z: tfjs.Tensor2D, labels: tfjs.Tensor, categories: number): tfjs.Tensor2D {
  return tf.tidy(() => {
    const d = z.shape[1]!;
    const head = tf.slice(z, [0, 0], [-1, d - categories]);
    const code = tf.slice(z, [0, d - categories], [-1, categories]);
    const max = tf.max(code, 1, true);
    const atLabel = tf.sum(tf.mul(code, labels), 1, true);
    const isLabel = tf.cast(labels, 'bool'), isMax = tf.cast(latentCodeOneHot(z, categories), 'bool');
    const swapped = tf.where(isLabel, tf.broadcastTo(max, code.shape), tf.where(isMax, tf.broadcastTo(atLabel, code.shape), code));
    return tf.concat([head, swapped], 1) as tfjs.Tensor2D;
  });
}
