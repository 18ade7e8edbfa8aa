// Long-run check (issue 8): a mnist-dcgan run on wasm logging tf.memory().numTensors and RSS every --every steps;
// reports whether numTensors stays constant after warm-up and the RSS growth from step --from to the end.
// Usage: npx tsx scripts/long-run.ts [--steps 2000] [--every 100] [--from 200] [--backend wasm] [--run-dir runs/long-run] [--json]
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startBackend } from '../src/cli/args.js';
import { loadPreset, resolveConfig } from '../src/train/config.js';
import { train } from '../src/train/loop.js';
import { tf } from '../src/tf.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '2000' },
    every: { type: 'string', default: '100' },
    from: { type: 'string', default: '200' },
    backend: { type: 'string', default: 'wasm' },
    'run-dir': { type: 'string', default: 'runs/long-run' },
    json: { type: 'boolean' },
  },
});
const steps = Number(values.steps), every = Number(values.every), from = Number(values.from);
const backend = await startBackend(values.backend);
// Sample PNGs and checkpoints stay on at the preset's periods: they are part of a real run's memory behaviour.
const config = resolveConfig(loadPreset('mnist-dcgan'), { steps });
rmSync(values['run-dir'], { recursive: true, force: true });

const log: { step: number; numTensors: number; rssMiB: number; seconds: number }[] = [];
const t0 = performance.now();
const record = (step: number) => {
  const entry = { step, numTensors: tf.memory().numTensors, rssMiB: process.memoryUsage().rss / 2 ** 20, seconds: (performance.now() - t0) / 1000 };
  log.push(entry);
  process.stderr.write(`step ${step}: numTensors ${entry.numTensors}, RSS ${entry.rssMiB.toFixed(1)} MiB, ${entry.seconds.toFixed(0)} s\n`);
};
await train(config, { runDir: values['run-dir'], onStep: (step) => { if (step % every === 0 || step === 1) record(step); } });

const after = log.filter((e) => e.step >= from);
const tensors = new Set(after.map((e) => e.numTensors));
const first = after[0], last = after[after.length - 1];
const growth = first && last ? (100 * (last.rssMiB - first.rssMiB)) / first.rssMiB : Number.NaN;
const summary = {
  backend: backend.name, steps, from, numTensorsConstant: tensors.size === 1, numTensors: [...tensors],
  rssFromMiB: first?.rssMiB ?? null, rssEndMiB: last?.rssMiB ?? null, rssGrowthPercent: growth, seconds: (performance.now() - t0) / 1000, log,
};
console.log(`numTensors after step ${from}: ${tensors.size === 1 ? `constant at ${[...tensors][0]}` : `varies: ${[...tensors].join(', ')}`}; RSS ${first?.rssMiB.toFixed(1)} -> ${last?.rssMiB.toFixed(1)} MiB (${growth.toFixed(2)}%) from step ${first?.step} to ${last?.step}`);
if (values.json) console.log(JSON.stringify(summary));
