import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';
import { resolveConfig, type TrainConfig } from '../../src/train/config.js';
import { train } from '../../src/train/loop.js';
import { loadCheckpoint } from '../../src/checkpoint/index.js';

// A tiny WGAN-GP on ring-8: exercises z batches, GP interpolation weights, toy data draws, 2 critic steps, EMA.
const config: TrainConfig = resolveConfig({
  data: 'ring8', model: 'mlp', latentDim: 2, generatorHiddenUnits: [8], discriminatorHiddenUnits: [8], activation: 'tanh',
  discriminatorNormalization: 'none', loss: 'wasserstein', gradientPenaltyWeight: 0.1, criticSteps: 2, emaDecay: 0.9,
  batchSize: 8, steps: 40, seed: 3, checkpointEvery: 0, sampleEvery: 0, metricsEvery: 5, logEvery: 5,
  generatorLearningRate: 0.01, discriminatorLearningRate: 0.005,
});

async function finalWeights(runDir: string): Promise<{ g: Float32Array[]; d: Float32Array[]; ema: Float32Array[]; step: number }> {
  const ckpt = await loadCheckpoint(runDir);
  const read = (ws: TF.Tensor[]) => Promise.all(ws.map(async (w) => (await w.data()) as Float32Array));
  const out = {
    g: await read(ckpt.generator.getWeights()), d: await read(ckpt.discriminator.getWeights()), ema: await read(ckpt.emaGenerator ?? []), step: ckpt.step,
  };
  ckpt.generator.dispose(); ckpt.discriminator.dispose();
  ckpt.generatorOptimizer.dispose(); ckpt.discriminatorOptimizer.dispose();
  tf.dispose(ckpt.emaGenerator ?? []);
  return out;
}

describe('exact resume', () => {
  let dir: string;
  beforeAll(async () => {
    await testBackend();
    dir = mkdtempSync(join(tmpdir(), 'gan-resume-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives byte-identical G, D and EMA weights for 40 straight steps and 20 + resume + 20', async () => {
    const before = tf.memory().numTensors;
    const straight = join(dir, 'straight'), split = join(dir, 'split');
    await train(config, { runDir: straight, plots: false });
    const first = await train({ ...config, steps: 20 }, { runDir: split, plots: false });
    expect(first.step).toBe(20);
    const second = await train(config, { runDir: split, plots: false, resumeFrom: first.checkpoint! });
    expect(second.step).toBe(40);
    const a = await finalWeights(straight), b = await finalWeights(split);
    expect(b.step).toBe(40);
    expect(a.g.length).toBeGreaterThan(0);
    expect(a.ema.length).toBe(a.g.length);
    for (const key of ['g', 'd', 'ema'] as const) {
      a[key].forEach((w, i) => expect(Buffer.from(b[key][i]!.buffer).equals(Buffer.from(w.buffer))).toBe(true));
    }
    // Training moved the weights (a resume that restarted from scratch would not match, and neither would a no-op).
    const fresh = await train({ ...config, steps: 1 }, { runDir: join(dir, 'one'), plots: false });
    const c = await finalWeights(fresh.runDir);
    expect(Buffer.from(c.g[0]!.buffer).equals(Buffer.from(a.g[0]!.buffer))).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses to resume with a changed architecture key, listing the difference', async () => {
    const runDir = join(dir, 'split');
    await expect(train({ ...config, steps: 50, generatorHiddenUnits: [16] }, { runDir, plots: false, resumeFrom: runDir }))
      .rejects.toThrow(/cannot resume .*step-000040: architecture keys differ from the checkpoint's: generatorHiddenUnits: expected \[8\] but got \[16\]$/);
  });
});
