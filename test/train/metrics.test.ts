// metrics.jsonl holds the step's parts, and they add up: for a Wasserstein critic, D's adversarial loss is
// mean D(fake) - mean D(real) = -(dReal - dFake), and dLoss adds the weighted penalty.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveConfig } from '../../src/train/config.js';
import { train } from '../../src/train/loop.js';
import { dcganDiscriminator, dcganGenerator } from '../../src/models/dcgan.js';
import { testBackend } from '../setup.js';

let dir = '';
beforeAll(async () => {
  await testBackend();
  dir = mkdtempSync(join(tmpdir(), 'gan-metrics-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('logs D(real), D(fake), the Wasserstein estimate and the penalty, consistent with the losses (float32 rounding)', async () => {
  const config = resolveConfig({
    data: 'ring8', model: 'mlp', generatorHiddenUnits: [8], discriminatorHiddenUnits: [8], discriminatorNormalization: 'none',
    loss: 'wasserstein', gradientPenaltyWeight: 0.5, criticSteps: 2, batchSize: 16, steps: 4, metricsEvery: 1, evalSamples: 100,
  });
  await train(config, { runDir: join(dir, 'wgan-gp'), plots: false });
  const lines = readFileSync(join(dir, 'wgan-gp', 'metrics.jsonl'), 'utf8').trim().split('\n')
    .map((l) => JSON.parse(l) as Record<string, number>).filter((m) => 'dLoss' in m);
  expect(lines.map((m) => m.step)).toEqual([1, 2, 3, 4]);
  for (const m of lines) {
    expect(Object.keys(m)).toEqual(expect.arrayContaining(['dReal', 'dFake', 'wassersteinEstimate', 'gradientPenalty', 'dAdversarialLoss', 'dGradNorm', 'gGradNorm']));
    expect(m.dGradNorm).toBeGreaterThan(0);
    expect(m.gGradNorm).toBeGreaterThan(0);
    expect(m.wassersteinEstimate).toBe(m.dReal! - m.dFake!);
    expect(Math.abs(m.dAdversarialLoss! + m.wassersteinEstimate!)).toBeLessThan(1e-5 + 1e-5 * Math.abs(m.wassersteinEstimate!));
    expect(Math.abs(m.dLoss! - (m.dAdversarialLoss! + 0.5 * m.gradientPenalty!))).toBeLessThan(1e-5 + 1e-5 * Math.abs(m.dLoss!));
    expect(m.gradientPenalty).toBeGreaterThan(0);
  }
});

it("logs an AC-GAN's class losses, and D's loss adds its weighted class loss (float32 rounding)", async () => {
  // Conditional custom data (4 labelled 16x16 images per batch) with an AC-GAN pair of the builders.
  const common = { imageSize: 16, channels: 1, baseWidth: 2, kernelSize: 3, numClasses: 3 };
  const models = {
    generator: dcganGenerator({ ...common, latentDim: 4, seed: 1 }),
    discriminator: dcganDiscriminator({ ...common, conditioning: 'projection', auxiliaryClassifier: true, seed: 2 }),
  };
  const batches = {
    *[Symbol.iterator]() {
      for (let b = 0; b < 4; b++) yield { x: Float32Array.from({ length: 4 * 256 }, (_, i) => Math.sin(i + b)), labels: Int32Array.from([0, 1, 2, b % 3]) };
    },
  };
  const config = resolveConfig({ data: 'custom', latentDim: 4, auxiliaryClassifierWeight: 0.5, batchSize: 4, steps: 3, metricsEvery: 1, logEvery: 1 });
  await train(config, { runDir: join(dir, 'acgan'), plots: false, models, data: batches });
  const lines = readFileSync(join(dir, 'acgan', 'metrics.jsonl'), 'utf8').trim().split('\n')
    .map((l) => JSON.parse(l) as Record<string, number>).filter((m) => 'dLoss' in m);
  expect(lines.map((m) => m.step)).toEqual([1, 2, 3]);
  for (const m of lines) {
    expect(m.dClassLoss).toBeGreaterThan(0.3); // a barely trained 3-way head: near log 3 = 1.10
    expect(m.gClassLoss).toBeGreaterThan(0.3);
    expect(Math.abs(m.dLoss! - (m.dAdversarialLoss! + 0.5 * m.dClassLoss!))).toBeLessThan(1e-5 + 1e-5 * Math.abs(m.dLoss!));
  }
});
