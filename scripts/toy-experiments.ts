// Toy-mixture experiments for the README: vanilla GAN vs WGAN (clipping) vs WGAN-GP on ring-8 and grid-25, several
// seeds, scored with the VEEGAN (Srivastava et al. 2017) / PacGAN (Lin et al. 2018) protocol through train() + evaluateGenerator().
// Usage: npx tsx scripts/toy-experiments.ts [--settings ring8-gan,...] [--seeds 0,1,2,3,4] [--steps N] [--backend wasm]
//        [--out docs/experiments/toy.json] [--images docs/images] [--runs runs/toy-experiments] [--table] [--rescore]
// --table prints the markdown table of the rows already in --out and trains nothing. --rescore trains nothing either:
// it scores the final checkpoints of the rows in --out again (same protocol), checks them against the figures the rows
// hold, and adds the metrics added since (spread); rows whose run directory is gone keep what they have.
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBackend } from '../src/cli/args.js';
import { loadPreset, resolveConfig, type TrainConfig } from '../src/train/config.js';
import { TOY_SETTINGS as SETTINGS, toyTable, type ToyResults, type ToyRow } from './toy-table.js';
import { train } from '../src/train/loop.js';
import { checkpointName, loadGenerator } from '../src/checkpoint/index.js';
import { evaluateGenerator } from '../src/eval/generator.js';
import { generateSamples } from '../src/models/generate.js';
import type { MixtureMetrics } from '../src/eval/toy.js';
import { toyDataset } from '../src/data/toy.js';
import { scatterPlot } from '../src/viz/scatter.js';
import { writePng } from '../src/viz/canvas.js';
import { Rng } from '../src/random.js';
import { tf } from '../src/tf.js';
import type * as tfjs from '@tensorflow/tfjs';

const { values } = parseArgs({
  options: {
    settings: { type: 'string', default: SETTINGS.map((s) => s.name).join(',') },
    seeds: { type: 'string', default: '0,1,2,3,4' },
    steps: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    out: { type: 'string', default: 'docs/experiments/toy.json' },
    images: { type: 'string', default: 'docs/images' },
    runs: { type: 'string', default: 'runs/toy-experiments' },
    table: { type: 'boolean', default: false }, // only print the table of the rows in --out
    rescore: { type: 'boolean', default: false }, // score the rows' checkpoints again (see above)
  },
});

/** The protocol: 2,500 samples, latent seed 0. */
const score = async (generator: tfjs.LayersModel, data: TrainConfig['data']): Promise<MixtureMetrics> => {
  const evaluation = await evaluateGenerator(generator, { data, samples: 2500, seed: 0 });
  if (evaluation.data !== 'ring8' && evaluation.data !== 'grid25') throw new Error('expected a mixture evaluation');
  return evaluation.metrics;
};

/**
 * A checkpoint's row figures: the generator that sampling uses (the EMA one when the run keeps one), and with EMA the
 * raw generator's beside it (`metricsRaw`, what the average buys). `plot` sees the sampling generator first.
 */
async function scoreCheckpoint(dir: string, data: TrainConfig['data'], plot?: (generator: tfjs.LayersModel) => Promise<void>):
  Promise<{ metrics: MixtureMetrics; metricsRaw?: MixtureMetrics }> {
  const { generator, usedEma } = await loadGenerator(dir);
  const metrics = await score(generator, data);
  await plot?.(generator);
  generator.dispose();
  if (!usedEma) return { metrics };
  const raw = (await loadGenerator(dir, { ema: false })).generator;
  const metricsRaw = await score(raw, data);
  raw.dispose();
  return { metrics, metricsRaw };
}

