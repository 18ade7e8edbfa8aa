// MNIST preset runs for the README: `gan train --preset P --seed S` as a user runs it (its wall time measured from
// process start to exit), then `gan eval --json` of the final checkpoint (10,000 samples, EMA generator). Rows go to
// docs/experiments/mnist.json; a row already there (same preset, seed, steps) is not run again.
// Usage: npx tsx scripts/mnist-experiments.ts [--presets mnist-cdcgan,...] [--seeds 0,1,2] [--runs runs/mnist-experiments]
//        [--out docs/experiments/mnist.json] [--machine quiet] [--table]
// Time on a quiet machine (`ps aux --sort=-%cpu` first): the wall times are part of the result.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadPreset, resolveConfig } from '../src/train/config.js';
import { mnistTable, type MnistResults, type MnistRow } from './mnist-table.js';

const { values } = parseArgs({
  options: {
    presets: { type: 'string', default: 'mnist-cdcgan' },
    seeds: { type: 'string', default: '0,1,2' },
    runs: { type: 'string', default: 'runs/mnist-experiments' },
    out: { type: 'string', default: 'docs/experiments/mnist.json' },
    machine: { type: 'string', default: 'quiet' },
    table: { type: 'boolean', default: false },
  },
});

const stored: MnistResults = existsSync(values.out) ? JSON.parse(readFileSync(values.out, 'utf8')) as MnistResults : { backend: 'wasm', rows: [] };
if (values.table) {
  process.stdout.write(`${mnistTable(stored.rows)}\n`);
  process.exit(0);
}
const gan = new URL('../bin/gan.js', import.meta.url).pathname;
const save = () => {
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(stored, null, 1)}\n`);
};

for (const seed of values.seeds.split(',').map(Number)) {
  for (const preset of values.presets.split(',')) {
    const { steps } = resolveConfig(loadPreset(preset));
    if (stored.rows.some((r) => r.preset === preset && r.seed === seed && r.steps === steps)) continue;
    const runDir = join(values.runs, `${preset}-seed${seed}`);
    rmSync(runDir, { recursive: true, force: true });
    const t0 = performance.now();
    const trained = spawnSync(process.execPath, [gan, 'train', '--preset', preset, '--seed', String(seed), '--backend', 'wasm', '--run-dir', runDir],
      { stdio: ['ignore', 'ignore', 'inherit'] });
    const wallSeconds = (performance.now() - t0) / 1000;
    if (trained.status !== 0) throw new Error(`gan train --preset ${preset} --seed ${seed} exited with ${trained.status}`);
    const out = execFileSync(process.execPath, [gan, 'eval', '--checkpoint', runDir, '--backend', 'wasm', '--json'], { encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as {
      backend: string; samples: number;
      metrics: { classifierScore: number; frechetDistance: number; classesCovered: number; conditionalAccuracy?: { overall: number; perClass: number[] } };
    };
    const m = result.metrics;
    const row: MnistRow = {
      preset, seed, steps, wallSeconds: Number(wallSeconds.toFixed(1)), machine: values.machine,
      evaluation: {
        samples: result.samples, classifierScore: Number(m.classifierScore.toFixed(3)), frechetDistance: Number(m.frechetDistance.toFixed(3)),
        classesCovered: m.classesCovered,
        ...(m.conditionalAccuracy ? { conditionalAccuracy: Number(m.conditionalAccuracy.overall.toFixed(4)), perClassAccuracy: m.conditionalAccuracy.perClass.map((a) => Number(a.toFixed(4))) } : {}),
      },
    };
    stored.backend = result.backend;
    stored.rows.push(row);
    save();
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
}
process.stdout.write(`${mnistTable(stored.rows)}\n`);
