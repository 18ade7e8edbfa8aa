// Plain-text tables of evaluation results, with the reference rows (real data, noise) beside the generator's.
import { Rng } from '../random.js';
import { toyDataset } from '../data/toy.js';
import type { EvaluationResult } from './generator.js';
import type { MnistMetrics, MnistReferenceRow } from './mnist.js';
import type { ImageFolderMetrics } from './image_folder.js';
import { IMAGE_FEATURE_DIM } from './image_features.js';
import { gaussian1dMetrics, mixtureMetrics } from './toy.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(header), ...rows.map(fmt)].join('\n');
}

const f = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** Real data scored the same way (same sample count, seed 12345), for toy results. */
export function toyReference(result: Extract<EvaluationResult, { data: 'gaussian1d' | 'ring8' | 'grid25' }>): EvaluationResult {
  const toy = toyDataset(result.data);
  const { points } = toy.sample(new Rng(12345), result.samples);
  return result.data === 'gaussian1d'
    ? { data: 'gaussian1d', samples: result.samples, metrics: gaussian1dMetrics(points, toy.centers[0]![0]!, toy.std) }
    : { data: result.data, samples: result.samples, metrics: mixtureMetrics(points, toy) };
}

function mnistRow(name: string, m: MnistMetrics): string[] {
  return [name, String(m.samples), f(m.classifierScore, 3), f(m.frechetDistance, 3), `${m.classesCovered}/10`,
    m.conditionalAccuracy ? `${(100 * m.conditionalAccuracy.overall).toFixed(1)}%` : '-'];
}

const MNIST_HEADER = ['', 'samples', 'classifier score', 'Fréchet distance', 'classes >= 5%', 'conditional accuracy'];

/** The MNIST reference rows alone (real rows: conditional accuracy is the accuracy against the true labels). */
export function formatReferenceRows(rows: MnistReferenceRow[]): string {
  return table(MNIST_HEADER, rows.map((r) => mnistRow(r.name, r)));
}

function imageRow(name: string, m: ImageFolderMetrics): string[] {
  return [name, String(m.samples), f(m.frechetDistance, 3), f(m.precision, 3), f(m.recall, 3), f(m.coverage, 3)];
}

/** A table for the result's data kind; `title` names the checkpoint and generator. */
export function formatEvaluation(result: EvaluationResult, title: string): string {
  const lines = [title];
  if (result.data === 'images') {
    const { reference } = result;
    lines.push(table(['', 'samples', 'Fréchet distance', 'precision', 'recall', 'coverage'],
      [imageRow('generator', result.metrics), imageRow('real (other half)', reference.real)]));
    lines.push(`both rows against half A of the folder (${reference.referenceImages} of its ${reference.folderImages} images); the real row is ${reference.real.samples} images of the other half`
      + (result.samples < result.requestedSamples ? ` (${result.requestedSamples} samples asked for, capped at the other half's size)` : ''));
    lines.push(`features: a fixed random conv net (${IMAGE_FEATURE_DIM}-d; colour, texture, layout, not semantics); precision, recall, coverage: k-NN with k = 3;`);
    lines.push('the numbers compare runs on this folder, not across folders; the real row is what this folder\'s own images score.');
    return lines.join('\n');
  }
  if (result.data === 'mnist' || result.data === 'fashion-mnist') {
    const m = result.metrics;
    lines.push(table(MNIST_HEADER, [mnistRow('generator', m), ...result.reference.map((r) => mnistRow(r.name, r))]));
    lines.push(`class histogram (generator): ${m.classHistogram.join(' ')}`);
    if (m.conditionalAccuracy) {
      lines.push(`accuracy per requested class: ${m.conditionalAccuracy.perClass.map((a, k) => `${k}:${(100 * a).toFixed(1)}%`).join(' ')}`);
    }
    lines.push(`Fréchet distance: classifier features (128-d) vs the ${result.data === 'mnist' ? 'MNIST' : 'Fashion-MNIST'} test set; classifier score: 1 (one class) to 10;`);
    lines.push('reference rows: real images scored the same way (their conditional accuracy is against the true labels).');
    return lines.join('\n');
  }
  if (result.data === 'stacked-mnist') {
    const m = result.metrics;
    lines.push(table(['', 'samples', 'modes (of 1,000)', 'KL to uniform'], [['generator', String(m.samples), String(m.modesCovered), f(m.klToUniform, 3)]]));
    lines.push('each channel classified by the MNIST classifier; the three digits name one of 1,000 modes (Metz et al. 2017).');
    return lines.join('\n');
  }
  const reference = toyReference(result as Extract<EvaluationResult, { data: 'gaussian1d' | 'ring8' | 'grid25' }>);
  if (result.data === 'gaussian1d' && reference.data === 'gaussian1d') {
    const row = (name: string, m: typeof result.metrics) => [name, f(m.mean, 4), f(m.std, 4), f(m.ks, 4)];
    lines.push(table(['', 'mean', 'std', 'KS vs N(3, 0.5)'], [row('generator', result.metrics), row('real data', reference.metrics), ['target', '3', '0.5', '0']]));
    return lines.join('\n');
  }
  if ((result.data === 'ring8' || result.data === 'grid25') && (reference.data === 'ring8' || reference.data === 'grid25')) {
    const k = result.metrics.numModes;
    const row = (name: string, m: typeof result.metrics) =>
      [name, `${m.modesCovered}/${k}`, `${m.modesCoveredStrict}/${k}`, `${f(m.highQualityPercent, 1)}%`, f(m.reverseKl, 4), f(m.spread, 2)];
    lines.push(table(['', 'modes covered', 'strict (>= 20% of fair share)', 'high quality (3 std)', 'reverse KL', 'spread (real: 1)'],
      [row('generator', result.metrics), row('real data', reference.metrics)]));
    lines.push("spread: the high-quality samples' RMS distance to their mode centre over real points' (below 1: modes drawn too narrow).");
  }
  return lines.join('\n');
}
