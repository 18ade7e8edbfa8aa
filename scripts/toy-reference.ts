// Prints the toy metrics of reference sample sets (2,500 points each): real data, a one-mode collapse, clusters a
// third as wide as the modes, uniform noise.
// Usage: npx tsx scripts/toy-reference.ts
import { Rng } from '../src/random.js';
import { gaussian1d, grid25, ring8 } from '../src/data/toy.js';
import { gaussian1dMetrics, mixtureMetrics } from '../src/eval/toy.js';

const n = 2500;
const rng = new Rng(0), narrow = new Rng(1);
const fmt = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
console.log('data    reference set                 modes covered  strict  high quality  reverse KL  spread');
for (const toy of [ring8, grid25]) {
  const k = toy.centers.length;
  const sets: [string, ArrayLike<number>][] = [
    ['real data', toy.sample(rng, n).points],
    ['collapsed onto mode 0', Float32Array.from({ length: 2 * n }, (_, i) => toy.centers[0]![i % 2]! + toy.std * rng.normal())],
    ['95% on mode 0, 5% on the rest', Float32Array.from({ length: 2 * n }, (_, i) => {
      const mode = Math.floor(i / 2) < 0.95 * n ? 0 : 1 + (Math.floor(i / 2) % (k - 1));
      return toy.centers[mode]![i % 2]! + toy.std * rng.normal();
    })],
    ['uniform on [-R, R]^2', rng.uniformArray(2 * n, toy === ring8 ? -2.5 : -5, toy === ring8 ? 2.5 : 5)],
    // Its own Rng, so the sets above draw what they drew before this one was added.
    ['every mode, a third as wide', Float32Array.from({ length: 2 * n }, (_, i) => toy.centers[Math.floor(i / 2) % k]![i % 2]! + (toy.std / 3) * narrow.normal())],
  ];
  for (const [name, points] of sets) {
    const m = mixtureMetrics(points, toy);
    console.log(`${toy.name.padEnd(8)}${name.padEnd(30)}${`${m.modesCovered}/${k}`.padStart(13)}${`${m.modesCoveredStrict}/${k}`.padStart(8)}${`${fmt(m.highQualityPercent, 1)}%`.padStart(14)}${fmt(m.reverseKl, 3).padStart(12)}${fmt(m.spread, 2).padStart(8)}`);
  }
}
const real = gaussian1dMetrics(gaussian1d.sample(rng, n).points, 3, 0.5);
const wide = gaussian1dMetrics(rng.normalArray(n, 3, 1), 3, 0.5);
console.log(`\ngaussian1d real data N(3, 0.5): mean ${real.mean.toFixed(3)} std ${real.std.toFixed(3)} KS ${real.ks.toFixed(4)}`);
console.log(`gaussian1d N(3, 1) (too wide):  mean ${wide.mean.toFixed(3)} std ${wide.std.toFixed(3)} KS ${wide.ks.toFixed(4)}`);
