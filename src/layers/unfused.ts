// Conv2D and Dense layers whose backward pass computes only the gradients it is asked for.
//
// tfjs-layers' Conv2D and Dense call tfjs-core's fused ops (`fused.conv2d`, `fused.matMul`), whose gradient is one
// custom function that computes the input, weight and bias gradients together, needed or not. A GAN pays for that
// twice per step: the generator update backpropagates through D and computes every D weight gradient only to drop
// it, and the discriminator update computes the gradient of D's first layer with respect to the images. In the
// reference DCGAN step on wasm that is ~80 ms of ~1,250 (two filter gradients, two input gradients of the first
// layer, the gradient with respect to z). Written as conv2d / matMul + add + activation, each gradient is a
// separate lazy function that the tape runs only for inputs on the path to the variables being differentiated.
//
// The layers keep the stock class names ('Conv2D', 'Dense') and configs: a saved model loads anywhere as the stock
// layers, with the same numbers (on cpu the fused kernels also add the bias after the product; XNNPACK folds the bias
// into its accumulators, which can differ in the last bit).
import type * as tfjs from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { tf } from '../tf.js';

type LayerClass = new (args: never) => tfjs.layers.Layer;
type Registration = [unknown, unknown];

/** The [class, fromConfig] pair tfjs-layers registered under `name` (the layer classes are not exported). */
function stockRegistration(name: string): Registration {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[name];
  if (!entry) throw new Error(`tfjs-layers has no registered '${name}' layer class`);
  return entry as unknown as Registration;
}

function stockLayerClass(name: string): LayerClass {
  return stockRegistration(name)[0] as LayerClass;
}

/** The fields of tfjs-layers' Conv2D and Dense that `call` reads (they are not in the public typings). */
interface StockFields {
  kernel: tfjs.LayerVariable;
  bias: tfjs.LayerVariable | null;
  activation: { apply(x: Tensor): Tensor } | null;
  strides: number[];
  padding: 'same' | 'valid' | 'causal';
  dataFormat: 'channelsLast' | 'channelsFirst';
  dilationRate: number | number[];
}

function single(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

const Conv2DBase = stockLayerClass('Conv2D') as unknown as typeof tfjs.layers.Layer;
const DenseBase = stockLayerClass('Dense') as unknown as typeof tfjs.layers.Layer;

/** tf.layers.conv2d with separate conv2d, bias add and activation (NHWC; other layouts use the stock call). */
export class UnfusedConv2D extends Conv2DBase {
  static className = 'Conv2D';

  override call(inputs: Tensor | Tensor[], kwargs: tfjs.serialization.ConfigDict): Tensor | Tensor[] {
    const self = this as unknown as StockFields;
    if (self.dataFormat !== 'channelsLast' || self.padding === 'causal') return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const x = single(inputs) as tfjs.Tensor4D;
      let y: Tensor = tf.conv2d(x, self.kernel.read() as tfjs.Tensor4D, self.strides as [number, number], self.padding as 'same' | 'valid',
        'NHWC', self.dilationRate as [number, number]);
      if (self.bias) y = tf.add(y, self.bias.read());
      return self.activation ? self.activation.apply(y) : y;
    });
  }
}

/** tf.layers.dense with separate matMul, bias add and activation (rank-2 inputs; others use the stock call). */
export class UnfusedDense extends DenseBase {
  static className = 'Dense';

  override call(inputs: Tensor | Tensor[], kwargs: tfjs.serialization.ConfigDict): Tensor | Tensor[] {
    const self = this as unknown as StockFields;
    const x = single(inputs);
    if (x.rank !== 2) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      let y: Tensor = tf.matMul(x as tfjs.Tensor2D, self.kernel.read() as tfjs.Tensor2D);
      if (self.bias) y = tf.add(y, self.bias.read());
      return self.activation ? self.activation.apply(y) : y;
    });
  }
}

/** Same arguments as `tf.layers.conv2d`. */
export function unfusedConv2d(args: Parameters<typeof tf.layers.conv2d>[0]): tfjs.layers.Layer {
  return new (UnfusedConv2D as unknown as new (a: typeof args) => tfjs.layers.Layer)(args);
}

/** Same arguments as `tf.layers.dense`. */
export function unfusedDense(args: Parameters<typeof tf.layers.dense>[0]): tfjs.layers.Layer {
  return new (UnfusedDense as unknown as new (a: typeof args) => tfjs.layers.Layer)(args);
}

/**
 * Runs `load` (a `tf.models.modelFromJSON` call) with 'Conv2D' and 'Dense' registered as these classes, so a saved
 * model comes back computing bit for bit what it computed before it was saved; the stock registrations are
 * restored afterwards. (Passing them as `customObjects` does not work for Sequential models in tfjs-layers 4.22:
 * Sequential.fromConfig drops them and the global lookup reads the key 'className'.)
 */
export async function withUnfusedLayers<T>(load: () => Promise<T>): Promise<T> {
  const map = tf.serialization.SerializationMap.getMap().classNameMap as Record<string, unknown>;
  const saved = { Conv2D: map.Conv2D, Dense: map.Dense };
  map.Conv2D = [UnfusedConv2D, stockRegistration('Conv2D')[1]];
  map.Dense = [UnfusedDense, stockRegistration('Dense')[1]];
  try {
    return await load();
  } finally {
    map.Conv2D = saved.Conv2D;
    map.Dense = saved.Dense;
  }
}
