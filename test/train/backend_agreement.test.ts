// The same run on two backends gives the same losses to float32 noise: ring-8-wgan-gp at batch 64 (a gradient penalty, so
// second-order gradients too) for 30 steps on the suite's backend (GAN_BACKEND: webgpu in CI's GPU job) and on wasm
// (cpu when the suite itself runs on wasm), same seed, read from each run's metrics.jsonl.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initBackend } from '../../src/tf.js';
import { loadPreset, resolveConfig } from '../../src/train/config.js';
import { train } from '../../src/train/loop.js';
import { testBackend } from '../setup.js';

let dir = '';
let first = 'cpu';
beforeAll(async () => {
  first = (await testBackend()).name;
  dir = mkdtempSync(join(tmpdir(), 'gan-agree-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function losses(backend: string): Promise<{ step: number; dLoss: number; gLoss: number }[]> {
  await initBackend(backend as 'cpu');
  const runDir = join(dir, backend);
  const config = resolveConfig(loadPreset('ring-8-wgan-gp'), { steps: 30, batchSize: 64, metricsEvery: 1, logEvery: 10, checkpointEvery: 0, sampleEvery: 0, evalEvery: 0, evalSamples: 100, seed: 3 });
  await train(config, { runDir, plots: false });
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; dLoss: number; gLoss: number }).filter((m) => 'dLoss' in m);
}

it("gives the suite backend's ring-8-wgan-gp losses to float32 noise of another backend's over 30 steps", async () => {
  const second = first === 'wasm' ? 'cpu' : 'wasm';
  const a = await losses(first);
  const b = await losses(second);
  expect(a.map((m) => m.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  expect(b.map((m) => m.step)).toEqual(a.map((m) => m.step));
  // Float32 kernels summing in different orders differ by ~1e-7 relative per op; 30 steps of Adam compound that,
  // measured ~1e-6 between webgpu and wasm. 1e-4 relative (plus 1e-5 absolute for losses near 0) leaves a margin,
  // while a real divergence (a wrong kernel or gradient) moves losses by 1e-2 or more within a few steps.
  for (let i = 0; i < a.length; i++) {
    for (const key of ['dLoss', 'gLoss'] as const) {
      const x = a[i]![key], y = b[i]![key];
      expect(Math.abs(x - y), `step ${a[i]!.step} ${key}: ${first} ${x} vs ${second} ${y}`).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(y));
    }
  }
  // And the runs are not trivially equal because nothing happened: the losses move over the 30 steps.
  expect(Math.abs(a[29]!.dLoss - a[0]!.dLoss)).toBeGreaterThan(1e-3);
});
