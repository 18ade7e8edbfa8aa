// Every architecture x loss x regularizer trains on random data without leaks or NaN, on cpu, wasm and (where it
// starts) webgpu, and saves and loads back exactly. Models are tiny (MLP width 8; DCGAN 8x8, base width 2, kernel 3;
// batch 4) to keep this fast: 20 steps after a warm-up on cpu, 2 on wasm and 1 on webgpu in `npm test` (a software
// adapter, llvmpipe, runs every kernel as a compute shader on the CPU), and 3 / 1 / 1 for the 16x16 DCGAN (the only
// size here with BatchNorm in D, which 8x8's single conv does not have); GAN_COMBINATION_STEPS=50 runs 50 everywhere. Plain SGD:
// Adam's ~10 ops per variable would double the op count of these tiny steps (Adam is covered in steps.test.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { LOSS_NAMES } from '../../src/losses/index.js';
import { dcganDiscriminator, dcganGenerator } from '../../src/models/dcgan.js';
import { loadModel, saveModel } from '../../src/models/io.js';
import { mlpDiscriminator, mlpGenerator } from '../../src/models/mlp.js';
import { Rng } from '../../src/random.js';
import { DEFAULT_STEP_CONFIG, disposeStepLosses, ganStep, readLosses, type GanModels, type RealBatch, type StepConfig } from '../../src/train/steps.js';
import { initBackend, tf } from '../../src/tf.js';
import { availableBackends, takeData, type LoopBackend } from '../setup.js';

const STEPS_OVERRIDE = process.env.GAN_COMBINATION_STEPS;
const STEPS: Record<LoopBackend, number> = { cpu: Number(STEPS_OVERRIDE ?? 20), wasm: Number(STEPS_OVERRIDE ?? 2), webgpu: Number(STEPS_OVERRIDE ?? 1) };
const FEW_STEPS: Record<LoopBackend, number> = { cpu: Number(STEPS_OVERRIDE ?? 3), wasm: Number(STEPS_OVERRIDE ?? 1), webgpu: Number(STEPS_OVERRIDE ?? 1) };
const BATCH = 4;
const CLASSES = 3;

const REGULARIZERS: Record<string, Partial<StepConfig>> = {
  none: {},
  gradientPenalty: { gradientPenaltyWeight: 10 },
  r1: { r1Weight: 1 },
  clipping: { weightClip: 0.05 },
};

interface Arch {
  name: string;
  conditional: boolean;
  /** Builds G and D; `penalty` asks for a critic fit for gradient penalties (no BatchNorm in D). */
  build(penalty: boolean): GanModels;
  sampleShape: number[];
  /** Steps after the warm-up, per backend. */
  steps: Record<LoopBackend, number>;
}

const small = { imageSize: 8, channels: 1, baseWidth: 2, kernelSize: 3 };
const large = { ...small, imageSize: 16 };
const ARCHS: Arch[] = [
  {
    name: 'MLP', conditional: false, sampleShape: [2], steps: STEPS,
    build: () => ({
      generator: mlpGenerator({ latentDim: 2, hiddenUnits: [8], outputDim: 2, seed: 1 }),
      discriminator: mlpDiscriminator({ inputDim: 2, hiddenUnits: [8], seed: 2 }),
    }),
  },
  {
    name: 'conditional MLP (layer norm, spectral norm)', conditional: true, sampleShape: [2], steps: STEPS,
    build: () => ({
      generator: mlpGenerator({ latentDim: 2, hiddenUnits: [8], outputDim: 2, numClasses: CLASSES, seed: 1 }),
      discriminator: mlpDiscriminator({ inputDim: 2, hiddenUnits: [8], numClasses: CLASSES, normalization: 'layer', spectralNorm: true, seed: 2 }),
    }),
  },
  {
    name: 'DCGAN', conditional: false, sampleShape: [8, 8, 1], steps: STEPS,
    build: () => ({
      generator: dcganGenerator({ ...small, latentDim: 4, seed: 1 }),
      discriminator: dcganDiscriminator({ ...small, seed: 2 }),
    }),
  },
  {
    name: 'DCGAN 16x16 (BatchNorm D, layer norm under penalties)', conditional: false, sampleShape: [16, 16, 1], steps: FEW_STEPS,
    build: (penalty) => ({
      generator: dcganGenerator({ ...large, latentDim: 4, seed: 1 }),
      discriminator: dcganDiscriminator({ ...large, normalization: penalty ? 'layer' : 'batch', seed: 2 }),
    }),
  },
  {
    name: 'conditional DCGAN (label channels, spectral norm)', conditional: true, sampleShape: [8, 8, 1], steps: STEPS,
    build: () => ({
      generator: dcganGenerator({ ...small, latentDim: 4, numClasses: CLASSES, seed: 1 }),
      discriminator: dcganDiscriminator({ ...small, numClasses: CLASSES, normalization: 'none', spectralNorm: true, seed: 2 }),
    }),
  },
  {
    name: 'conditional DCGAN (projection D, layer norm)', conditional: true, sampleShape: [8, 8, 1], steps: STEPS,
    build: () => ({
      generator: dcganGenerator({ ...small, latentDim: 4, numClasses: CLASSES, seed: 1 }),
      discriminator: dcganDiscriminator({ ...small, numClasses: CLASSES, conditioning: 'projection', normalization: 'layer', seed: 2 }),
    }),
  },
];

