// Self-conditioned GANs (Liu et al. 2020; config `clusters`): the data's k-means clusters as D's condition and G's
// latent code. Checked: the latents a D step draws for a real batch's clusters, the D and G losses against the models
// run by hand, the clusters the data sources give, a whole run (unconditional G, exact resume), and the refusals.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { Jimp } from 'jimp';
import { tf } from '../../src/tf.js';
import { ShapeError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import { latentCodeIndices, latentCodeOneHot, setLatentCodes } from '../../src/layers/latent_code.js';
import { mlpDiscriminator, mlpGenerator } from '../../src/models/mlp.js';
import { generatorSignature } from '../../src/models/generate.js';
import { conditioning, withCodes } from '../../src/train/conditioning.js';
import { DEFAULT_STEP_CONFIG, discriminatorStep, generatorStep, readLosses, sampleLatent, type GanModels } from '../../src/train/steps.js';
import { loadPreset, resolveConfig, type TrainConfig } from '../../src/train/config.js';
import { openDataSource, type DataState } from '../../src/train/data_source.js';
import { FIT_SAMPLE, clusterFixedSet, dataFingerprint, saveFixedClusters, saveStreamClusters } from '../../src/train/clusters.js';
import { train } from '../../src/train/loop.js';
import { loadCheckpoint, readCheckpointState } from '../../src/checkpoint/index.js';
import { DataError } from '../../src/errors.js';
import { loadMnist } from '../../src/data/mnist.js';
import { silentReporter, type ProgressReporter } from '../../src/train/progress.js';
import { toyDataset } from '../../src/data/toy.js';
import { testBackend } from '../setup.js';
import { expectClose } from '../helpers/cross_entropy.js';

const dir = mkdtempSync(join(tmpdir(), 'self-cond-'));
beforeAll(async () => {
  await testBackend();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const K = 3;

/** A self-conditioned MLP pair on 2D points: G draws a K-way code from z, D takes the one-hot cluster. */
function pair(seed = 1): GanModels {
  return {
    generator: mlpGenerator({ latentDim: 2, latentCodes: K, hiddenUnits: [8], outputDim: 2, seed }),
    discriminator: mlpDiscriminator({ inputDim: 2, hiddenUnits: [8], numClasses: K, seed: seed + 1 }),
  };
}

describe('withCodes', () => {
  it("swap each row's largest code entry with the one at its label, and leave the rest of z alone", async () => {
    const z = tf.tensor2d([[0.3, 2, -1, 0.5], [-2, 0.1, 0.7, -0.4], [1, -1, 1.5, 0.2]]);
    const labels = tf.oneHot(tf.tensor1d([2, 2, 0], 'int32'), K).toFloat();
    // Row 0: code [2, -1, 0.5] names 0, asked 2: swap 2 and 0.5. Row 1: [0.1, 0.7, -0.4] names 1, asked 2.
    // Row 2: [-1, 1.5, 0.2] names 1, asked 0. Values move, none is computed, so they come back exactly.
    expect(await withCodes(z, labels, K).array()).toEqual([
      [0.3, 0.5, -1, 2], [-2, 0.1, -0.4, 0.7], [1, 1.5, -1, 0.2],
    ].map((row) => row.map((v) => Math.fround(v))));
  });

  it('agree with setLatentCodes, its in-place twin for latents in memory (sample grids)', async () => {
    const z = new Rng(2).normalArray(40 * 6);
    const codes = Int32Array.from({ length: 40 }, (_, i) => i % K);
    const want = await withCodes(tf.tensor2d(z, [40, 6]), tf.oneHot(tf.tensor1d(codes, 'int32'), K).toFloat(), K).data();
    setLatentCodes(z, 6, K, codes);
    expect(Array.from(z)).toEqual(Array.from(want));
  });

  it('draw the code entries as z given that code: the chosen entry is the largest of K normals', async () => {
    // 20,000 rows all asked for code 1. The largest of 3 N(0, 1) has mean 0.8463 and std 0.7480, so the mean of 20,000
    // is within 5 * 0.748 / sqrt(20000) = 0.026 of 0.8463; the two others are the lower two of 3 (mean -0.4231 each).
    const n = 20000;
    const z = tf.tensor2d(new Rng(5).normalArray(n * 5), [n, 5]);
    const labels = tf.oneHot(tf.fill([n], 1, 'int32') as tfjs.Tensor1D, K).toFloat();
    const moved = withCodes(z, labels, K);
    expect(Array.from(await latentCodeIndices(moved, K).data()).every((c) => c === 1)).toBe(true);
    const means = await tf.mean(moved, 0).array() as number[];
    expect(Math.abs(means[3]! - 0.8463)).toBeLessThan(0.026);
    for (const j of [2, 4]) expect(Math.abs(means[j]! - -0.4231)).toBeLessThan(0.03);
    for (const j of [0, 1]) expect(Math.abs(means[j]!)).toBeLessThan(5 / Math.sqrt(n)); // untouched N(0, 1)
  });
});

describe('conditioning', () => {
  it('tell a conditional pair, a self-conditioned pair and an unconditional pair apart, and refuse a mismatch', () => {
    expect(conditioning(pair().generator, pair().discriminator)).toEqual({ classes: K, fromCode: true });
    const conditional = {
      generator: mlpGenerator({ latentDim: 2, hiddenUnits: [8], outputDim: 2, numClasses: K }),
      discriminator: mlpDiscriminator({ inputDim: 2, hiddenUnits: [8], numClasses: K }),
    };
    expect(conditioning(conditional.generator, conditional.discriminator)).toEqual({ classes: K, fromCode: false });
    const plainD = mlpDiscriminator({ inputDim: 2, hiddenUnits: [8] });
    expect(conditioning(mlpGenerator({ latentDim: 2, hiddenUnits: [8], outputDim: 2 }), plainD)).toEqual({ classes: null, fromCode: false });
    const fourWay = mlpDiscriminator({ inputDim: 2, hiddenUnits: [8], numClasses: 4 });
    expect(() => conditioning(pair().generator, fourWay)).toThrow(ShapeError);
    expect(() => conditioning(pair().generator, fourWay))
      .toThrow('models: expected G and D to take the same one-hot label, or D a label of as many classes as G\'s latent code has categories, but got G without a label (latent code of 3) and D with a label of 4');
  });
});

describe('steps', () => {
  it("run the D step's fakes from latents whose codes are the real batch's clusters, D seeing those clusters", async () => {
    const models = pair();
    const x = tf.tensor2d([[1, 0], [0, 1], [-1, 0], [0, -1], [0.5, 0.5]]);
    const clusters = [0, 2, 1, 2, 0];
    const labels = tf.oneHot(tf.tensor1d(clusters, 'int32'), K).toFloat();
    const rng = new Rng(7);
    const z = tf.tensor2d(Rng.fromState(rng.getState()).normalArray(5 * 5), [5, 5]); // the step's first draw
    const moved = withCodes(z, labels, K);
    expect(Array.from(await latentCodeIndices(moved, K).data())).toEqual(clusters);
    const fake = models.generator.apply(moved) as tfjs.Tensor;
    const realLogits = models.discriminator.apply([x, labels]) as tfjs.Tensor;
    const fakeLogits = models.discriminator.apply([fake, labels]) as tfjs.Tensor;
    // non-saturating D loss: -log sigmoid(real) - log(1 - sigmoid(fake)), batch means
    const want = (await tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits))).data())[0]!;
    const d = await readLosses(discriminatorStep(models, tf.train.adam(1e-3), { x, labels: tf.tensor1d(clusters, 'int32') }, DEFAULT_STEP_CONFIG, rng));
    expectClose(d.adversarialLoss, want);
    expectClose(d.fakeLogit, (await tf.mean(fakeLogits).data())[0]!);
    await expect(async () => discriminatorStep(models, tf.train.adam(1e-3), { x }, DEFAULT_STEP_CONFIG, rng))
      .rejects.toThrow('real.labels: the models are conditional but no labels were given');
  });

  it("show D each fake in the G step with the code G drew it from", async () => {
    const models = pair(3);
    const rng = new Rng(11);
    const { z } = sampleLatent(models.generator, 6, Rng.fromState(rng.getState()));
    const logits = models.discriminator.apply([models.generator.apply(z) as tfjs.Tensor, latentCodeOneHot(z, K)]) as tfjs.Tensor;
    const want = (await tf.mean(tf.softplus(tf.neg(logits))).data())[0]!;
    const g = await readLosses(generatorStep(models, tf.train.adam(1e-3), 6, DEFAULT_STEP_CONFIG, rng));
    expectClose(g.loss, want);
    // Against a different condition (every fake shown as cluster 0) the loss differs: the code reached D.
    const other = tf.oneHot(tf.zeros([6], 'int32') as tfjs.Tensor1D, K).toFloat();
    const wrong = (await tf.mean(tf.softplus(tf.neg(models.discriminator.apply([models.generator.apply(z) as tfjs.Tensor, other]) as tfjs.Tensor))).data())[0]!;
    expect(Math.abs(wrong - want)).toBeGreaterThan(1e-4);
  });
});

