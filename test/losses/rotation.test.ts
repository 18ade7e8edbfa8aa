// Rotation self-supervision (Chen et al. 2019): the quarter turns themselves, D's rotation head, and the rotation
// loss in the D step (rotated real batch) and the G step (G's rotated fakes), checked against a cross-entropy
// computed by hand from the model's own outputs.
import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { ShapeError } from '../../src/errors.js';
import { ROTATION_LOGITS, dcganDiscriminator, dcganGenerator } from '../../src/models/dcgan.js';
import { ROTATIONS, rotate90, rotateQuarters, rotationOf } from '../../src/losses/rotation.js';
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

const square = [[0, 1, 2], [3, 4, 5], [6, 7, 8]];
const asImage = (m: number[][]) => tf.tensor4d(m.flat(), [1, 3, 3, 1]);
const asMatrix = async (t: tfjs.Tensor) => (await t.array() as number[][][][])[0]!.map((row) => row.map((px) => px[0]!));

function pair(seed = 1, rotationHead = true): GanModels {
  const common = { imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3 };
  return {
    generator: dcganGenerator({ ...common, latentDim: 4, seed }),
    // No BatchNorm in D: its outputs are then a function of each image alone, so the hand computation below needs
    // no batch statistics.
    discriminator: dcganDiscriminator({ ...common, normalization: 'none', rotationHead, seed: seed + 1 }),
  };
}



