import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { buildModel } from '../../src/models/io.js';
import { Rng } from '../../src/random.js';
import { initBackend, tf } from '../../src/tf.js';
import { UnfusedConv2D, UnfusedDense, unfusedConv2d, unfusedDense } from '../../src/layers/unfused.js';
import { availableBackends, takeData } from '../setup.js';

const BACKENDS = await availableBackends();

/** A small critic: conv (bias) -> leaky ReLU -> conv (bias, relu) -> flatten -> dense (bias). */
function critic(conv: typeof unfusedConv2d, dense: typeof unfusedDense): LayersModel {
  return tf.sequential({ layers: [
    conv({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
    tf.layers.leakyReLU({ alpha: 0.2 }),
    conv({ filters: 3, kernelSize: 3, padding: 'valid', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), biasInitializer: 'ones' }),
    tf.layers.flatten(),
    dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: tf.initializers.constant({ value: 0.5 }) }),
  ] });
}

describe('unfused Conv2D and Dense layers', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  for (const backend of BACKENDS) {
    it(`compute the stock layers' outputs and weight gradients on ${backend} (cpu: bit for bit; wasm: XNNPACK folds the bias into its sums, webgpu: fused and plain shaders may sum in another order, 1e-5 + 1e-5|x|)`, async () => {
      await tf.setBackend(backend);
      const x = tf.tensor(new Rng(3).normalArray(5 * 8 * 8 * 2), [5, 8, 8, 2]);
      const ours = critic(unfusedConv2d, unfusedDense);
      const stock = critic(tf.layers.conv2d, tf.layers.dense);
      const run = async (model: LayersModel) => {
        const { value, grads } = tf.variableGrads(() => tf.sum(model.apply(x, { training: true }) as Tensor) as tfScalar, model.trainableWeights.map((w) => w.read() as tfVariable));
        const out = await Promise.all([value, ...model.trainableWeights.map((w) => grads[(w.read() as tfVariable).name]!)].map((t) => t.data()));
        tf.dispose([value, ...Object.values(grads)]);
        return out;
      };
      const a = await run(ours);
      const b = await run(stock);
      expect(a.length).toBe(b.length);
      for (let i = 0; i < a.length; i++) {
        if (backend === 'cpu') expect(Array.from(a[i]!), `array ${i}`).toEqual(Array.from(b[i]!));
        else for (let j = 0; j < a[i]!.length; j++) expect(Math.abs(a[i]![j]! - b[i]![j]!)).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(b[i]![j]!));
      }
      tf.dispose([x]);
      ours.dispose();
      stock.dispose();
    });
  }

  it('skip the weight gradients nobody asked for: backprop to the input runs no Conv2DBackpropFilter', async () => {
    await tf.setBackend('cpu');
    const x = tf.randomNormal([2, 8, 8, 2]);
    const count = async (model: LayersModel) => {
      const info = await tf.profile(() => tf.grad((input: Tensor) => tf.sum(model.apply(input) as Tensor))(x));
      tf.dispose(info.result as Tensor);
      return info.kernels.filter((k) => k.name === 'Conv2DBackpropFilter').length;
    };
    const ours = critic(unfusedConv2d, unfusedDense);
    const stock = critic(tf.layers.conv2d, tf.layers.dense);
    // stock: the first conv (linear) runs fused and computes its filter gradient; the second (relu) is not fused
    // under a gradient tape by tfjs-core itself.
    expect(await count(stock)).toBe(1);
    expect(await count(ours)).toBe(0);
    ours.dispose();
    stock.dispose();
    x.dispose();
  });

  it('serialise as the stock classes, so a saved model loads with plain tfjs and gives the same outputs', async () => {
    await tf.setBackend('cpu');
    const model = critic(unfusedConv2d, unfusedDense);
    expect(model.layers[0]).toBeInstanceOf(UnfusedConv2D);
    expect(model.layers[4]).toBeInstanceOf(UnfusedDense);
    const json = model.toJSON(undefined, false) as { config: { layers: { class_name: string }[] } };
    expect(json.config.layers.map((l) => l.class_name)).toEqual(['Conv2D', 'LeakyReLU', 'Conv2D', 'Flatten', 'Dense']);
    const loaded = await tf.models.modelFromJSON({ modelTopology: json as never });
    loaded.setWeights(model.getWeights());
    expect(loaded.layers[0]).not.toBeInstanceOf(UnfusedConv2D);
    const x = tf.randomNormal([3, 8, 8, 2]);
    expect(Array.from(await takeData(loaded.predict(x) as Tensor))).toEqual(Array.from(await takeData(model.predict(x) as Tensor)));
    model.dispose();
    loaded.dispose();
  });

  it('come back as unfused layers through the toolkit\'s loader (buildModel), with bit-identical outputs on wasm', async () => {
    await tf.setBackend('wasm');
    const model = critic(unfusedConv2d, unfusedDense);
    let artifacts: tfjs.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await buildModel(artifacts!, 'test');
    expect(loaded.layers[0]).toBeInstanceOf(UnfusedConv2D);
    expect(loaded.layers[4]).toBeInstanceOf(UnfusedDense);
    const x = tf.randomNormal([3, 8, 8, 2]);
    expect(Array.from(await takeData(loaded.predict(x) as Tensor))).toEqual(Array.from(await takeData(model.predict(x) as Tensor)));
    tf.dispose(x);
    model.dispose();
    loaded.dispose();
  });
});

type tfScalar = ReturnType<typeof tf.scalar>;
type tfVariable = ReturnType<typeof tf.variable>;
