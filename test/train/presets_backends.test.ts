// Every preset trains, checkpoints, resumes and samples across two backends: a run started on the suite's backend
// (GAN_BACKEND: cpu by default, webgpu in CI's GPU job) resumes on another one (wasm, or cpu when the suite runs on
// wasm), and the final checkpoint samples the same images on both. Small batches keep a software GPU adapter fast.
import { mkdtempSync, rmSync } from 'node:fs';
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

describe('presets across backends', () => {
  for (const preset of presetNames()) {
    it(`${preset}: 2 steps on the suite's backend, resume to 3 on another, same samples from both`, async () => {
      const runDir = join(dir, preset);
      const presetValues = loadPreset(preset);
      // A few steps of the real preset: its architecture and losses, with a small batch and no periodic extras.
      const config = resolveConfig(presetValues, {
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