describe('data sources', () => {
  it('label ring-8 batches with their k-means cluster, one cluster per mode', async () => {
    const config = resolveConfig(loadPreset('ring-8-gan'), { clusters: 8 });
    const source = await openDataSource(config);
    expect(source.description).toMatch(/self-conditioned on 8 k-means clusters of \d[\d,]*(-[\d,]+)? points \(of a 10,000-point draw\)$/);
    const { x, labels } = source.next(2000);
    // The mode of each point, by hand: the nearest centre of the mixture (modes are 40 std apart).
    const toy = toyDataset('ring8');
    const modes = Array.from({ length: 2000 }, (_, i) => {
      let best = 0, bestD = Infinity;
      toy.centers.forEach((c, m) => { const d = (x[2 * i]! - c[0]!) ** 2 + (x[2 * i + 1]! - c[1]!) ** 2; if (d < bestD) { bestD = d; best = m; } });
      return best;
    });
    const pairs = new Set(modes.map((m, i) => `${m}:${labels[i]}`));
    expect(pairs.size).toBe(8); // each mode maps to exactly one cluster and back
    expect(new Set(labels).size).toBe(8);
  });

  it('place the centres of a large set from a subset, then give every point an equal-size cluster', async () => {
    // 12,400 2D points in 4 blobs of 3,100 (more than FIT_SAMPLE, so the centres come from a subset of 10,000).
    const n = 12400, rng = new Rng(8);
    const centres = [[0, 0], [10, 0], [0, 10], [10, 10]];
    const points = new Float32Array(n * 2), truth = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      truth[i] = i % 4;
      points[2 * i] = centres[i % 4]![0]! + 0.5 * rng.normal();
      points[2 * i + 1] = centres[i % 4]![1]! + 0.5 * rng.normal();
    }
    expect(n).toBeGreaterThan(FIT_SAMPLE);
    const { assignments, sizes } = await clusterFixedSet(points, 2, 4, 1);
    expect(Array.from(sizes)).toEqual([3100, 3100, 3100, 3100]);
    expect(new Set(Array.from(truth, (t, i) => `${t}:${assignments[i]}`)).size).toBe(4); // the blobs, renamed
  });

  it('split an image folder into equal-size clusters of look-alike images', async () => {
    // 12 grey 16x16 images: 6 dark, 6 light, shuffled by name; 2 clusters must be exactly the dark and the light ones.
    const images = join(dir, 'images');
    mkdirSync(images);
    const light = [1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0];
    for (let i = 0; i < light.length; i++) {
      const img = new Jimp({ width: 16, height: 16, color: light[i] ? 0xd0d0d0ff : 0x303030ff });
      img.scan(0, 0, 16, 16, (_x, _y, idx) => { img.bitmap.data[idx] = Math.min(255, img.bitmap.data[idx]! + ((idx * 7 + i) % 17)); });
      writeFileSync(join(images, `${String(i).padStart(2, '0')}.png`), await img.getBuffer('image/png'));
    }
    const config = resolveConfig({ data: 'images', model: 'dcgan', dataDir: images, imageSize: 16, channels: 1, clusters: 2, cacheDir: 'none', seed: 1 });
    const source = await openDataSource(config);
    expect(source.description).toMatch(/self-conditioned on 2 k-means clusters of 6 points$/);
    const { x, labels } = source.next(12); // one epoch: each image once
    const bright = Array.from({ length: 12 }, (_, b) => x[b * 256]! > 0);
    expect(bright.filter(Boolean).length).toBe(6);
    const clusterOfBright = labels[bright.indexOf(true)];
    bright.forEach((isBright, b) => expect(labels[b] === clusterOfBright).toBe(isBright));
    await expect(openDataSource({ ...config, clusters: 13 })).rejects.toThrow(/clusters: expected at most 12 \(one per image of .*images\) but got 13/);
    // The same run resumed after one image changed: its clusters no longer fit the folder, and it says so.
    const state = source.getState();
    expect((await openDataSource(config, () => {}, state)).description).toMatch(/, from the checkpoint$/);
    const first = join(images, '00.png');
    const img = await Jimp.read(first);
    img.setPixelColor(0xffffffff, 3, 3);
    writeFileSync(first, await img.getBuffer('image/png'));
    await expect(openDataSource(config, () => {}, state)).rejects.toThrow(/the run's clusters were made of other training images/);
  });
});

