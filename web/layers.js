// Inference-only twins of the toolkit's custom layers (src/layers/spectral_norm.ts, spectral_norm_conv.ts,
// latent_code.ts), under the same class names, so checkpoints that use them load in the browser. At inference a spectral-norm layer
// divides its kernel by sigma = |W u| computed from the stored `u` (no power iteration): the same ops, in the same
// order, as the toolkit's call() with training false. (Its UnfusedConv2D/UnfusedDense keep the stock 'Conv2D' and
// 'Dense' names and configs, so those load as the stock layers with no twin needed.)
import { tf } from './tf.js';

const single = (x) => (Array.isArray(x) ? x[0] : x);
const shapeOf = (s) => (Array.isArray(s[0]) ? s[0] : s);

/** sigma = |W u| for the kernel as a matrix W [n, m] and u [m]. */
function sigma(matrix, u) {
  const wu = tf.matMul(matrix, tf.reshape(u, [matrix.shape[1], 1]));
  return tf.sqrt(tf.sum(tf.square(wu)));
}

/** kernel / sigma, sigma from the kernel reshaped to [-1, lastDim]. */
function normalized(kernel, u) {
  const w = kernel.read();
  return tf.div(w, sigma(tf.reshape(w, [-1, w.shape[w.rank - 1]]), u.read()));
}

/** Weights kernel, bias and u, as the toolkit names them (zeros until the checkpoint's weights load). */
function addWeights(layer, kernelShape, uSize) {
  const zeros = tf.initializers.zeros();
  layer.kernel = layer.addWeight('kernel', kernelShape, 'float32', zeros);
  layer.bias = layer.useBias ? layer.addWeight('bias', [layer.filters ?? layer.units], 'float32', zeros) : null;
  layer.u = layer.addWeight('u', [uSize], 'float32', zeros, undefined, false);
  layer.built = true;
}

class SpectralNormDense extends tf.layers.Layer {
  static className = 'SpectralNormDense';

  constructor(args) {
    super(args);
    this.args = args;
    this.units = args.units;
    this.useBias = args.useBias ?? true;
  }

  build(inputShape) {
    addWeights(this, [shapeOf(inputShape).at(-1), this.units], this.units);
  }

  computeOutputShape(inputShape) {
    return [...shapeOf(inputShape).slice(0, -1), this.units];
  }

  call(inputs) {
    return tf.tidy(() => {
      const y = tf.matMul(single(inputs), normalized(this.kernel, this.u));
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  getConfig() {
    const { units, useBias, initStddev, seed } = this.args;
    return { ...super.getConfig(), units, useBias: useBias ?? true, ...(initStddev === undefined ? {} : { initStddev }), ...(seed === undefined ? {} : { seed }) };
  }
}

/** Output size of a conv ('same' or 'valid') or transposed conv along one axis. */
const convSize = (n, k, s, padding) => (padding === 'same' ? Math.ceil(n / s) : Math.ceil((n - k + 1) / s));
const deconvSize = (n, k, s, padding) => (padding === 'same' ? n * s : n * s + Math.max(k - s, 0));

class SpectralNormConvBase extends tf.layers.Layer {
  constructor(args) {
    super(args);
    this.args = args;
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides ?? 1;
    this.padding = args.padding ?? 'same';
    this.useBias = args.useBias ?? true;
  }

  computeOutputShape(inputShape) {
    const [b, h, w] = shapeOf(inputShape);
    const size = (n) => (n == null ? null : this.outSize(n));
    return [b, size(h), size(w), this.filters];
  }

  getConfig() {
    const { initStddev, seed } = this.args;
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding,
      useBias: this.useBias, ...(initStddev === undefined ? {} : { initStddev }), ...(seed === undefined ? {} : { seed }),
    };
  }
}

class SpectralNormConv2D extends SpectralNormConvBase {
  static className = 'SpectralNormConv2D';

  build(inputShape) {
    addWeights(this, [this.kernelSize, this.kernelSize, shapeOf(inputShape).at(-1), this.filters], this.filters);
  }

  outSize(n) {
    return convSize(n, this.kernelSize, this.strides, this.padding);
  }

  call(inputs) {
    return tf.tidy(() => {
      const y = tf.conv2d(single(inputs), normalized(this.kernel, this.u), this.strides, this.padding);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }
}

class SpectralNormConv2DTranspose extends SpectralNormConvBase {
  static className = 'SpectralNormConv2DTranspose';

  build(inputShape) {
    const inChannels = shapeOf(inputShape).at(-1);
    addWeights(this, [this.kernelSize, this.kernelSize, this.filters, inChannels], inChannels);
  }

  outSize(n) {
    return deconvSize(n, this.kernelSize, this.strides, this.padding);
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      const [batch, h, w] = x.shape;
      const outShape = [batch, this.outSize(h), this.outSize(w), this.filters];
      const y = tf.conv2dTranspose(x, normalized(this.kernel, this.u), outShape, this.strides, this.padding);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }
}

/** src/layers/latent_code.ts: the last `categories` entries of z become the one-hot of their argmax (InfoGAN code). */
class LatentCode extends tf.layers.Layer {
  static className = 'LatentCode';

  constructor(args) {
    super(args);
    this.categories = args.categories;
  }

  computeOutputShape(inputShape) {
    return shapeOf(inputShape);
  }

  getConfig() {
    return { ...super.getConfig(), categories: this.categories };
  }

  call(inputs) {
    return tf.tidy(() => {
      const z = single(inputs);
      const continuous = tf.slice(z, [0, 0], [-1, z.shape[1] - this.categories]);
      const code = tf.argMax(tf.slice(z, [0, z.shape[1] - this.categories], [-1, this.categories]), 1);
      return tf.concat([continuous, tf.oneHot(code, this.categories).toFloat()], 1);
    });
  }
}

for (const layer of [SpectralNormDense, SpectralNormConv2D, SpectralNormConv2DTranspose, LatentCode]) tf.serialization.registerClass(layer);
