// The feature space of image-folder evaluation: a fixed, seeded random convolutional network (no download, no shipped
// weights). Its weights are drawn from the project's Rng with a constant seed, so every backend computes the same
// features up to float32 rounding. Random features see low-level statistics (colour, contrast, texture, layout), not
// semantics: they compare runs on one folder, they are not an Inception score.
import type { Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import { ShapeError } from '../errors.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';
import { stopPoint } from '../abort.js';

/** Length of one image's feature vector: a 2x2 average pool of the last 4x4x128 map. */
export const IMAGE_FEATURE_DIM = 512;
/** Images are resized to this side before the first convolution. */
export const IMAGE_FEATURE_SIZE = 32;
/** Filters of the three 3x3 stride-2 convolutions (32 -> 16 -> 8 -> 4). */
export const IMAGE_FEATURE_FILTERS = [32, 64, 128] as const;
/** Seed of the weights. Changing it (or the draw order) changes every number evaluation reports. */
export const IMAGE_FEATURE_SEED = 20_190_412;

/** Images [count, size, size, channels] row-major: floats in [-1, 1], or bytes 0-255 (read as x / 127.5 - 1). */
export interface ImageSet {
  values: Float32Array | Uint8Array;
  count: number;
  shape: readonly [number, number, number];
}

/** Checks that `images` holds `count` square images of 1 or 3 channels; `what` names it in the error. */
export function checkImageSet(images: ImageSet, what: string): void {
  const [height, width, channels] = images.shape;
  if (height !== width || height < 1 || (channels !== 1 && channels !== 3) || images.values.length !== images.count * height * width * channels) {
    throw new ShapeError(`${what}: expected [count, S, S, 1 or 3] images (${images.count} of [${images.shape.join(', ')}] = ${images.count * height * width * channels} values) but got ${images.values.length} values`);
  }
}

/**
 * The network's three conv kernels [3, 3, in, out], He-normal (std sqrt(2 / (9 in))), no biases. Inputs always
 * have 3 channels: grey images are repeated into R, G and B, as the image-folder loader does for grey files.
 */
function featureKernels(): Tensor4D[] {
  const rng = new Rng(IMAGE_FEATURE_SEED);
  let inChannels = 3;
  return IMAGE_FEATURE_FILTERS.map((filters) => {
    const fanIn = 9 * inChannels;
    const kernel = tf.tensor4d(rng.normalArray(fanIn * filters, 0, Math.sqrt(2 / fanIn)), [3, 3, inChannels, filters]);
    inChannels = filters;
    return kernel;
  });
}

/** [n, S, S, C] in [-1, 1] -> features [n, 512]. */
function forward(x: Tensor4D, kernels: Tensor4D[]): Tensor2D {
  const n = x.shape[0];
  // Half-pixel centres: a 64 -> 32 resize averages 2x2 blocks instead of keeping every other pixel.
  let h: Tensor4D = x.shape[1] === IMAGE_FEATURE_SIZE ? x : tf.image.resizeBilinear(x, [IMAGE_FEATURE_SIZE, IMAGE_FEATURE_SIZE], false, true);
  if (h.shape[3] === 1) h = tf.concat([h, h, h], 3);
  for (const kernel of kernels) h = tf.leakyRelu(tf.conv2d(h, kernel, 2, 'same'), 0.2);
  return tf.reshape(tf.avgPool(h, 2, 2, 'valid'), [n, IMAGE_FEATURE_DIM]);
}

/**
 * Features [count, 512] (row-major) of `images`, `batchSize` images at a time; reads are awaited (webgpu has no
 * synchronous read) and no tensor is left behind. Aborting `signal` stops between batches.
 */
export async function imageFeatures(images: ImageSet, options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<Float32Array> {
  checkImageSet(images, 'imageFeatures');
  const { count, values } = images;
  const [size, , channels] = images.shape;
  const perImage = size * size * channels;
  const batchSize = options.batchSize ?? 256;
  const features = new Float32Array(count * IMAGE_FEATURE_DIM);
  const kernels = featureKernels();
  try {
    for (let start = 0; start < count; start += batchSize) {
      await stopPoint(options.signal);
      const n = Math.min(batchSize, count - start);
      const slice = values.subarray(start * perImage, (start + n) * perImage);
      const floats = slice instanceof Float32Array ? slice : Float32Array.from(slice, (v) => v / 127.5 - 1);
      const out: Tensor = tf.tidy(() => forward(tf.tensor4d(floats, [n, size, size, channels]), kernels));
      try {
        features.set((await out.data()) as Float32Array, start * IMAGE_FEATURE_DIM);
      } finally {
        out.dispose();
      }
    }
  } finally {
    tf.dispose(kernels);
  }
  return features;
}
