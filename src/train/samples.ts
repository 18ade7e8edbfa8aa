// Drawing from a generator for the training loop: sample grids / scatter plots from a fixed latent batch, evaluation.
import type * as TF from '@tensorflow/tfjs';
import { generate, generatorSignature } from '../models/generate.js';
import { latentCodeCategories, setLatentCodes } from '../layers/latent_code.js';
import type { Rng } from '../random.js';
import { evaluateGenerator, scalarMetrics } from '../eval/generator.js';
import { imageFolderBaseline, imageSampleCount, type ImageFolderBaseline, type RealImages } from '../eval/image_folder.js';
import { imageGrid } from '../viz/image_grid.js';
import { scatterPlot } from '../viz/scatter.js';
import { writePng } from '../viz/canvas.js';
import type { TrainConfig } from './config.js';
import { loadRealImages, type DataSource } from './data_source.js';

/** An evaluation at a step: the scalar metrics (as in metrics.jsonl) and a one-line summary. */
export interface EvalResult {
  data: TrainConfig['data'];
  samples: number;
  metrics: Record<string, number>;
  summary: string;
}

/**
 * What the rows of a conditional run's 10x10 sample grid show: row r is class r mod K (names from the config when
 * the classes have names); of a run whose G has a latent code (latentCodes, clusters), code r mod K. Else null.
 */
export function sampleGridRows(classes: number, classNames: string[], codes = 0): string | null {
  if (classes === 0 && codes > 0) return codes >= 10 ? `one row per latent code 0-9 (of ${codes})` : `rows cycle through the ${codes} latent codes`;
  if (classes === 0) return null;
  const name = (k: number) => classNames[k] ?? String(k);
  if (classes === 10 && classNames.length === 0) return 'one row per class 0-9';
  const shown = Array.from({ length: Math.min(classes, 10) }, (_, k) => name(k)).join(', ');
  if (classes < 10) return `rows cycle through the ${classes} classes: ${shown}`;
  return classes === 10 ? `one row per class: ${shown}` : `one row per class for the first 10 of ${classes}: ${shown}`;
}

/**
 * Writes the step's sample PNG: a 10x10 image grid (one row per class when conditional, per latent code when G has
 * one) or a toy scatter plot.
 */
export async function writeSamplePlot(generator: TF.LayersModel, data: DataSource, rng: Rng, path: string): Promise<void> {
  const { latentDim, numClasses: labelled, outputShape } = generatorSignature(generator);
  const classes = labelled ?? 0;
  if (data.toy) {
    const n = 1000;
    const z = rng.normalArray(n * latentDim);
    const points = await generate(generator, z, null);
    const real = data.toy.sample(rng, n).points;
    await writePng(await scatterPlot({ dim: data.toy.dim, real, generated: points, centers: data.toy.centers }), path);
    return;
  }
  const rows = 10, cols = 10;
  const z = rng.normalArray(rows * cols * latentDim);
  const codes = classes ? 0 : latentCodeCategories(generator);
  const labels = Int32Array.from({ length: rows * cols }, (_, i) => Math.floor(i / cols) % Math.max(classes, codes, 1));
  if (codes) setLatentCodes(z, latentDim, codes, labels); // an InfoGAN or self-conditioned G: one row per code
  const pixels = await generate(generator, z, classes ? labels : null);
  if (outputShape.length !== 3) return; // neither points nor images (custom data): no picture
  const [height, width, channels] = outputShape as [number, number, number];
  await writePng(imageGrid({ pixels, count: rows * cols, height, width, channels }, rows, cols, { zoom: 2 }), path);
}

// An image-folder run's folder, half A's features and the real row: computed at the run's first evaluation, kept for
// the later ones (the loop passes the same config object to each). Keyed weakly: a finished run's entry goes with it.
const folders = new WeakMap<TrainConfig, { realImages: RealImages; imageBaseline: ImageFolderBaseline }>();

async function imageFolder(config: TrainConfig, signal?: AbortSignal): Promise<{ realImages: RealImages; imageBaseline: ImageFolderBaseline }> {
  let entry = folders.get(config);
  if (!entry) {
    const realImages = await loadRealImages(config);
    const imageBaseline = await imageFolderBaseline(realImages, imageSampleCount(realImages, config.evalSamples), signal ? { signal } : {});
    entry = { realImages, imageBaseline };
    folders.set(config, entry);
  }
  return entry;
}

/**
 * Scores `config.evalSamples` samples with evaluateGenerator (src/eval): toy mode metrics, MNIST classifier metrics,
 * or image-folder metrics (the folder and its reference half are computed once per run, at the first evaluation). The latent draws use their own seed, so
 * evaluating never changes the training run.
 */
export async function evaluateSamples(generator: TF.LayersModel, config: TrainConfig, seed: number, signal?: AbortSignal): Promise<EvalResult> {
  const folder = config.data === 'images' ? await imageFolder(config, signal) : {};
  const result = await evaluateGenerator(generator, { data: config.data, samples: config.evalSamples, seed, ...folder, ...(signal ? { signal } : {}) });
  const m = scalarMetrics(result);
  const f = (v: number | undefined, digits = 3) => (v === undefined ? '-' : v.toFixed(digits));
  const summary = result.data === 'gaussian1d'
    ? `mean ${f(m.mean)} std ${f(m.std)} KS ${f(m.ks)} (target N(3, 0.5))`
    : result.data === 'stacked-mnist'
      ? `modes ${m.modesCovered}/1000 KL ${f(m.klToUniform)} (${result.samples} samples)`
    : result.data === 'images'
      ? `Fréchet ${f(m.frechetDistance)} precision ${f(m.precision)} recall ${f(m.recall)} coverage ${f(m.coverage)} (${result.samples} samples; the folder's other half: Fréchet ${f(result.reference.real.frechetDistance)} precision ${f(result.reference.real.precision)} recall ${f(result.reference.real.recall)} coverage ${f(result.reference.real.coverage)})`
    : result.data === 'mnist' || result.data === 'fashion-mnist'
      ? Object.entries(m).map(([k, v]) => `${k} ${Number.isInteger(v) ? String(v) : f(v)}`).join(' ')
      : `modes ${m.modesCovered}/${m.numModes} (strict ${m.modesCoveredStrict}) high-quality ${f(m.highQualityPercent, 1)}% reverse KL ${f(m.reverseKl)} spread ${f(m.spread, 2)}`;
  return { data: result.data, samples: result.samples, metrics: m, summary };
}