// Rows already in --out are kept (the script can be restarted and continues where it stopped).
const stored = existsSync(values.out) ? (JSON.parse(readFileSync(values.out, 'utf8')) as ToyResults) : null;
const rows: ToyRow[] = stored?.rows ?? [];
const backendName = values.table ? stored?.backend ?? 'none' : (await startBackend(values.backend)).name;
const seeds = values.table || values.rescore ? [] : values.seeds.split(',').map(Number);
const wanted = values.settings.split(',');
const save = () => {
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify({ backend: backendName, cores: 'shared 2-core machine', rows }, null, 1)}\n`);
};

// Seed-major order: stopped early, the results still hold every setting for the seeds done.
for (const seed of seeds) {
  for (const name of wanted) {
    const setting = SETTINGS.find((s) => s.name === name);
    if (!setting) throw new Error(`unknown setting '${name}': expected one of ${SETTINGS.map((s) => s.name).join(', ')}`);
    const overrides: Partial<TrainConfig> = { ...setting.overrides, seed, sampleEvery: 0, checkpointEvery: 0, keepCheckpoints: 1 };
    if (values.steps) overrides.steps = Number(values.steps);
    const config = resolveConfig(loadPreset(setting.preset), overrides);
    if (rows.some((r) => r.setting === name && r.seed === seed && r.steps === config.steps)) continue;
    const runDir = join(values.runs, `${name}-seed${seed}`);
    const t0 = performance.now();
    const result = await train(config, { runDir, plots: false });
    const seconds = (performance.now() - t0) / 1000;
    const plot = async (generator: tfjs.LayersModel) => {
      const toy = toyDataset(config.data);
      const generated = (await generateSamples(generator, 1000, new Rng(1))).values;
      const real = toy.sample(new Rng(2), 1000).points;
      const path = join(values.images, `toy-${name}-seed${seed}.png`);
      mkdirSync(values.images, { recursive: true });
      await writePng(await scatterPlot({ dim: 2, real, generated, centers: toy.centers, title: `${name} seed ${seed}` }), path);
    };
    const { metrics: m, metricsRaw } = await scoreCheckpoint(result.checkpoint!, config.data, seed === seeds[0] ? plot : undefined);
    rows.push({ setting: name, preset: setting.preset, overrides: setting.overrides, seed, steps: config.steps, seconds, metrics: m, ...(metricsRaw && { metricsRaw }) });
    save();
    console.log(`${name} seed ${seed} (${config.steps} steps, ${seconds.toFixed(0)} s): modes ${m.modesCovered}/${m.numModes}, strict ${m.modesCoveredStrict}, HQ ${m.highQualityPercent.toFixed(1)}%, reverse KL ${m.reverseKl.toFixed(3)}${metricsRaw ? ` (EMA; raw G: modes ${metricsRaw.modesCovered}, HQ ${metricsRaw.highQualityPercent.toFixed(1)}%)` : ''}; tensors ${tf.memory().numTensors}`);
  }
}

if (values.rescore) {
  // The same checkpoint scored by the same protocol must give the stored mode counts: else it is not the row's run.
  const again = (row: ToyRow, stored: ToyRow['metrics'], fresh: MixtureMetrics, what: string) => {
    if (JSON.stringify(stored.modeCounts) !== JSON.stringify(fresh.modeCounts)) {
      throw new Error(`${row.setting} seed ${row.seed} (${what}): mode counts ${JSON.stringify(fresh.modeCounts)} where the row holds ${JSON.stringify(stored.modeCounts)}`);
    }
    return fresh;
  };
  for (const row of rows.filter((r) => wanted.includes(r.setting))) {
    const dir = join(values.runs, `${row.setting}-seed${row.seed}`, 'checkpoints', checkpointName(row.steps));
    if (!existsSync(dir)) continue;
    const fresh = await scoreCheckpoint(dir, resolveConfig(loadPreset(row.preset), row.overrides).data);
    row.metrics = again(row, row.metrics, fresh.metrics, 'sampling generator');
    if (row.metricsRaw) row.metricsRaw = again(row, row.metricsRaw, fresh.metricsRaw!, 'raw generator');
    console.log(`${row.setting} seed ${row.seed}: rescored ${dir}: spread ${row.metrics.spread!.toFixed(2)}${row.metricsRaw ? ` (raw G ${row.metricsRaw.spread!.toFixed(2)})` : ''}`);
    save();
  }
}

// ---- the markdown table: mean (min-max) over seeds per setting (the README's and docs/experiments.md's copies are
// checked against it by test/docs/readme_tables.test.ts) ----
console.log(`\nbackend ${backendName}\n`);
console.log(toyTable(rows));
