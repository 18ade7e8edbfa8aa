// Spectrally normalised Conv2D and Conv2DTranspose (Miyato et al. 2018): the kernel reshaped to a matrix, one power
// iteration per training call. Layout NHWC, tfjs filter layouts.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { kernelInitializer, spectralSigma, uInitializer, type BaseLayerArgs, type SpectralNormOptions } from './spectral_norm.js';

export interface SpectralNormConvArgs extends BaseLayerArgs, SpectralNormOptions {
  filters: number;
  kernelSize: number;
  strides?: number;
  padding?: 'same' | 'valid';
}

function singleShape(inputShape: tfjs.Shape | tfjs.Shape[]): tfjs.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfjs.Shape;
}

function convOutSize(size: number | null, kernel: number, stride: number, padding: 'same' | 'valid'): number | null {
  if (size === null) return null;
  return padding === 'same' ? Math.ceil(size / stride) : Math.ceil((size - kernel + 1) / stride);
}

function deconvOutSize(size: number | null, kernel: number, stride: number, padding: 'same' | 'valid'): number | null {
  if (size === null) return null;
  return padding === 'same' ? size * stride : size * stride + Math.max(kernel - stride, 0);
}

/** Shared weights and config of the two conv layers. `kernelDims` orders the 4-D filter as tfjs expects. */
abstract class SpectralNormConvBase extends tf.layers.Layer {
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: 'same' | 'valid';
  readonly useBias: boolean;
  readonly initStddev: number | undefined;
  readonly seed: number | undefined;
  protected kernel: tfjs.LayerVariable | null = null;
  protected bias: tfjs.LayerVariable | null = null;
  protected u: tfjs.LayerVariable | null = null;

  constructor(args: SpectralNormConvArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides ?? 1;
    this.padding = args.padding ?? 'same';
    this.useBias = args.useBias ?? true;
    this.initStddev = args.initStddev;
    this.seed = args.seed;
  }

  /** Filter shape for `inChannels` input channels. */
  protected abstract kernelShape(inChannels: number): [number, number, number, number];

  override build(inputShape: tfjs.Shape | tfjs.Shape[]): void {
    const shape = singleShape(inputShape);
    const kernelShape = this.kernelShape(shape[shape.length - 1]!);
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', kernelInitializer(this.initStddev, this.seed));
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.u = this.addWeight('u', [kernelShape[3]], 'float32', uInitializer(this.seed), undefined, false);
    this.built = true;
  }

  /** kernel / sigma, sigma from the kernel reshaped to [kh*kw*dim2, dim3]. */
  protected normalizedKernel(training: boolean): tfjs.Tensor4D {
    const w = this.kernel!.read() as tfjs.Tensor4D;
    const matrix = tf.reshape(w, [-1, w.shape[3]]) as tfjs.Tensor2D;
    return tf.div(w, spectralSigma(matrix, this.u!, training));
  }

  /** Current sigma estimate (no power iteration): scalar. */
  sigma(): tfjs.Scalar {
    return tf.tidy(() => {
      const w = this.kernel!.read();
      return spectralSigma(tf.reshape(w, [-1, w.shape[3]!]) as tfjs.Tensor2D, this.u!, false);
    });
  }

  override getConfig(): tfjs.serialization.ConfigDict {
    const config: tfjs.serialization.ConfigDict = {
      filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, useBias: this.useBias,
    };
    if (this.initStddev !== undefined) config['initStddev'] = this.initStddev;
    if (this.seed !== undefined) config['seed'] = this.seed;
    return { ...super.getConfig(), ...config };
  }
}

/**
 * Conv2D with a spectrally normalised kernel. Input [batch, h, w, inC] -> [batch, h', w', filters].
 * Weights: kernel [k, k, inC, filters], bias [filters], u [filters] (not trainable).
 */
export class SpectralNormConv2D extends SpectralNormConvBase {
  static className = 'SpectralNormConv2D';

  protected kernelShape(inChannels: number): [number, number, number, number] {
    return [this.kernelSize, this.kernelSize, inChannels, this.filters];
  }

  override computeOutputShape(inputShape: tfjs.Shape | tfjs.Shape[]): tfjs.Shape {
    const [b, h, w] = singleShape(inputShape);
    const out = (s: number | null | undefined) => convOutSize(s ?? null, this.kernelSize, this.strides, this.padding);
    return [b ?? null, out(h), out(w), this.filters];
  }

  override call(inputs: tfjs.Tensor | tfjs.Tensor[], kwargs: Record<string, unknown>): tfjs.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tfjs.Tensor4D;
      let y: tfjs.Tensor = tf.conv2d(x, this.normalizedKernel(kwargs['training'] === true), this.strides, this.padding);
      if (this.bias) y = tf.add(y, this.bias.read());
      return y;
    });
  }
}
tf.serialization.registerClass(SpectralNormConv2D);

/**
 * Conv2DTranspose with a spectrally normalised kernel. Input [batch, h, w, inC] -> [batch, h*s, w*s, filters]
 * ('same'). Weights: kernel [k, k, filters, inC] (tfjs layout), bias [filters], u [inC] (not trainable).
 */
export class SpectralNormConv2DTranspose extends SpectralNormConvBase {
  static className = 'SpectralNormConv2DTranspose';

  protected kernelShape(inChannels: number): [number, number, number, number] {
    return [this.kernelSize, this.kernelSize, this.filters, inChannels];
  }

  override computeOutputShape(inputShape: tfjs.Shape | tfjs.Shape[]): tfjs.Shape {
    const [b, h, w] = singleShape(inputShape);
    const out = (s: number | null | undefined) => deconvOutSize(s ?? null, this.kernelSize, this.strides, this.padding);
    return [b ?? null, out(h), out(w), this.filters];
  }

  override call(inputs: tfjs.Tensor | tfjs.Tensor[], kwargs: Record<string, unknown>): tfjs.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tfjs.Tensor4D;
      const [batch, h, w] = x.shape;
      const outShape: [number, number, number, number] = [
        batch,
        deconvOutSize(h, this.kernelSize, this.strides, this.padding)!,
        deconvOutSize(w, this.kernelSize, this.strides, this.padding)!,
        this.filters,
      ];
      const kernel = this.normalizedKernel(kwargs['training'] === true);
      let y: tfjs.Tensor = tf.conv2dTranspose(x, kernel, outShape, this.strides, this.padding);
      if (this.bias) y = tf.add(y, this.bias.read());
      return y;
    });
  }
}
tf.serialization.registerClass(SpectralNormConv2DTranspose);

/** A SpectralNormConv2D layer (see the class). */
export function spectralNormConv2d(args: SpectralNormConvArgs): SpectralNormConv2D {
  return new SpectralNormConv2D(args);
}

/** A SpectralNormConv2DTranspose layer (see the class). */
export function spectralNormConv2dTranspose(args: SpectralNormConvArgs): SpectralNormConv2DTranspose {
  return new SpectralNormConv2DTranspose(args);
}
