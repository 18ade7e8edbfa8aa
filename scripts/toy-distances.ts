// Where a toy mixture run's samples sit: the share within 1, 2, 3, 4, 6 and 10 std of their nearest mode centre
// (3 std is the high-quality cut of evaluation.md), and the median distance, for 10,000 samples of the checkpoint's
// generator (EMA where it has one, latent seed 0). Tells generated clusters that are too wide from a trail between modes.
// Usage: npx tsx scripts/toy-distances.ts RUN_OR_CHECKPOINT_DIR [--data ring8|grid25]
import { parseArgs } from 'node:util';
import { generateSamples, initBackend, loadGenerator, Rng, toyDataset } from '../src/index.js';

const { values, positionals } = parseArgs({ options: { data: { type: 'string', default: 'ring8' } }, allowPositionals: true });
if (positionals.length !== 1) throw new Error('usage: npx tsx scripts/toy-distances.ts RUN_OR_CHECKPOINT_DIR [--data ring8|grid25]');
await initBackend('wasm');
const { generator } = await loadGenerator(positionals[0]!);
const data = toyDataset(values.data);
const n = 10000;
const { values: xy } = await generateSamples(generator, n, new Rng(0));
const r = Array.from({ length: n }, (_, i) =>
  Math.min(...data.centers.map((c) => Math.hypot(xy[2 * i]! - c[0]!, xy[2 * i + 1]! - c[1]!))) / data.std).sort((a, b) => a - b);
const share = (t: number) => `${(100 * r.filter((x) => x < t).length / n).toFixed(1)}%`;
console.log(`within 1 / 2 / 3 / 4 / 6 / 10 std of the nearest centre: ${[1, 2, 3, 4, 6, 10].map(share).join(' / ')}`);
// A 2D Gaussian of std s has median distance s * sqrt(2 ln 2) = 1.18 s from its centre.
console.log(`median distance ${r[n >> 1]!.toFixed(2)} std (real data: 1.18)`);
