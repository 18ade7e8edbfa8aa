// AC-GAN (Odena et al. 2017): D's class head, its loss in the D step (real batch only) and in the G step (G's fakes
// against the labels asked for), checked against the same cross-entropy computed by hand from the model's outputs.
import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../../src/errors.js';
import { dcganDiscriminator, dcganGenerator } from '../../src/models/dcgan.js';
import { Rng } from '../../src/random.js';
import { DEFAULT_STEP_CONFIG, discriminatorStep, generatorStep, readLosses, sampleLatent, withFrozenState, type GanModels } from '../../src/train/steps.js';
import { loadPreset, resolveConfig } from '../../src/train/config.js';
import { buildModels } from '../../src/train/build.js';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';
import { crossEntropy, expectClose } from '../helpers/cross_entropy.js';

beforeAll(async () => {
  await testBackend();
});

const CLASSES = 3;

function acPair(seed = 1): GanModels {
  const common = { imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3, numClasses: CLASSES };
  return {
    generator: dcganGenerator({ ...common, latentDim: 4, seed }),
    discriminator: dcganDiscriminator({ ...common, conditioning: 'projection', auxiliaryClassifier: true, normalization: 'batch', seed: seed + 1 }),
  };
}



describe('AC-GAN discriminator and steps', () => {
  it('build a D with two outputs (logit, class logits) only for projection conditioning', () => {
    const { discriminator } = acPair();
    expect(discriminator.outputs.map((o) => o.shape)).toEqual([[null, 1], [null, CLASSES]]);
    expect(() => dcganDiscriminator({ imageSize: 16, channels: 1, baseWidth: 2, numClasses: CLASSES, auxiliaryClassifier: true }))
      .toThrow(/expected numClasses and conditioning 'projection' but got conditioning 'concat'/);
    expect(() => dcganDiscriminator({ imageSize: 16, channels: 1, baseWidth: 2, conditioning: 'projection', auxiliaryClassifier: true }))
      .toThrow(ConfigError);
  });

  it("add the weighted cross-entropy of D's class head on the real batch to D's loss", async () => {
    const models = acPair();
    const x = tf.randomUniform([6, 16, 16, 1], -1, 1, 'float32', 3);
    const labels = [0, 1, 2, 2, 1, 0];
    const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES).toFloat();
    const [, classLogits] = withFrozenState(models.discriminator, () => models.discriminator.apply([x, onehot], { training: true }) as tfjs.Tensor[]);
    const want = await crossEntropy(classLogits!, labels);
    const weight = 0.7;
    const d = await readLosses(discriminatorStep(models, tf.train.adam(1e-3), { x, labels: tf.tensor1d(labels, 'int32') }, { ...DEFAULT_STEP_CONFIG, auxiliaryClassifierWeight: weight }, new Rng(5)));
    expectClose(d.classLoss, want);
    expectClose(d.loss, d.adversarialLoss + weight * d.classLoss);
    expect(d.classLoss).toBeGreaterThan(0.5); // an untrained 3-way head: near log 3 = 1.10, not 0
  });

  it("add the weighted cross-entropy of D's class head on G's fakes, against the labels asked for, to G's loss", async () => {
    const models = acPair();
    const rng = new Rng(9);
    // The step draws z and labels from the Rng first: replay them from a copy of its state.
    const { z, labels } = sampleLatent(models.generator, 5, Rng.fromState(rng.getState()));
    const requested = Array.from(await labels!.argMax(-1).data());
    const out = withFrozenState(models.generator, () => withFrozenState(models.discriminator, () => {
      const fake = models.generator.apply([z, labels!], { training: true }) as tfjs.Tensor;
      return models.discriminator.apply([fake, labels!], { training: true }) as tfjs.Tensor[];
    }));
    const wantClass = await crossEntropy(out[1]!, requested);
    const wantAdversarial = (await (tf.mean(tf.softplus(tf.neg(out[0]!)))).data())[0]!; // non-saturating: -log sigmoid
    const weight = 2;
    const g = await readLosses(generatorStep(models, tf.train.adam(1e-3), 5, { ...DEFAULT_STEP_CONFIG, auxiliaryClassifierWeight: weight }, rng));
    expectClose(g.classLoss, wantClass);
    expectClose(g.loss, wantAdversarial + weight * wantClass);
  });

  it('report a class loss of 0 and leave the loss alone when the weight is 0 (the class head is then unused)', async () => {
    const models = acPair();
    const x = tf.randomUniform([4, 16, 16, 1], -1, 1, 'float32', 4);
    const d = await readLosses(discriminatorStep(models, tf.train.adam(1e-3), { x, labels: tf.tensor1d([0, 1, 2, 0], 'int32') }, DEFAULT_STEP_CONFIG, new Rng(1)));
    expect(d.classLoss).toBe(0);
    expectClose(d.loss, d.adversarialLoss);
  });

  it("learn the real batch's classes: D's class loss falls when only the class term trains it", async () => {
    // Three classes of flat images (-0.8, 0, 0.8): trivially separable, so 60 Adam steps must cut the loss by 10x.
    const models = acPair(3);
    const labels = Array.from({ length: 12 }, (_, i) => i % CLASSES);
    const x = tf.tidy(() => tf.stack(labels.map((c) => tf.fill([16, 16, 1], -0.8 + 0.8 * c))));
    const optimizer = tf.train.adam(1e-2);
    const config = { ...DEFAULT_STEP_CONFIG, loss: 'leastSquares' as const, auxiliaryClassifierWeight: 1 };
    const rng = new Rng(2);
    const first = await readLosses(discriminatorStep(models, optimizer, { x, labels: tf.tensor1d(labels, 'int32') }, config, rng));
    let last = first;
    for (let i = 0; i < 60; i++) last = await readLosses(discriminatorStep(models, optimizer, { x, labels: tf.tensor1d(labels, 'int32') }, config, rng));
    expect(last.classLoss).toBeLessThan(first.classLoss / 10);
  });

  it('refuse a one-output D when the weight is set, and a config that cannot have a class head', () => {
    const models = { generator: acPair().generator, discriminator: dcganDiscriminator({ imageSize: 16, channels: 1, baseWidth: 2, numClasses: CLASSES, conditioning: 'projection' }) };
    const x = tf.randomUniform([2, 16, 16, 1], -1, 1);
    expect(() => discriminatorStep(models, tf.train.adam(1e-3), { x, labels: tf.tensor1d([0, 1], 'int32') }, { ...DEFAULT_STEP_CONFIG, auxiliaryClassifierWeight: 1 }, new Rng(1)))
      .toThrow(ShapeError);
    expect(() => discriminatorStep(models, tf.train.adam(1e-3), { x, labels: tf.tensor1d([0, 1], 'int32') }, { ...DEFAULT_STEP_CONFIG, auxiliaryClassifierWeight: 1 }, new Rng(1)))
      .toThrow(/expected outputs logits \[batch, 1\], class logits \[batch, 3\] \(auxiliaryClassifierWeight > 0\) but got \[batch, 1\]$/);
    expect(() => resolveConfig(loadPreset('mnist-cdcgan'), { auxiliaryClassifierWeight: 1, conditioning: 'concat' }))
      .toThrow(/auxiliaryClassifierWeight: a class head needs a conditional \(or clusters\) dcgan with conditioning 'projection'/);
    expect(() => resolveConfig(loadPreset('mnist-dcgan'), { clusters: 0, auxiliaryClassifierWeight: 1 })).toThrow(/but got conditional false, clusters 0$/);
    // The npm start preset has the head: its D has two outputs.
    expect(buildModels(resolveConfig(loadPreset('mnist-cdcgan'))).discriminator.outputs.map((o) => o.shape)).toEqual([[null, 1], [null, 10]]);
  });
});
