// Layer factories shared by the MLP and DCGAN builders: plain or spectrally normalised, seeded init.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { ConfigError } from '../errors.js';
import { Rng } from '../random.js';
import { kernelInitializer } from '../layers/spectral_norm.js';
import { spectralNormDense } from '../layers/spectral_norm.js';
import { spectralNormConv2d, spectralNormConv2dTranspose } from '../layers/spectral_norm_conv.js';
import { unfusedConv2d, unfusedDense } from '../layers/unfused.js';

/** Builds layers for one model: one seeded stream of per-layer seeds, one init scheme, SN on or off. */
export class LayerFactory {
  private readonly rng: Rng | null;

  constructor(
    private readonly spectralNorm: boolean,
    private readonly initStddev: number | undefined,
    seed: number | undefined,
  ) {
    this.rng = seed === undefined ? null : new Rng(seed);
  }

  private nextSeed(): number | undefined {
    return this.rng === null ? undefined : this.rng.int(2 ** 31);
  }

  private init(seed: number | undefined): ReturnType<typeof kernelInitializer> {
    return kernelInitializer(this.initStddev, seed);
  }

  private snArgs(seed: number | undefined): { initStddev?: number; seed?: number } {
    return { ...(this.initStddev === undefined ? {} : { initStddev: this.initStddev }), ...(seed === undefined ? {} : { seed }) };
  }

  dense(units: number, useBias = true, name?: string): tfjs.layers.Layer {
    const seed = this.nextSeed();
    const named = name === undefined ? {} : { name };
    if (this.spectralNorm) return spectralNormDense({ units, useBias, ...this.snArgs(seed), ...named });
    return unfusedDense({ units, useBias, kernelInitializer: this.init(seed), ...named });
  }

  conv(filters: number, kernelSize: number, strides: number, useBias: boolean): tfjs.layers.Layer {
    const seed = this.nextSeed();
    if (this.spectralNorm) return spectralNormConv2d({ filters, kernelSize, strides, padding: 'same', useBias, ...this.snArgs(seed) });
    return unfusedConv2d({ filters, kernelSize, strides, padding: 'same', useBias, kernelInitializer: this.init(seed) });
  }

  convTranspose(filters: number, kernelSize: number, strides: number, useBias: boolean): tfjs.layers.Layer {
    const seed = this.nextSeed();
    if (this.spectralNorm) {
      return spectralNormConv2dTranspose({ filters, kernelSize, strides, padding: 'same', useBias, ...this.snArgs(seed) });
    }
    return tf.layers.conv2dTranspose({ filters, kernelSize, strides, padding: 'same', useBias, kernelInitializer: this.init(seed) });
  }
}

/** Normalisation layers a builder accepts. 'layer' normalises each sample over all its non-batch axes. */
/** Normalization layers a builder offers. */
export const NORMALIZATIONS = ['batch', 'layer', 'none'] as const;
export type Normalization = (typeof NORMALIZATIONS)[number];

/**
 * A normalisation layer for an input of rank `rank` (batch included), or null for 'none'.
 * BatchNorm uses momentum 0.9 and epsilon 1e-5 (PyTorch's 0.1 / 1e-5 convention, as in the DCGAN reference).
 */
export function normalizationLayer(kind: Normalization, rank: number): tfjs.layers.Layer | null {
  if (kind === 'none') return null;
  if (kind === 'batch') return tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
  const axes = Array.from({ length: rank - 1 }, (_, i) => i + 1);
  return tf.layers.layerNormalization({ axis: axes.length === 1 ? -1 : axes, epsilon: 1e-5 });
}

/** Applies `layer` to a symbolic tensor (tfjs's apply returns a union type). */
export function apply(layer: tfjs.layers.Layer, x: tfjs.SymbolicTensor | tfjs.SymbolicTensor[]): tfjs.SymbolicTensor {
  return layer.apply(x) as tfjs.SymbolicTensor;
}

/** Throws ConfigError unless `value` is a positive integer. */
export function checkPositiveInt(value: number, key: string): number {
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${key}: expected a positive integer but got ${value}`);
  return value;
}

/** Throws ConfigError unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(value: T, allowed: readonly T[], key: string): T {
  if (!allowed.includes(value)) throw new ConfigError(`${key}: expected one of ${allowed.join(', ')} but got '${value}'`);
  return value;
}