describe('rotate90 and rotateQuarters', () => {
  it('turn a 3x3 image counter-clockwise by k quarter turns, written out by hand', async () => {
    expect(await asMatrix(rotate90(asImage(square) as tfjs.Tensor4D, 0))).toEqual(square);
    expect(await asMatrix(rotate90(asImage(square) as tfjs.Tensor4D, 1))).toEqual([[2, 5, 8], [1, 4, 7], [0, 3, 6]]);
    expect(await asMatrix(rotate90(asImage(square) as tfjs.Tensor4D, 2))).toEqual([[8, 7, 6], [5, 4, 3], [2, 1, 0]]);
    expect(await asMatrix(rotate90(asImage(square) as tfjs.Tensor4D, 3))).toEqual([[6, 3, 0], [7, 4, 1], [8, 5, 2]]);
  });

  it('cut a batch into four quarters turned 0-3 times, labels one-hot by position, for any batch size', async () => {
    expect(Array.from({ length: 6 }, (_, i) => rotationOf(i, 6))).toEqual([0, 0, 1, 2, 2, 3]);
    expect(Array.from({ length: 8 }, (_, i) => rotationOf(i, 8))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    for (const n of [1, 3, 6, 9]) {
      const x = tf.randomUniform([n, 5, 5, 2], -1, 1, 'float32', n) as tfjs.Tensor4D;
      const { rotated, labels } = rotateQuarters(x);
      expect(rotated.shape).toEqual([n, 5, 5, 2]);
      expect(Array.from(await labels.argMax(-1).data())).toEqual(Array.from({ length: n }, (_, i) => rotationOf(i, n)));
      for (let i = 0; i < n; i++) {
        const want = rotate90(tf.slice(x, [i, 0, 0, 0], [1, -1, -1, -1]), rotationOf(i, n));
        expect(Array.from(await tf.slice(rotated, [i, 0, 0, 0], [1, -1, -1, -1]).data())).toEqual(Array.from(await want.data()));
      }
    }
    expect(() => rotateQuarters(tf.zeros([2, 4, 5, 1]))).toThrow(/expected square images \[batch, S, S, channels\] but got \[2,4,5,1\]/);
  });
});

describe('rotation head and steps', () => {
  it('give D a last output, rotation logits [batch, 4], named ROTATION_LOGITS', () => {
    const { discriminator } = pair();
    expect(discriminator.outputs.map((o) => o.shape)).toEqual([[null, 1], [null, ROTATIONS]]);
    expect(discriminator.outputNames[1]).toBe(ROTATION_LOGITS);
  });

  it("add the weighted cross-entropy of D's rotation head on the rotated real batch to D's loss", async () => {
    const models = pair();
    const x = tf.randomUniform([8, 16, 16, 1], -1, 1, 'float32', 3);
    const turned = rotateQuarters(x);
    const [, rotationLogits] = models.discriminator.apply(turned.rotated, { training: true }) as tfjs.Tensor[];
    const want = await crossEntropy(rotationLogits!, Array.from({ length: 8 }, (_, i) => rotationOf(i, 8)));
    const weight = 0.7;
    const d = await readLosses(discriminatorStep(models, tf.train.adam(1e-3), { x }, { ...DEFAULT_STEP_CONFIG, rotationLossWeight: weight }, new Rng(5)));
    expectClose(d.rotationLoss, want);
    expectClose(d.loss, d.adversarialLoss + weight * d.rotationLoss);
    expect(d.rotationLoss).toBeGreaterThan(1); // an untrained 4-way head: near log 4 = 1.39, not 0
  });

  it("add the weighted cross-entropy of the head on G's rotated fakes to G's loss (and D's weight alone leaves G alone)", async () => {
    const models = pair();
    const rng = new Rng(9);
    // The step draws z from the Rng first: replay it from a copy of the Rng's state.
    const { z } = sampleLatent(models.generator, 6, Rng.fromState(rng.getState()));
    const out = withFrozenState(models.generator, () => {
      const fake = models.generator.apply(z, { training: true }) as tfjs.Tensor;
      const [logits] = models.discriminator.apply(fake, { training: true }) as tfjs.Tensor[];
      const [, rotationLogits] = models.discriminator.apply(rotateQuarters(fake).rotated, { training: true }) as tfjs.Tensor[];
      return { logits: logits!, rotationLogits: rotationLogits! };
    });
    const wantRotation = await crossEntropy(out.rotationLogits, Array.from({ length: 6 }, (_, i) => rotationOf(i, 6)));
    const wantAdversarial = (await tf.mean(tf.softplus(tf.neg(out.logits))).data())[0]!; // non-saturating: -log sigmoid
    const weight = 0.2;
    const g = await readLosses(generatorStep(models, tf.train.adam(1e-3), 6, { ...DEFAULT_STEP_CONFIG, rotationLossWeight: 1, generatorRotationLossWeight: weight }, new Rng(9)));
    expectClose(g.rotationLoss, wantRotation);
    expectClose(g.loss, wantAdversarial + weight * wantRotation);
    const alone = await readLosses(generatorStep(pair(), tf.train.adam(1e-3), 6, { ...DEFAULT_STEP_CONFIG, rotationLossWeight: 1 }, new Rng(9)));
    expect(alone.rotationLoss).toBe(0);
    expectClose(alone.loss, wantAdversarial);
  });

  it('learn to name the rotation of real images: the rotation loss falls when only that term trains D', async () => {
    // Images lit in their top-left corner: each quarter turn moves the bright corner, so 60 Adam steps must cut the
    // 4-way cross-entropy (log 4 = 1.39 at chance) by 10x.
    const models = pair(3);
    const x = tf.tidy(() => tf.pad(tf.ones([8, 6, 6, 1]), [[0, 0], [0, 10], [0, 10], [0, 0]], -1));
    const optimizer = tf.train.adam(1e-2);
    const config = { ...DEFAULT_STEP_CONFIG, loss: 'leastSquares' as const, rotationLossWeight: 1 };
    const rng = new Rng(2);
    const first = await readLosses(discriminatorStep(models, optimizer, { x }, config, rng));
    let last = first;
    for (let i = 0; i < 60; i++) last = await readLosses(discriminatorStep(models, optimizer, { x }, config, rng));
    expect(first.rotationLoss).toBeGreaterThan(1);
    expect(last.rotationLoss).toBeLessThan(first.rotationLoss / 10);
  });

  it('refuse a D without the head when a weight is set, and configs that cannot have one', () => {
    const models = pair(1, false);
    const x = tf.randomUniform([2, 16, 16, 1], -1, 1);
    expect(() => discriminatorStep(models, tf.train.adam(1e-3), { x }, { ...DEFAULT_STEP_CONFIG, rotationLossWeight: 1 }, new Rng(1)))
      .toThrow(ShapeError);
    expect(() => discriminatorStep(models, tf.train.adam(1e-3), { x }, { ...DEFAULT_STEP_CONFIG, rotationLossWeight: 1 }, new Rng(1)))
      .toThrow(/expected outputs logits \[batch, 1\], rotation logits \[batch, 4\] \(a rotation loss weight > 0\) but got \[batch, 1\]$/);
    expect(() => discriminatorStep(pair(), tf.train.adam(1e-3), { x }, { ...DEFAULT_STEP_CONFIG, rotationLossWeight: -1 }, new Rng(1)))
      .toThrow(/rotationLossWeight: expected a number >= 0 but got -1/);
    expect(() => resolveConfig(loadPreset('ring-8-gan'), { rotationLossWeight: 1 })).toThrow(/rotationLossWeight: rotations need square images \(model 'dcgan'\) but got model 'mlp'/);
    expect(() => resolveConfig(loadPreset('mnist-dcgan'), { rotationLossWeight: 0, generatorRotationLossWeight: 0.2 })).toThrow(/needs D's rotation head \(rotationLossWeight > 0\)/);
    const built = buildModels(resolveConfig(loadPreset('mnist-dcgan'), { clusters: 0, auxiliaryClassifierWeight: 0, rotationLossWeight: 1, baseWidth: 4 }));
    expect(built.discriminator.outputs.map((o) => o.shape)).toEqual([[null, 1], [null, ROTATIONS]]);
    // A conditional AC-GAN D with the rotation head too: logit, class logits, rotation logits.
    const both = buildModels(resolveConfig(loadPreset('mnist-cdcgan'), { rotationLossWeight: 1, baseWidth: 4 }));
    expect(both.discriminator.outputs.map((o) => o.shape)).toEqual([[null, 1], [null, 10], [null, ROTATIONS]]);
  });
});
