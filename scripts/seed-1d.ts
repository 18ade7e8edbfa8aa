// Reproduces the seed's 1D GAN run (N(3, 0.5), batch 256, D lr 0.002, G lr 0.001, 2000 epochs, non-saturating) in
// float64 scratch and in tfjs from the same seeds. Usage: npx tsx scripts/seed-1d.ts [--seeds 0,1,2] [--impl both|scratch|tfjs] [--backend B]
import { parseArgs } from 'node:util';
import { SEED_1D, trainGan, type Snapshot } from '../src/scratch/train.js';
import { tfTrainGan } from '../src/parity/tfjs-train.js';
import { startBackend } from '../src/cli/args.js';
import { Generator } from '../src/scratch/networks.js';
import { gaussian } from '../src/scratch/data.js';
import { Rng } from '../src/random.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '0,1,2,3,4' },
    impl: { type: 'string', default: 'both' },
    backend: { type: 'string' },
    epochs: { type: 'string', default: String(SEED_1D.epochs) },
    loss: { type: 'string', default: 'nonSaturating' },
    'init-stats': { type: 'string' },
  },
});

// --init-stats N: G's output at initialisation (before any step) over N seeds, to compare with the seed's epoch-0
// line (G mean 0.142, std 0.087), which He init with noise_dim 1 makes unlikely.
if (values['init-stats'] !== undefined) {
  const n = Number(values['init-stats']);
  const stds: number[] = [];
  for (let seed = 0; seed < n; seed++) {
    const rng = new Rng(seed);
    const G = Generator.create(rng, 1, 64, 1);
    stds.push(G.forward(gaussian(rng, 1000, 1)).std());
  }
  stds.sort((a, b) => a - b);
  const q = (p: number) => stds[Math.floor(p * (n - 1))]!.toFixed(3);
  console.log(`G std at init over ${n} seeds: min ${q(0)}, 5% ${q(0.05)}, median ${q(0.5)}, 95% ${q(0.95)}; share <= 0.1: ${(stds.filter((s) => s <= 0.1).length / n).toFixed(3)}`);
  process.exit(0);
}
const seeds = values.seeds.split(',').map(Number);
const impls = values.impl === 'both' ? ['scratch', 'tfjs'] : [values.impl];
if (impls.includes('tfjs')) await startBackend(values.backend);
const loss = values.loss === 'saturating' ? 'saturating' : 'nonSaturating';

const rows: { impl: string; seed: number; epoch: number; mean: number; std: number; dLoss: number }[] = [];
for (const seed of seeds) {
  for (const impl of impls) {
    const config = { ...SEED_1D, seed, epochs: Number(values.epochs), generatorLoss: loss } as const;
    const t0 = Date.now();
    const run = impl === 'scratch' ? trainGan(config) : await tfTrainGan(config);
    const history: Snapshot[] = run.history;
    // Where D's ReLU kinks (x = -b1 / w1) are: D's logit is linear between kinks, so it can only penalise the
    // spread of G's samples around the target mean if some kinks lie near it.
    const Dp = 'mlp' in run.D ? run.D.mlp.params : run.D;
    const kinks = Array.from(Dp.W1.data, (w, j) => -Dp.b1.data[j]! / w);
    const near = kinks.filter((k) => Math.abs(k - 3) <= 1.5).length;
    const range = `[${Math.min(...kinks).toFixed(2)}, ${Math.max(...kinks).toFixed(2)}]`;
    for (const h of history) {
      rows.push({ impl, seed, epoch: h.epoch, mean: h.mean[0]!, std: h.std[0]!, dLoss: h.loss });
      console.log(`${impl.padEnd(7)} seed ${seed} epoch ${String(h.epoch).padStart(4)}: G mean=${h.mean[0]!.toFixed(3)}, G std=${h.std[0]!.toFixed(3)}, D loss=${h.loss.toFixed(3)}`);
    }
    console.log(`${impl} seed ${seed}: ${((Date.now() - t0) / 1000).toFixed(1)} s; D's ReLU kinks in [1.5, 4.5]: ${near} of ${kinks.length}, all in ${range}`);
  }
}
console.log(JSON.stringify({ config: { ...SEED_1D, epochs: Number(values.epochs), generatorLoss: loss }, rows }));