async function allFinite(model: tfjs.LayersModel): Promise<boolean> {
  const values = await Promise.all(model.getWeights().map((w) => w.data()));
  return values.every((v) => v.every(Number.isFinite));
}

async function expectRoundTrip(model: tfjs.LayersModel, dir: string, inputs: tfjs.Tensor[]): Promise<void> {
  await saveModel(model, dir);
  const loaded = await loadModel(dir);
  const a = Array.from(await takeData(model.predict(inputs.length === 1 ? inputs[0]! : inputs) as tfjs.Tensor));
  const b = Array.from(await takeData(loaded.predict(inputs.length === 1 ? inputs[0]! : inputs) as tfjs.Tensor));
  expect(b).toEqual(a);
  loaded.dispose();
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'combinations-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

for (const backend of await availableBackends()) {
  describe(`on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    for (const arch of ARCHS) {
      it(`${arch.name}: every loss x regularizer runs ${arch.steps[backend]} steps after a warm-up with no new tensors and no NaN, then round-trips`, async () => {
        const rng = new Rng(17);
        const x = tf.tensor(rng.uniformArray(BATCH * arch.sampleShape.reduce((a, b) => a * b, 1), -1, 1), [BATCH, ...arch.sampleShape]);
        const labels = tf.tensor1d(Int32Array.from({ length: BATCH }, (_, i) => i % CLASSES), 'int32');
        const real: RealBatch = arch.conditional ? { x, labels } : { x };
        let last: GanModels | null = null;
        for (const loss of LOSS_NAMES) {
          for (const [regName, reg] of Object.entries(REGULARIZERS)) {
            const what = `${loss} + ${regName}`;
            const config: StepConfig = { ...DEFAULT_STEP_CONFIG, loss, ...reg };
            const models = arch.build(regName === 'gradientPenalty' || regName === 'r1');
            const optimizers = { generator: tf.train.sgd(1e-2), discriminator: tf.train.sgd(1e-2) };
            disposeStepLosses(ganStep(models, optimizers, () => real, config, rng));
            const tensors = tf.memory().numTensors;
            for (let step = 0; step < arch.steps[backend]; step++) {
              const losses = ganStep(models, optimizers, () => real, config, rng);
              const [discriminator, generator] = [await readLosses(losses.discriminator), await readLosses(losses.generator)];
              losses.finite.dispose();
              if (![discriminator.loss, generator.loss].every(Number.isFinite)) throw new Error(`${what}: non-finite loss at step ${step}`);
              if (tf.memory().numTensors !== tensors) throw new Error(`${what}: ${tf.memory().numTensors - tensors} tensors leaked at step ${step}`);
            }
            if (!(await allFinite(models.generator)) || !(await allFinite(models.discriminator))) throw new Error(`${what}: non-finite weights`);
            last?.generator.dispose();
            last?.discriminator.dispose();
            optimizers.generator.dispose();
            optimizers.discriminator.dispose();
            last = models;
          }
        }
        const oneHot = tf.oneHot(labels, CLASSES).toFloat();
        const z = tf.tensor(rng.normalArray(BATCH * last!.generator.inputs[0]!.shape[1]!), [BATCH, last!.generator.inputs[0]!.shape[1]!]);
        await expectRoundTrip(last!.generator, join(dir, `${backend}-${arch.name}-g`), arch.conditional ? [z, oneHot] : [z]);
        await expectRoundTrip(last!.discriminator, join(dir, `${backend}-${arch.name}-d`), arch.conditional ? [x, oneHot] : [x]);
        tf.dispose([x, labels, oneHot, z]);
      });
    }
  });
}
