// InfoGAN (Chen et al. 2016) codes: the LatentCode layer (argmax of the last K entries of z -> one-hot), its
// distribution, its round trip through a saved model, and the code loss in the D and G steps, checked against a
// cross-entropy computed by hand from the models' own outputs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { ShapeError } from '../../src/errors.js';
import { LatentCode, latentCode, latentCodeIndices } from '../../src/layers/latent_code.js';
import { CODE_LOGITS, dcganDiscriminator, dcganGenerator } from '../../src/models/dcgan.js';
import { mlpGenerator } from '../../src/models/mlp.js';
import { loadModel, saveModel } from '../../src/models/io.js';
import { generatorSignature } from '../../src/models/generate.js';
import { Rng } from '../../src/random.js';
import { DEFAULT_STEP_CONFIG, discriminatorStep, ganStep, generatorStep, readLosses, sampleLatent, withFrozenState, disposeStepLosses, type GanModels } from '../../src/train/steps.js';
import { loadPreset, resolveConfig } from '../../src/train/config.js';
import { buildModels } from '../../src/train/build.js';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';
import { crossEntropy, expectClose } from '../helpers/cross_entropy.js';

const dir = mkdtempSync(join(tmpdir(), 'latent-code-'));
beforeAll(async () => {
  await testBackend();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CODES = 3;

function pair(seed = 1, codeHead = CODES): GanModels {
  const common = { imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3 };
  return {
    generator: dcganGenerator({ ...common, latentDim: 4, latentCodes: CODES, seed }),
    // No BatchNorm in D, so the hand computation below needs no batch statistics.
    discriminator: dcganDiscriminator({ ...common, normalization: 'none', codeHead, seed: seed + 1 }),
  };
}


/** The code of each latent row, by hand: the index of the largest of its last `codes` entries. */
async function codesOf(z: tfjs.Tensor, codes: number): Promise<number[]> {
  const rows = await z.array() as number[][];
  return rows.map((row) => {
    const tail = row.slice(row.length - codes);
    return tail.indexOf(Math.max(...tail));
  });
}


describe('LatentCode', () => {
  it('keep the continuous entries and replace the last K by the one-hot of their argmax', async () => {
    const z = tf.tensor2d([[0.5, -1, 0.1, 2, -3], [1, 2, 5, -1, 4]]);
    const y = latentCode({ categories: 3 }).apply(z) as tfjs.Tensor;
    expect(await y.array()).toEqual([[0.5, -1, 0, 1, 0], [1, 2, 1, 0, 0]]);
    expect(Array.from(await latentCodeIndices(z, 3).data())).toEqual([1, 0]);
    expect(() => latentCode({ categories: 1 })).toThrow(/expected an integer >= 2 but got 1/);
    expect(() => latentCode({ categories: 5 }).apply(tf.input({ shape: [5] }))).toThrow(ShapeError);
  });

  it('draw each code equally often from z ~ N(0, I)', async () => {
    // 20,000 draws of 4 codes: each count is Binomial(20000, 1/4), std 61; 5 std either side of 5,000.
    const z = tf.tensor2d(new Rng(3).normalArray(20000 * 6), [20000, 6]);
    const counts = [0, 0, 0, 0];
    for (const c of await latentCodeIndices(z, 4).data()) counts[c]!++;
    for (const c of counts) expect(Math.abs(c - 5000)).toBeLessThan(5 * 61);
  });

  it('give G an input of latentDim + K entries, and survive a save and load', async () => {
    const g = mlpGenerator({ latentDim: 2, latentCodes: 4, hiddenUnits: [8], outputDim: 2, seed: 1 });
    expect(generatorSignature(g).latentDim).toBe(6);
    expect(g.layers.some((l) => l instanceof LatentCode)).toBe(true);
    await saveModel(g, join(dir, 'g'));
    const back = await loadModel(join(dir, 'g'));
    const z = tf.tensor2d(new Rng(4).normalArray(10 * 6), [10, 6]);
    expect(Array.from(await (back.predict(z) as tfjs.Tensor).data())).toEqual(Array.from(await (g.predict(z) as tfjs.Tensor).data()));
    expect((back.layers.find((l) => l instanceof LatentCode) as LatentCode).categories).toBe(4);
  });
});

describe('code head and steps', () => {
  it("give D a last output, code logits [batch, K], named CODE_LOGITS", () => {
    const { discriminator } = pair();
    expect(discriminator.outputs.map((o) => o.shape)).toEqual([[null, 1], [null, CODES]]);
    expect(discriminator.outputNames[1]).toBe(CODE_LOGITS);
  });

  it("add the weighted cross-entropy of D's code head on the fakes, against their codes, to D's loss", async () => {
    const models = pair();
    const x = tf.randomUniform([6, 16, 16, 1], -1, 1, 'float32', 3);
    const rng = new Rng(5);
    // The D step draws z from the Rng first: replay it from a copy of the Rng's state.
    const z = tf.tensor2d(Rng.fromState(rng.getState()).normalArray(6 * 7), [6, 7]);
    const [, codeLogits] = withFrozenState(models.generator, () =>
      models.discriminator.apply(models.generator.apply(z, { training: true }) as tfjs.Tensor, { training: true }) as tfjs.Tensor[]);
    const want = await crossEntropy(codeLogits!, await codesOf(z, CODES));
    const weight = 0.7;
    const d = await readLosses(discriminatorStep(models, tf.train.adam(1e-3), { x }, { ...DEFAULT_STEP_CONFIG, latentCodeWeight: weight }, rng));
    expectClose(d.codeLoss, want);
    expectClose(d.loss, d.adversarialLoss + weight * d.codeLoss);
    expect(d.codeLoss).toBeGreaterThan(0.8); // an untrained 3-way head: near log 3 = 1.10, not 0
  });

  it("add the weighted cross-entropy of the code head on G's fakes to G's loss", async () => {
    const models = pair();
    const rng = new Rng(9);
    const { z } = sampleLatent(models.generator, 5, Rng.fromState(rng.getState()));
    const out = withFrozenState(models.generator, () =>
      models.discriminator.apply(models.generator.apply(z, { training: true }) as tfjs.Tensor, { training: true }) as tfjs.Tensor[]);
    const wantCode = await crossEntropy(out[1]!, await codesOf(z, CODES));
    const wantAdversarial = (await tf.mean(tf.softplus(tf.neg(out[0]!))).data())[0]!; // non-saturating: -log sigmoid
    const weight = 2;
    const g = await readLosses(generatorStep(models, tf.train.adam(1e-3), 5, { ...DEFAULT_STEP_CONFIG, latentCodeWeight: weight }, rng));
    expectClose(g.codeLoss, wantCode);
    expectClose(g.loss, wantAdversarial + weight * wantCode);
  });

  it('make the codes tell apart: the code loss falls far below chance', async () => {
    const models = pair(2);
    const optimizers = { generator: tf.train.adam(1e-2, 0.5), discriminator: tf.train.adam(1e-2, 0.5) };
    const config = { ...DEFAULT_STEP_CONFIG, latentCodeWeight: 1 };
    const rng = new Rng(1);
    const dCode: number[] = [], gCode: number[] = [];
    for (let i = 0; i < 80; i++) {
      const losses = ganStep(models, optimizers, () => ({ x: tf.randomUniform([16, 16, 16, 1], -1, 1, 'float32', i) }), config, rng);
      const [d, g] = await Promise.all([losses.discriminator.codeLoss.data(), losses.generator.codeLoss.data()]);
      dCode.push(d[0]!);
      gCode.push(g[0]!);
      disposeStepLosses(losses);
    }
    // Chance is log 3 = 1.10 (the first steps); G and D cooperate on this term, so it drops well below. The
    // adversarial game makes single steps spike, hence the median of the last 20.
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
    expect(dCode[0]).toBeGreaterThan(1);
    expect(median(dCode.slice(-20))).toBeLessThan(0.3);
    expect(median(gCode.slice(-20))).toBeLessThan(0.3);
  });

  it('refuse a D without the head, a G without a code, and configs that cannot have one', () => {
    const x = tf.randomUniform([2, 16, 16, 1], -1, 1);
    const config = { ...DEFAULT_STEP_CONFIG, latentCodeWeight: 1 };
    expect(() => discriminatorStep(pair(1, 0), tf.train.adam(1e-3), { x }, config, new Rng(1)))
      .toThrow(/expected outputs logits \[batch, 1\], code logits \[batch, 3\] \(latentCodeWeight > 0\) but got \[batch, 1\]$/);
    const noCode = { ...pair(), generator: dcganGenerator({ imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3, latentDim: 4 }) };
    expect(() => discriminatorStep(noCode, tf.train.adam(1e-3), { x }, config, new Rng(1)))
      .toThrow(/a code head needs a generator with a LatentCode layer/);
    expect(() => resolveConfig(loadPreset('mnist-dcgan'), { latentCodeWeight: 1 })).toThrow(/latentCodeWeight: D's code head needs latentCodes >= 2 and model 'dcgan' but got latentCodes 0/);
    expect(() => resolveConfig(loadPreset('mnist-dcgan'), { clusters: 0, auxiliaryClassifierWeight: 0, latentCodes: 1 })).toThrow(/latentCodes: expected 0 \(no code\) or >= 2 categories but got 1/);
    const built = buildModels(resolveConfig(loadPreset('mnist-dcgan'), { clusters: 0, auxiliaryClassifierWeight: 0, latentCodes: 10, latentCodeWeight: 1, baseWidth: 4 }));
    expect(built.discriminator.outputs.map((o) => o.shape)).toEqual([[null, 1], [null, 10]]);
    expect(generatorSignature(built.generator).latentDim).toBe(64 + 10);
  });
});
