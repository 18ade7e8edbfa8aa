// Activation layers by name, shared by the MLP and DCGAN builders.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { ConfigError } from '../errors.js';

/** Activations a builder accepts. `leakyRelu` uses the builder's `leakyReluAlpha` (default 0.2). */
export const ACTIVATIONS = ['relu', 'leakyRelu', 'tanh', 'elu', 'sigmoid', 'softplus', 'linear'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Throws ConfigError naming `key` unless `value` is one of ACTIVATIONS. */
export function checkActivation(value: string, key: string): ActivationName {
  if ((ACTIVATIONS as readonly string[]).includes(value)) return value as ActivationName;
  throw new ConfigError(`${key}: expected one of ${ACTIVATIONS.join(', ')} but got '${value}'`);
}

/** A layer applying the named activation elementwise (shape unchanged). */
export function activationLayer(name: ActivationName, leakyReluAlpha = 0.2): tfjs.layers.Layer {
  if (name === 'leakyRelu') return tf.layers.leakyReLU({ alpha: leakyReluAlpha });
  return tf.layers.activation({ activation: name });
}
