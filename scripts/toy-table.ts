// The toy experiments' settings and the markdown table of their results (mean (min-max) over seeds per setting).
// One module for scripts/toy-experiments.ts (which runs the settings and prints the table with --table) and for
// test/docs/readme_tables.test.ts (which renders the table again and compares it with the copies in the docs).
// No tfjs here: type imports only, so the test does not start a backend.
import type { TrainConfig } from '../src/train/config.js';
import type { MixtureMetrics } from '../src/eval/toy.js';

/** A setting: a preset plus overrides. grid-25 GAN and WGAN reuse the ring-8 presets' keys with `data: grid25`. */
export interface ToySetting { name: string; preset: string; overrides: Partial<TrainConfig> }

/** Every setting, in the order of the table's rows. */
export const TOY_SETTINGS: readonly ToySetting[] = [
  // The losses on their own, GAN vs WGAN vs WGAN-GP: the presets as they were before self-conditioning (clusters 0,
  // constant learning rates; the ring presets without EMA, grid-25-wgan-gp with EMA 0.999 at 10,000 steps).
  { name: 'ring8-gan', preset: 'ring-8-gan', overrides: { clusters: 0, emaDecay: 0, learningRateDecayStart: 0 } },
  { name: 'ring8-wgan', preset: 'ring-8-wgan', overrides: {} },
  { name: 'ring8-wgan-gp', preset: 'ring-8-wgan-gp', overrides: { clusters: 0, emaDecay: 0, learningRateDecayStart: 0 } },
  { name: 'grid25-gan', preset: 'ring-8-gan', overrides: { data: 'grid25', clusters: 0, emaDecay: 0, learningRateDecayStart: 0 } },
  { name: 'grid25-wgan', preset: 'ring-8-wgan', overrides: { data: 'grid25' } },
  { name: 'grid25-wgan-gp', preset: 'grid-25-wgan-gp', overrides: { clusters: 0, steps: 10000, emaDecay: 0.999, learningRateDecayStart: 0 } },
  // The grid-25-wgan-gp preset (network, batch, Adam, 10,000 steps, EMA) with only the loss changed, so that the
  // three losses also meet on equal terms on the grid (the ring presets' settings above were tuned for the ring).
  { name: 'grid25-gan-gridnet', preset: 'grid-25-wgan-gp', overrides: { loss: 'nonSaturating', gradientPenaltyWeight: 0, criticSteps: 1, clusters: 0, steps: 10000, emaDecay: 0.999, learningRateDecayStart: 0 } },
  { name: 'grid25-wgan-gridnet', preset: 'grid-25-wgan-gp', overrides: { gradientPenaltyWeight: 0, weightClip: 0.01, clusters: 0, steps: 10000, emaDecay: 0.999, learningRateDecayStart: 0 } },
  // Self-conditioned on k-means clusters of the data (Liu et al. 2020), sampled from an EMA 0.999 of G at constant
  // learning rates: the presets of the previous version.
  { name: 'ring8-gan-clusters-ema', preset: 'ring-8-gan', overrides: { emaDecay: 0.999, learningRateDecayStart: 0 } },
  { name: 'ring8-wgan-gp-clusters-ema', preset: 'ring-8-wgan-gp', overrides: { emaDecay: 0.999, learningRateDecayStart: 0 } },
  { name: 'grid25-wgan-gp-clusters-ema', preset: 'grid-25-wgan-gp', overrides: { emaDecay: 0.999, learningRateDecayStart: 0 } },
  // The presets as they are: self-conditioned, learning rates decayed to 0 over the second half, no EMA.
  { name: 'ring8-gan-clusters', preset: 'ring-8-gan', overrides: {} },
  { name: 'ring8-wgan-gp-clusters', preset: 'ring-8-wgan-gp', overrides: {} },
  { name: 'grid25-wgan-gp-clusters', preset: 'grid-25-wgan-gp', overrides: {} },
];

/** A row's metrics: rows scored before `spread` was measured (and whose checkpoints are gone) lack it. */
export type ToyMetrics = Omit<MixtureMetrics, 'spread'> & { spread?: number };

/** One trained and scored run: a row of docs/experiments/toy.json. */
export interface ToyRow {
  setting: string; preset: string; overrides: Partial<TrainConfig>; seed: number; steps: number; seconds: number;
  metrics: ToyMetrics; metricsRaw?: ToyMetrics;
}

/** docs/experiments/toy.json as a whole. */
export interface ToyResults { backend: string; cores?: string; rows: ToyRow[] }

/** `mean (min-max)` of xs, each with `digits` decimals. */
function meanRange(xs: number[], digits: number): string {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return `${mean.toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;
}

/**
 * The markdown table of `rows`: one line per setting that has rows, in TOY_SETTINGS order, each figure the mean and
 * range over its seeds. Lines joined with '\n', no trailing newline.
 */
export function toyTable(rows: readonly ToyRow[]): string {
  const lines = [
    '| setting | steps | seeds | modes covered, mean (min-max) | strict coverage | % high quality | reverse KL (nats) | spread (real: 1) | % high quality, raw G (EMA rows) | spread, raw G | wall time per run, s |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of TOY_SETTINGS) {
    const rs = rows.filter((r) => r.setting === s.name);
    if (!rs.length) continue;
    const steps = [...new Set(rs.map((r) => r.steps.toLocaleString('en-US')))].join('/');
    const k = rs[0]!.metrics.numModes;
    const seedList = rs.map((r) => r.seed).sort((a, b) => a - b).join(',');
    const raw = rs.flatMap((r) => (r.metricsRaw ? [r.metricsRaw] : []));
    // Spread only where every seed has it (rows scored before it was measured, with their runs gone, have none).
    const spread = (ms: ToyMetrics[]) => (ms.length && ms.every((m) => typeof m.spread === 'number') ? meanRange(ms.map((m) => m.spread!), 2) : '-');
    lines.push(`| ${s.name} | ${steps} | ${seedList} | ${meanRange(rs.map((r) => r.metrics.modesCovered), 1)} / ${k} | ${meanRange(rs.map((r) => r.metrics.modesCoveredStrict), 1)} | ${meanRange(rs.map((r) => r.metrics.highQualityPercent), 1)} | ${meanRange(rs.map((r) => r.metrics.reverseKl), 3)} | ${spread(rs.map((r) => r.metrics))} | ${raw.length ? meanRange(raw.map((m) => m.highQualityPercent), 1) : '-'} | ${spread(raw)} | ${meanRange(rs.map((r) => r.seconds), 0)} |`);
  }
  return lines.join('\n');
}
