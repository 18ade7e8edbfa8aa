// Weight clipping of the original WGAN (Arjovsky et al. 2017, Algorithm 1): after every critic update, clip every
// trainable weight into [-c, c] (c = 0.01 in the paper).
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { ConfigError } from '../errors.js';

/** Clips every trainable weight of `model` into [-clipValue, clipValue], in place. */
export function clipWeights(model: tfjs.LayersModel, clipValue: number): void {
  if (!(clipValue > 0)) throw new ConfigError(`clipValue: expected a positive number but got ${clipValue}`);
  tf.tidy(() => {
    for (const w of model.trainableWeights) w.write(tf.clipByValue(w.read(), -clipValue, clipValue));
  });
}
