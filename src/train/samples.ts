// Drawing from a generator for the training loop: sample grids / scatter plots from a fixed latent batch, toy eval.
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import type { Rng } from '../random.js';
import type { ToyDataset } from '../data/toy.js';
import { gaussian1dMetrics, mixtureMetrics, type Gaussian1dMetrics, type MixtureMetrics } from '../eval/toy.js';
import { imageGrid } from '../viz/image_grid.js';
import { scatterPlot } from '../viz/scatter.js';
import { writePng } from '../viz/canvas.js';
import { dataShape, numClasses } from './build.js';
import type { TrainConfig } from './config.js';
import type { DataSource } from './data_source.js';

/** Toy evaluation at a step: the metrics and a one-line summary. */
export type EvalResult = ({ kind: 'gaussian1d' } & Gaussian1dMetrics | { kind: 'mixture' } & MixtureMetrics) & { summary: string };

/**
 * Runs G in inference mode on z [n, latentDim] (and labels [n] as one-hot when conditional), in chunks of 256.
 * Returns samples [n, ...dataShape] row-major.
 */
export function generate(generator: TF.LayersModel, latentDim: number, z: Float32Array, labels: Int32Array | null, classes: number): Float32Array {
  const n = z.length / latentDim;
  const chunks: Float32Array[] = [];
  for (let start = 0; start < n; start += 256) {
    const end = Math.min(n, start + 256);
    chunks.push(tf.tidy(() => {
      const zt = tf.tensor2d(z.subarray(start * latentDim, end * latentDim), [end - start, latentDim]);
      const inputs = labels && classes > 0 ? [zt, tf.oneHot(tf.tensor1d(labels.subarray(start, end), 'int32'), classes).toFloat()] : zt;
      return (generator.apply(inputs, { training: false }) as TF.Tensor).dataSync() as Float32Array;
    }));
  }
  const out = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
  let offset = 0;
  for (const c of chunks) { out.set(c, offset); offset += c.length; }
  return out;
}

/** Writes the step's sample PNG: a 10x10 image grid (one row per class when conditional) or a toy scatter plot. */
export async function writeSamplePlot(generator: TF.LayersModel, config: TrainConfig, data: DataSource, rng: Rng, path: string): Promise<void> {
  const classes = numClasses(config);
  if (data.toy) {
    const n = 1000;
    const z = rng.normalArray(n * config.latentDim);
    const points = generate(generator, config.latentDim, z, null, 0);
    const real = data.toy.sample(rng, n).points;
    await writePng(await scatterPlot({ dim: data.toy.dim, real, generated: points, centers: data.toy.centers }), path);
    return;
  }
  const rows = 10, cols = 10;
  const z = rng.normalArray(rows * cols * config.latentDim);
  const labels = Int32Array.from({ length: rows * cols }, (_, i) => Math.floor(i / cols) % Math.max(classes, 1));
  const pixels = generate(generator, config.latentDim, z, classes ? labels : null, classes);
  const [height, width, channels] = dataShape(config) as [number, number, number];
  await writePng(imageGrid({ pixels, count: rows * cols, height, width, channels }, rows, cols, { zoom: 2 }), path);
}

/** Toy metrics of `config.evalSamples` generated points (1D: mean/std/KS; mixtures: modes covered, quality, KL). */
export function evaluateSamples(generator: TF.LayersModel, config: TrainConfig, toy: ToyDataset, rng: Rng): EvalResult {
  const z = rng.normalArray(config.evalSamples * config.latentDim);
  const points = generate(generator, config.latentDim, z, null, 0);
  if (toy.dim === 1) {
    const m = gaussian1dMetrics(points, toy.centers[0]![0]!, toy.std);
    return { kind: 'gaussian1d', ...m, summary: `mean ${m.mean.toFixed(3)} std ${m.std.toFixed(3)} KS ${m.ks.toFixed(3)} (target N(${toy.centers[0]![0]}, ${toy.std}))` };
  }
  const m = mixtureMetrics(points, toy);
  return {
    kind: 'mixture', ...m,
    summary: `modes ${m.modesCovered}/${m.numModes} (strict ${m.modesCoveredStrict}) high-quality ${m.highQualityPercent.toFixed(1)}% reverse KL ${m.reverseKl.toFixed(3)}`,
  };
}
