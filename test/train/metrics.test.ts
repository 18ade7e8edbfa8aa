// metrics.jsonl holds the step's parts, and they add up: for a Wasserstein critic, D's adversarial loss is
// mean D(fake) - mean D(real) = -(dReal - dFake), and dLoss adds the weighted penalty.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveConfig } from '../../src/train/config.js';
import { train } from '../../src/train/loop.js';
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
    expect(Object.keys(m)).toEqual(expect.arrayContaining(['dReal', 'dFake', 'wassersteinEstimate', 'gradientPenalty', 'dAdversarialLoss']));
    expect(m.wassersteinEstimate).toBe(m.dReal! - m.dFake!);
    expect(Math.abs(m.dAdversarialLoss! + m.wassersteinEstimate!)).toBeLessThan(1e-5 + 1e-5 * Math.abs(m.wassersteinEstimate!));
    expect(Math.abs(m.dLoss! - (m.dAdversarialLoss! + 0.5 * m.gradientPenalty!))).toBeLessThan(1e-5 + 1e-5 * Math.abs(m.dLoss!));
    expect(m.gradientPenalty).toBeGreaterThan(0);
  }
});
