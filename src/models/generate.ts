// Running a generator: its input signature (read in one place) and chunked generation with asynchronous reads, so
// sampling works on every backend (a GPU backend in Node has no synchronous read).
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { stopPoint } from '../abort.js';
import { ShapeError } from '../errors.js';
import type { Rng } from '../random.js';

/** A generator's shapes: z [batch, latentDim], the one-hot label [batch, numClasses] when conditional, one sample's shape. */
export interface GeneratorSignature {
  latentDim: number;
  /** null when unconditional. */
  numClasses: number | null;
  /** One sample's shape, e.g. [28, 28, 1] or [2]. */
  outputShape: number[];
}

/**
 * Reads the signature of a generator: inputs z [batch, latentDim] and optionally a one-hot label [batch, numClasses],
 * one output of fixed shape. Throws ShapeError (naming `where`) for anything else.
 */
export function generatorSignature(generator: tfjs.LayersModel, where = 'generator'): GeneratorSignature {
  const [zInput, labelInput, extra] = generator.inputs;
  const latentDim = zInput?.shape[1];
  const numClasses = labelInput ? labelInput.shape[1] : null;
  const outputShape = (generator.outputs[0]?.shape ?? []).slice(1);
  if (extra || zInput?.shape.length !== 2 || typeof latentDim !== 'number' || (labelInput && (labelInput.shape.length !== 2 || typeof numClasses !== 'number'))
    || generator.outputs.length !== 1 || outputShape.some((d) => typeof d !== 'number')) {
    throw new ShapeError(`${where}: expected inputs z [batch, latentDim] (and a one-hot label [batch, numClasses]) and one output of fixed shape but got inputs ${JSON.stringify(generator.inputs.map((i) => i.shape))}, outputs ${JSON.stringify(generator.outputs.map((o) => o.shape))}`);
  }
  return { latentDim, numClasses: numClasses ?? null, outputShape: outputShape as number[] };
}

/**
 * Runs G in inference mode on z [n, latentDim] (row-major) and, when conditional, class indices [n], in chunks of
 * `batchSize`. Returns the samples [n, ...outputShape] row-major. Reads are awaited, no tensor leaks. Aborting
 * `signal` stops between batches (the promise rejects with its reason).
 */
export async function generate(generator: tfjs.LayersModel, z: Float32Array, labels: Int32Array | null, batchSize = 256, signal?: AbortSignal): Promise<Float32Array> {
  const { latentDim, numClasses, outputShape } = generatorSignature(generator);
  if (z.length % latentDim !== 0) throw new ShapeError(`z: expected a multiple of latentDim ${latentDim} numbers but got ${z.length}`);
  const n = z.length / latentDim;
  if ((numClasses === null) !== (labels === null)) {
    throw new ShapeError(numClasses === null ? 'labels: the generator is unconditional but labels were given' : 'labels: the generator is conditional but no labels were given');
  }
  if (labels && labels.length !== n) throw new ShapeError(`labels: expected ${n} (one per latent) but got ${labels.length}`);
  const size = outputShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n * size);
  for (let start = 0; start < n; start += batchSize) {
    await stopPoint(signal);
    const end = Math.min(n, start + batchSize);
    const y = tf.tidy(() => {
      const zt = tf.tensor2d(z.subarray(start * latentDim, end * latentDim), [end - start, latentDim]);
      const inputs = labels ? [zt, tf.oneHot(tf.tensor1d(labels.subarray(start, end), 'int32'), numClasses!).toFloat()] : zt;
      return generator.apply(inputs, { training: false }) as tfjs.Tensor;
    });
    try {
      out.set(await y.data() as Float32Array, start * size);
    } finally {
      y.dispose();
    }
  }
  return out;
}

/** Generated samples [n, ...sampleShape] and, for a conditional generator, the labels they were asked for. */
export interface GeneratedSamples {
  values: Float32Array;
  sampleShape: number[];
  labels: Int32Array | null;
}

/**
 * Draws `n` samples with z ~ N(0, I) from `rng`, `batchSize` at a time; a conditional generator gets
 * labels 0, 1, ..., numClasses-1, 0, 1, ... so every class is asked for equally often.
 */
export async function generateSamples(generator: tfjs.LayersModel, n: number, rng: Rng, batchSize = 500, signal?: AbortSignal): Promise<GeneratedSamples> {
  const { latentDim, numClasses, outputShape } = generatorSignature(generator);
  const z = rng.normalArray(n * latentDim);
  const labels = numClasses === null ? null : Int32Array.from({ length: n }, (_, i) => i % numClasses);
  return { values: await generate(generator, z, labels, batchSize, signal), sampleShape: outputShape, labels };
}
