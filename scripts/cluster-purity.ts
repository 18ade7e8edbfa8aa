// How well a self-conditioned MNIST preset's k-means clusters line up with the digit classes (which training never
// reads): the share of digits whose cluster's most frequent class is their own (purity), and the cluster sizes.
// Usage: npx tsx scripts/cluster-purity.ts [--preset mnist-dcgan] [--clusters K] [--seed N] [--backend wasm]
import { parseArgs } from 'node:util';
import { startBackend } from '../src/cli/args.js';
import { loadMnist } from '../src/data/mnist.js';
import { loadPreset, resolveConfig } from '../src/train/config.js';
import { clusterFixedSet } from '../src/train/clusters.js';

const { values } = parseArgs({
  options: { preset: { type: 'string', default: 'mnist-dcgan' }, clusters: { type: 'string' }, seed: { type: 'string', default: '0' }, backend: { type: 'string', default: 'wasm' } },
});
const config = resolveConfig(loadPreset(values.preset), { seed: Number(values.seed), ...(values.clusters ? { clusters: Number(values.clusters) } : {}) });
if (config.clusters < 2) throw new Error(`${values.preset} is not self-conditioned (clusters ${config.clusters}): pass --clusters K`);
await startBackend(values.backend);
const data = loadMnist({ split: 'train' });
const t0 = performance.now();
const { assignments, sizes } = await clusterFixedSet(data.images, data.height * data.width, config.clusters, config.seed);
const seconds = (performance.now() - t0) / 1000;
const counts = Array.from({ length: config.clusters }, () => new Array<number>(10).fill(0));
for (let i = 0; i < data.count; i++) counts[assignments[i]!]![data.labels[i]!]!++;
const pure = counts.reduce((total, c) => total + Math.max(...c), 0);
console.log(`${config.clusters} clusters (seed ${config.seed}) of ${Math.min(...sizes)}-${Math.max(...sizes)} digits in ${seconds.toFixed(1)} s; purity ${(100 * pure / data.count).toFixed(1)}%`);
