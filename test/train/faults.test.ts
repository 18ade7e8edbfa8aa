import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';
import { resolveConfig } from '../../src/train/config.js';
import { train } from '../../src/train/loop.js';
import { NumericError } from '../../src/errors.js';

const config = resolveConfig({
  data: 'ring8', model: 'mlp', generatorHiddenUnits: [8], discriminatorHiddenUnits: [8], batchSize: 8, steps: 10,
  checkpointEvery: 2, sampleEvery: 0, metricsEvery: 1, logEvery: 1, evalSamples: 100, seed: 1,
});

const steps = (runDir: string) => readdirSync(join(runDir, 'checkpoints')).filter((f) => f.startsWith('step-')).sort();

describe('faults during training', () => {
  let dir: string;
  beforeAll(async () => {
    await testBackend();
    dir = mkdtempSync(join(tmpdir(), 'gan-faults-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops with a NumericError naming the step and the bad quantity, keeping the last good checkpoint', async () => {
    const before = tf.memory().numTensors;
    const runDir = join(dir, 'nan');
    // A NaN written into one D weight after step 5: D's loss at step 6 is NaN.
    const poison = (step: number, models: { discriminator: TF.LayersModel }) => {
      if (step !== 5) return;
      const w = models.discriminator.weights[0]!;
      const bad = tf.mul(w.read(), Number.NaN);
      w.write(bad);
      bad.dispose();
    };
    const error = await train(config, { runDir, plots: false, onStep: poison }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NumericError);
    expect((error as Error).message).toMatch(/^step 5: discriminator weight \S+ is not finite; stopped; last good checkpoint: .*step-000004$/);
    expect(steps(runDir)).toEqual(['step-000002', 'step-000004']);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports a NaN loss when the weights are fine but a loss is not', async () => {
    const runDir = join(dir, 'nanloss');
    // Inf in a G weight makes every fake sample Inf: the loss check (every step) fires before the weight check.
    const poison = (step: number, models: { generator: TF.LayersModel }) => {
      if (step !== 3) return;
      const w = models.generator.weights[models.generator.weights.length - 1]!;
      const bad = tf.add(w.read(), Number.POSITIVE_INFINITY);
      w.write(bad);
      bad.dispose();
    };
    await expect(train({ ...config, metricsEvery: 100 }, { runDir, plots: false, onStep: poison }))
      .rejects.toThrow(/^step 4: discriminator loss is NaN; stopped; last good checkpoint: .*step-000002$/);
    expect(steps(runDir)).toEqual(['step-000002']);
  });

  it('refuses a fresh run over a directory that holds checkpoints, checked under the run lock (not before it)', async () => {
    // The race of two starts: the check happens inside train(), after the lock is taken, so a run that finished in
    // this directory a moment before (checkpoints written, lock released) is seen; train() never trains over it.
    const runDir = join(dir, 'over');
    await train({ ...config, steps: 2 }, { runDir, plots: false });
    await expect(train({ ...config, steps: 2 }, { runDir, plots: false })).rejects.toThrow(
      `--run-dir: ${runDir} already holds checkpoints; continue it with --resume ${runDir} or pick another directory`,
    );
    expect(steps(runDir)).toEqual(['step-000002']);
  });

  it('finishes the step, writes a checkpoint and returns when aborted (SIGINT/SIGTERM)', async () => {
    const runDir = join(dir, 'abort');
    const controller = new AbortController();
    const result = await train({ ...config, checkpointEvery: 0 }, {
      runDir, plots: false, signal: controller.signal, onStep: (step) => { if (step === 3) controller.abort(); },
    });
    expect(result).toMatchObject({ step: 3, interrupted: true });
    expect(result.checkpoint).toBe(join(runDir, 'checkpoints', 'step-000003'));
    expect(existsSync(join(runDir, 'run.lock'))).toBe(false);
  });
});
