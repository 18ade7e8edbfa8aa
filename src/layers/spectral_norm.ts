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

function l2normalize(x: tfjs.Tensor): tfjs.Tensor {
  return tf.div(x, tf.add(tf.sqrt(tf.sum(tf.square(x))), EPS));
}

/**
 * Estimate of the largest singular value of `w` [n, m] from the persistent `u` [m]: sigma = |W u|.
 * training: first one power iteration, v = W u / |W u|, u <- W^T v / |W^T v| (written into the variable), then sigma
 * from the new u. Inference: sigma from the stored u, which is left unchanged (so outputs are deterministic).
 * The gradient of sigma w.r.t. W is v u^T with v = W u / |W u| and u held constant, the paper's gradient: u is read
 * from the variable after the write, so the tape never links it to W (and never backprops through the iteration).
 */
export function spectralSigma(w: tfjs.Tensor2D, u: tfjs.LayerVariable, training: boolean): tfjs.Scalar {
  const m = w.shape[1];
  if (training) {
    const next = tf.tidy(() => {
      const v = l2normalize(tf.matMul(w, tf.reshape(u.read(), [m, 1])));
      return tf.reshape(l2normalize(tf.matMul(w, v, true, false)), [m]);
    });
    u.write(next);
    next.dispose(); // the variable keeps its own reference to the data
  }
  const wu = tf.matMul(w, tf.reshape(u.read(), [m, 1]));
  return tf.sqrt(tf.sum(tf.square(wu))) as tfjs.Scalar;
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
