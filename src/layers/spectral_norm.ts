// Spectral normalisation (Miyato et al. 2018, "Spectral Normalization for GANs"): power iteration and a dense layer.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';

/** A tfjs-layers weight initializer. */
export type Initializer = ReturnType<typeof tfjs.initializers.glorotUniform>;

/** Base options of every tfjs layer (name, inputShape, trainable, ...). */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Options shared by the spectral-norm layers. All JSON-serialisable, so they survive getConfig/registerClass. */
export interface SpectralNormOptions {
  /** Kernel init: normal(0, initStddev) when set (DCGAN uses 0.02), else Glorot uniform. */
  initStddev?: number;
  /** Seed for the kernel and `u` initializers (unseeded when absent). */
  seed?: number;
  /** Whether the layer adds a bias (default true). */
  useBias?: boolean;
}

const EPS = 1e-12;

// Identity forward, zero gradient: u and v of the power iteration are constants for backprop, as in the paper
// (the gradient of sigma w.r.t. W is then u v^T). tfjs 4.22 has no stopGradient op.
const detach = tf.customGrad((x: tfjs.Tensor | tfjs.GradSaveFunc) => {
  const t = x as tfjs.Tensor;
  return { value: t.clone(), gradFunc: (dy: tfjs.Tensor) => tf.zerosLike(dy) };
}) as (x: tfjs.Tensor) => tfjs.Tensor;

function l2normalize(x: tfjs.Tensor): tfjs.Tensor {
  return tf.div(x, tf.add(tf.norm(x), EPS));
}

/**
 * Estimate of the largest singular value of `w` [n, m] from the persistent `u` [m].
 * training: one power iteration, v = W u / |W u|, u' = W^T v / |W^T v|, sigma = v^T W u', and `u` is overwritten
 * with u'. Inference: v from the stored u and sigma = v^T W u, `u` unchanged (so outputs are deterministic).
 * Returns sigma as a scalar; gradients flow into `w` only (u, v are held constant).
 */
export function spectralSigma(w: tfjs.Tensor2D, u: tfjs.LayerVariable, training: boolean): tfjs.Scalar {
  const m = w.shape[1];
  let uCol = tf.reshape(u.read(), [m, 1]);
  const v = detach(l2normalize(tf.matMul(w, uCol)));
  if (training) {
    uCol = detach(l2normalize(tf.matMul(w, v, true, false)));
    u.write(tf.reshape(uCol, [m]));
  }
  return tf.sum(tf.mul(v, tf.matMul(w, uCol))) as tfjs.Scalar;
}

/** Initializer for kernels: normal(0, stddev) or Glorot uniform, seeded when `seed` is given. */
export function kernelInitializer(initStddev: number | undefined, seed: number | undefined): Initializer {
  const seedArg = seed === undefined ? {} : { seed };
  return initStddev === undefined
    ? tf.initializers.glorotUniform(seedArg)
    : tf.initializers.randomNormal({ mean: 0, stddev: initStddev, ...seedArg });
}

/** Initializer of `u`: a seeded standard normal (normalised on first use). */
export function uInitializer(seed: number | undefined): Initializer {
  return tf.initializers.randomNormal({ mean: 0, stddev: 1, ...(seed === undefined ? {} : { seed: seed + 7919 }) });
}

export interface SpectralNormDenseArgs extends BaseLayerArgs, SpectralNormOptions {
  units: number;
}

/**
 * Dense layer with a spectrally normalised kernel: y = x (W / sigma(W)) + b.
 * Input [batch, inDim] -> output [batch, units]. Weights: kernel [inDim, units], bias [units], u [units] (not trainable).
 */
export class SpectralNormDense extends tf.layers.Layer {
  static className = 'SpectralNormDense';
  readonly units: number;
  readonly useBias: boolean;
  readonly initStddev: number | undefined;
  readonly seed: number | undefined;
  private kernel: tfjs.LayerVariable | null = null;
  private bias: tfjs.LayerVariable | null = null;
  private u: tfjs.LayerVariable | null = null;

  constructor(args: SpectralNormDenseArgs) {
    super(args);
    this.units = args.units;
    this.useBias = args.useBias ?? true;
    this.initStddev = args.initStddev;
    this.seed = args.seed;
  }

  override build(inputShape: tfjs.Shape | tfjs.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfjs.Shape;
    const inDim = shape[shape.length - 1]!;
    this.kernel = this.addWeight('kernel', [inDim, this.units], 'float32', kernelInitializer(this.initStddev, this.seed));
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros());
    this.u = this.addWeight('u', [this.units], 'float32', uInitializer(this.seed), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfjs.Shape | tfjs.Shape[]): tfjs.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfjs.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tfjs.Tensor | tfjs.Tensor[], kwargs: Record<string, unknown>): tfjs.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const w = this.kernel!.read() as tfjs.Tensor2D;
      const sigma = spectralSigma(w, this.u!, kwargs['training'] === true);
      let y = tf.matMul(x as tfjs.Tensor2D, tf.div(w, sigma));
      if (this.bias) y = tf.add(y, this.bias.read());
      return y;
    });
  }

  /** Current sigma estimate (no power iteration): scalar. */
  sigma(): tfjs.Scalar {
    return tf.tidy(() => spectralSigma(this.kernel!.read() as tfjs.Tensor2D, this.u!, false));
  }

  override getConfig(): tfjs.serialization.ConfigDict {
    const config: tfjs.serialization.ConfigDict = { units: this.units, useBias: this.useBias };
    if (this.initStddev !== undefined) config['initStddev'] = this.initStddev;
    if (this.seed !== undefined) config['seed'] = this.seed;
    return { ...super.getConfig(), ...config };
  }
}
tf.serialization.registerClass(SpectralNormDense);

/** A SpectralNormDense layer (see the class). */
export function spectralNormDense(args: SpectralNormDenseArgs): SpectralNormDense {
  return new SpectralNormDense(args);
}