describe('saved clusters', () => {
  it("give a resumed MNIST run the checkpoint's clusters, not new ones, and refuse ones that do not fit", async () => {
    // Saved "clusters" that are the digit classes (no k-means would give those): the resumed source's batches must
    // carry them, so they come out equal to a class-labelled source's batches at the same sampler position.
    const classes = await openDataSource(resolveConfig(loadPreset('mnist-cdcgan'), { seed: 3 }));
    classes.next(100);
    const state = classes.getState() as { kind: 'mnist'; sampler: unknown };
    const mnist = loadMnist({ split: 'train' });
    const digits = Int32Array.from(mnist.labels), fingerprint = dataFingerprint(mnist.images);
    const config = resolveConfig(loadPreset('mnist-dcgan'), { seed: 3, clusters: 10 });
    const saved = { ...state, clusters: saveFixedClusters(digits, 10, fingerprint) } as DataState;
    const resumed = await openDataSource(config, () => {}, saved);
    resumed.setState(saved); // as startRun does: the sampler's position
    expect(resumed.description).toMatch(/self-conditioned on 10 k-means clusters of [\d,]+-[\d,]+ points, from the checkpoint$/);
    const a = classes.next(64), b = resumed.next(64);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(b.x).toEqual(a.x);
    expect(resumed.getState()).toMatchObject({ kind: 'mnist', clusters: saveFixedClusters(digits, 10, fingerprint) }); // saved again as they came
    await expect(openDataSource(config, () => {}, { ...state, clusters: saveFixedClusters(digits.subarray(0, 5), 10, fingerprint) }))
      .rejects.toThrow(new DataError("checkpoint data state: expected the run's clusters as a label for each of 60000 points but got 5 labels; the checkpoint does not belong to this config"));
    await expect(openDataSource({ ...config, clusters: 9 }, () => {}, { ...state, clusters: saveFixedClusters(digits, 10, fingerprint) }))
      .rejects.toThrow(/expected the run's clusters as 9 clusters with a label per point and the images' fingerprint but got k 10 with keys k, labels, data;/);
    await expect(openDataSource({ ...config, clusters: 9 }, () => {}, { ...state, clusters: { ...saveFixedClusters(digits, 10, fingerprint), k: 9 } }))
      .rejects.toThrow(/expected the run's clusters as labels below 9 but got label 9 at point \d+/);
    // Clusters made of other images (another folder, or the same one changed): refused, not applied to these.
    await expect(openDataSource(config, () => {}, { ...state, clusters: saveFixedClusters(digits, 10, dataFingerprint(new Float32Array(3))) }))
      .rejects.toThrow(/the run's clusters were made of other training images \(fingerprint [0-9a-f]{32}, these: [0-9a-f]{32}\): .* start a new run for new data$/);
  });

  it("give a resumed stream the checkpoint's centres", async () => {
    // Centres saved by hand: the ring's modes in reverse order, so each point's cluster is 7 minus its mode.
    const toy = toyDataset('ring8');
    const centres = Float32Array.from([...toy.centers].reverse().flat());
    const config = resolveConfig(loadPreset('ring-8-gan'), { clusters: 8 });
    const fresh = await openDataSource(config);
    // A checkpoint from before the clusters were saved (no `clusters` in its data state): they are computed again.
    const { clusters: _, ...old } = fresh.getState() as { clusters?: unknown };
    expect((await openDataSource(config, () => {}, old)).description).toBe(fresh.description);
    expect(fresh.description).not.toMatch(/from the checkpoint/);
    const saved = saveStreamClusters(centres, 2, new Int32Array(8).fill(1250));
    const resumed = await openDataSource(config, () => {}, { ...fresh.getState(), clusters: saved });
    expect(resumed.description).toMatch(/self-conditioned on 8 k-means clusters of 1,250 points \(of a 10,000-point draw\), from the checkpoint$/);
    const { x, labels } = resumed.next(500);
    const mode = (i: number) => toy.centers.reduce((best, c, m) =>
      (x[2 * i]! - c[0]!) ** 2 + (x[2 * i + 1]! - c[1]!) ** 2 < (x[2 * i]! - toy.centers[best]![0]!) ** 2 + (x[2 * i + 1]! - toy.centers[best]![1]!) ** 2 ? m : best, 0);
    expect(Array.from(labels)).toEqual(Array.from({ length: 500 }, (_, i) => 7 - mode(i)));
    await expect(openDataSource(config, () => {}, { ...fresh.getState(), clusters: saveStreamClusters(centres.subarray(0, 8), 2, new Int32Array(4)) }))
      .rejects.toThrow(/expected the run's clusters as 8 centres of 2 values but got k 4 with keys k, dim, centroids, sizes;/);
  });
});

describe('a self-conditioned run', () => {
  const config: TrainConfig = resolveConfig({
    data: 'ring8', model: 'mlp', latentDim: 2, clusters: 8, generatorHiddenUnits: [16], discriminatorHiddenUnits: [16],
    activation: 'leakyRelu', discriminatorNormalization: 'none', batchSize: 32, steps: 30, seed: 4, emaDecay: 0.9,
    checkpointEvery: 0, sampleEvery: 0, logEvery: 10, metricsEvery: 10, evalSamples: 200,
  });

  it('trains an unconditional G (z and its code only) and a D conditioned on the clusters, and resumes exactly', async () => {
    const straight = await train(config, { runDir: join(dir, 'straight'), plots: false });
    expect(straight.evaluation?.metrics).toMatchObject({ numModes: 8 });
    const first = await train({ ...config, steps: 15 }, { runDir: join(dir, 'split'), plots: false });
    // The checkpoint keeps the clusters, and the resumed run takes them from it.
    expect(readCheckpointState(first.checkpoint!).data).toMatchObject({ kind: 'toy', clusters: { k: 8, dim: 2 } });
    const messages: string[] = [];
    const reporter: ProgressReporter = { ...silentReporter, message: (m) => messages.push(m) };
    await train(config, { runDir: join(dir, 'split'), plots: false, resumeFrom: first.checkpoint!, reporter });
    expect(messages.filter((m) => m.startsWith('data: '))).toEqual([expect.stringMatching(/8 k-means clusters .*, from the checkpoint$/)]);
    const a = await loadCheckpoint(straight.runDir), b = await loadCheckpoint(join(dir, 'split'));
    expect(generatorSignature(a.generator)).toMatchObject({ latentDim: 2 + 8, numClasses: null });
    expect(a.discriminator.inputs.map((i) => i.shape)).toEqual([[null, 2], [null, 8]]);
    const weights = async (m: tfjs.LayersModel) => Promise.all(m.getWeights().map(async (w) => Array.from(await w.data())));
    expect(await weights(b.generator)).toEqual(await weights(a.generator));
    expect(await weights(b.discriminator)).toEqual(await weights(a.discriminator));
  });

  it('refuse clusters with class labels, a code of its own, one cluster, or data it cannot cluster', () => {
    expect(() => resolveConfig(loadPreset('mnist-cdcgan'), { clusters: 10 }))
      .toThrow("clusters: the clusters are G's code and D's condition, so expected conditional false and latentCodes 0 but got conditional true, latentCodes 0");
    expect(() => resolveConfig(loadPreset('ring-8-gan'), { clusters: 8, latentCodes: 4 })).toThrow(/expected conditional false and latentCodes 0/);
    expect(() => resolveConfig(loadPreset('ring-8-gan'), { clusters: 1 })).toThrow('clusters: expected 0 (off) or >= 2 clusters but got 1');
    expect(() => resolveConfig({ data: 'custom', clusters: 4 })).toThrow(/clusters: data 'custom' streams the caller's batches/);
    expect(() => resolveConfig(loadPreset('mnist-sngan'), { clusters: 10, conditioning: 'concat', auxiliaryClassifierWeight: 1 }))
      .toThrow(/auxiliaryClassifierWeight: a class head needs .* conditioning 'projection' .* but got model 'dcgan', conditioning 'concat'/);
    expect(resolveConfig(loadPreset('mnist-sngan'), { clusters: 10, auxiliaryClassifierWeight: 1 }).clusters).toBe(10);
    expect(() => resolveConfig(loadPreset('mnist-sngan'), { clusters: 0, auxiliaryClassifierWeight: 1 })).toThrow(/but got conditional false, clusters 0$/);
  });
});
