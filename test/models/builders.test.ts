import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { dcganDiscriminator, dcganGenerator, dcganLadder } from '../../src/models/dcgan.js';
import { mlpDiscriminator, mlpGenerator } from '../../src/models/mlp.js';
import { Rng } from '../../src/random.js';
import { DEFAULT_STEP_CONFIG, discriminatorStep, generatorStep, readLosses } from '../../src/train/steps.js';
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';

beforeAll(async () => {
  await testBackend();
});

function outShape(model: tfjs.LayersModel, inputs: tfjs.Tensor[]): number[] {
  return tf.tidy(() => (model.apply(inputs.length === 1 ? inputs[0]! : inputs, { training: true }) as tfjs.Tensor).shape);
}

describe('MLP builders', () => {
  it('map z [4, 3] to [4, 2] and x [4, 2] to one logit each', () => {
    const G = mlpGenerator({ latentDim: 3, hiddenUnits: [8, 8], outputDim: 2, seed: 1 });
    const D = mlpDiscriminator({ inputDim: 2, hiddenUnits: [8], seed: 2, normalization: 'layer', spectralNorm: true });
    const z = tf.zeros([4, 3]);
    expect(outShape(G, [z])).toEqual([4, 2]);
    expect(outShape(D, [tf.zeros([4, 2])])).toEqual([4, 1]);
  });

  it('take the one-hot label as a second input when conditional', () => {
    const G = mlpGenerator({ latentDim: 3, hiddenUnits: [8], outputDim: 2, numClasses: 5 });
    const D = mlpDiscriminator({ inputDim: 2, hiddenUnits: [8], numClasses: 5 });
    expect(G.inputs.map((i) => i.shape)).toEqual([[null, 3], [null, 5]]);
    expect(outShape(D, [tf.zeros([4, 2]), tf.oneHot([0, 1, 2, 4], 5).toFloat()])).toEqual([4, 1]);
  });

  it('give the same weights for the same seed', async () => {
    const a = mlpGenerator({ latentDim: 3, hiddenUnits: [8], outputDim: 2, seed: 7 }).getWeights();
    const b = mlpGenerator({ latentDim: 3, hiddenUnits: [8], outputDim: 2, seed: 7 }).getWeights();
    for (const [i, w] of a.entries()) expect(Array.from(await w.data())).toEqual(Array.from(await b[i]!.data()));
  });

  it('reject an unknown activation naming the key', () => {
    expect(() => mlpDiscriminator({ inputDim: 2, hiddenUnits: [8], activation: 'gelu' as 'relu' })).toThrow(
      new ConfigError("discriminator.activation: expected one of relu, leakyRelu, tanh, elu, sigmoid, softplus, linear but got 'gelu'"),
    );
  });
});

describe('DCGAN builders', () => {
  it('halve 28 to 7, 32 and 64 to 4, 16 to 4', () => {
    expect(dcganLadder(28)).toEqual({ startSize: 7, halvings: 2 });
    expect(dcganLadder(32)).toEqual({ startSize: 4, halvings: 3 });
    expect(dcganLadder(64)).toEqual({ startSize: 4, halvings: 4 });
    expect(dcganLadder(16)).toEqual({ startSize: 4, halvings: 2 });
    expect(() => dcganLadder(7)).toThrow(ConfigError);
  });

  for (const imageSize of [28, 32, 64]) {
    for (const channels of [1, 3]) {
      it(`build a ${imageSize}x${imageSize}x${channels} G and D whose shapes chain, and train them one step`, async () => {
        const models = {
          generator: dcganGenerator({ latentDim: 8, imageSize, channels, baseWidth: 2, seed: 1 }),
          discriminator: dcganDiscriminator({ imageSize, channels, baseWidth: 2, seed: 2 }),
        };
        const maxAbs = tf.tidy(() => {
          const x = models.generator.apply(tf.randomNormal([2, 8]), { training: true }) as tfjs.Tensor;
          expect(x.shape).toEqual([2, imageSize, imageSize, channels]);
          expect((models.discriminator.apply(x, { training: true }) as tfjs.Tensor).shape).toEqual([2, 1]);
          return tf.max(tf.abs(x));
        });
        expect((await maxAbs.data())[0]!).toBeLessThanOrEqual(1); // tanh output
        maxAbs.dispose();
        const real = tf.randomUniform([2, imageSize, imageSize, channels], -1, 1);
        const rng = new Rng(1);
        const d = await readLosses(discriminatorStep(models, tf.train.sgd(1e-3), { x: real }, DEFAULT_STEP_CONFIG, rng));
        const g = await readLosses(generatorStep(models, tf.train.sgd(1e-3), 2, DEFAULT_STEP_CONFIG, rng));
        expect([d.loss, g.loss].every(Number.isFinite)).toBe(true);
        real.dispose();
      });
    }
  }

  it('build the TF-tutorial layer widths at 28x28 with base width 64', () => {
    const G = dcganGenerator({ latentDim: 100, imageSize: 28, channels: 1 });
    const shapes = G.layers.filter((l) => l.getClassName() === 'Conv2DTranspose').map((l) => l.outputShape);
    expect(shapes).toEqual([[null, 7, 7, 128], [null, 14, 14, 64], [null, 28, 28, 1]]);
    const D = dcganDiscriminator({ imageSize: 28, channels: 1, normalization: 'none' });
    expect(D.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.outputShape)).toEqual([[null, 14, 14, 64], [null, 7, 7, 128]]);
  });

  it('take labels as constant channels or through a projection when conditional', () => {
    const G = dcganGenerator({ latentDim: 8, imageSize: 16, channels: 1, baseWidth: 4, numClasses: 3 });
    for (const conditioning of ['concat', 'projection'] as const) {
      const D = dcganDiscriminator({ imageSize: 16, channels: 1, baseWidth: 4, numClasses: 3, conditioning, normalization: 'layer' });
      tf.tidy(() => {
        const y = tf.oneHot([0, 2], 3).toFloat();
        const x = G.apply([tf.randomNormal([2, 8]), y], { training: true }) as tfjs.Tensor;
        expect((D.apply([x, y], { training: true }) as tfjs.Tensor).shape).toEqual([2, 1]);
      });
    }
  });
});
