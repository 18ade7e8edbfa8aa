// Every preset trains, checkpoints, resumes and samples across two backends: a run started on the suite's backend
// (GAN_BACKEND: cpu by default, webgpu in CI's GPU job) resumes on another one (wasm, or cpu when the suite runs on
// wasm), and the final checkpoint samples the same images on both. Small batches keep a software GPU adapter fast.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Jimp } from 'jimp';
import { DEBIAN_FASHION_MNIST_DIR } from '../../src/train/data_source.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/tf.js';
import { loadPreset, presetNames, resolveConfig } from '../../src/train/config.js';
import { train } from '../../src/train/loop.js';
import { loadGenerator } from '../../src/checkpoint/index.js';
import { generate, generatorSignature } from '../../src/models/generate.js';
import { silentReporter, type ProgressReporter } from '../../src/train/progress.js';
import { Rng } from '../../src/random.js';
import { testBackend } from '../setup.js';

let first = 'cpu';
let second: 'wasm' | 'cpu' = 'wasm';
let dir = '';
beforeAll(async () => {
  first = (await testBackend()).name;
  second = first === 'wasm' ? 'cpu' : 'wasm';
  dir = mkdtempSync(join(tmpdir(), 'gan-presets-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Samples of a checkpoint's (EMA) generator on `backend` for a fixed latent batch (and classes 0.. when conditional). */
async function samplesOn(backend: string, runDir: string): Promise<Float32Array> {
  await initBackend(backend as 'cpu');
  const { generator } = await loadGenerator(runDir);
  try {
    const { latentDim, numClasses } = generatorSignature(generator);
    const z = new Rng(5).normalArray(4 * latentDim);
    return await generate(generator, z, numClasses === null ? null : Int32Array.from([0, 1, 2, 3].map((i) => i % numClasses)));
  } finally {
    generator.dispose();
  }
}

/** A small image folder with two class subfolders, for the 'images' presets (generated here: no files in the repo). */
async function imageFolder(): Promise<string> {
  const folder = join(dir, 'images');
  for (const [name, color] of [['a', 0xd04020ff], ['b', 0x2040d0ff]] as const) {
    mkdirSync(join(folder, name), { recursive: true });
    for (let i = 0; i < 4; i++) writeFileSync(join(folder, name, `${i}.png`), await new Jimp({ width: 20 + i, height: 24, color: color + i * 0x10000 }).getBuffer('image/png'));
  }
  return folder;
}

// Fashion-MNIST comes from Debian's dataset-fashion-mnist package (CI installs it); without it that preset cannot run.
const fashion = existsSync(DEBIAN_FASHION_MNIST_DIR);

describe('presets across backends', () => {
  for (const preset of presetNames()) {
    const needsFashion = loadPreset(preset).data === 'fashion-mnist';
    it.skipIf(needsFashion && !fashion)(`${preset}: 2 steps on the suite's backend, resume to 3 on another, same samples from both${needsFashion && !fashion ? ` (skipped: no ${DEBIAN_FASHION_MNIST_DIR}; apt-get install dataset-fashion-mnist)` : ''}`, async () => {
      const runDir = join(dir, preset);
      const presetValues = loadPreset(preset);
      if (presetValues.data === 'images') Object.assign(presetValues, { dataDir: await imageFolder(), conditional: true, cacheDir: 'none' });
      // A few steps of the real preset: its layer structure and losses, with a small batch, DCGAN channel widths cut
      // to 8 (the same layers, a fraction of the work: the cpu backend runs a full-width DCGAN step in tens of
      // seconds) and no periodic extras.
      const config = resolveConfig(presetValues, {
        ...(presetValues.model === 'dcgan' ? { baseWidth: 8 } : {}),
        // A self-conditioned image preset clusters its whole training set when it starts (and again on resume): 2
        // clusters instead of its K keep that to seconds on the cpu backend; the layers are the same.
        ...(presetValues.clusters && presetValues.model === 'dcgan' ? { clusters: 2 } : {}),
        steps: 2, batchSize: 8, logEvery: 1, metricsEvery: 1, checkpointEvery: 0, sampleEvery: 0, evalEvery: 0, evalSamples: 100,
      });
      await initBackend(first as 'cpu');
      const started = await train(config, { runDir, plots: false });
      expect(started).toMatchObject({ step: 2, interrupted: false });
      expect([started.dLoss, started.gLoss].every(Number.isFinite)).toBe(true);

      const messages: string[] = [];
      const reporter: ProgressReporter = { ...silentReporter, message: (m) => messages.push(m) };
      await initBackend(second);
      const resumed = await train({ ...config, steps: 3 }, { runDir, plots: false, reporter, resumeFrom: started.checkpoint! });
      expect(resumed).toMatchObject({ step: 3, interrupted: false });
      expect([resumed.dLoss, resumed.gLoss].every(Number.isFinite)).toBe(true);
      expect(messages.some((m) => m.startsWith(`note: this run was started on the ${first} backend and resumes on ${second}`))).toBe(true);

      const a = await samplesOn(first, runDir);
      const b = await samplesOn(second, runDir);
      expect(a.length).toBe(b.length);
      expect(a.every(Number.isFinite)).toBe(true);
      // Same weights and latents on two backends: float32 differences only (different kernels and summation orders;
      // through a 4-layer DCGAN with BatchNorm they stay far below 1e-3 on [-1, 1] pixels).
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      expect(worst).toBeLessThan(1e-3);
      expect(tf.getBackend()).toBe(second);
    });
  }
});
