// k-NN precision and recall (Kynkäänniemi et al. 2019, "Improved precision and recall metric for assessing
// generative models") and coverage (Naeem et al. 2020, "Reliable fidelity and diversity metrics for generative
// models") of feature sets. Squared distances come from tf matmuls, a block of rows at a time (never n x n at once).
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { ShapeError } from '../errors.js';
import { tf } from '../tf.js';
import { stopPoint } from '../abort.js';

/** The k of the k-NN balls, as in both papers. */
export const KNN_K = 3;

/** Fractions in [0, 1]. */
export interface PrecisionRecallCoverage {
  /** Generated samples inside the real manifold: within the k-NN ball of at least one real sample. */
  precision: number;
  /** Real samples inside the generated manifold: within the k-NN ball of at least one generated sample. */
  recall: number;
  /** Real samples whose own k-NN ball holds at least one generated sample. */
  coverage: number;
}

/** Distances per block: about 4M float32 (16 MB) whatever the set sizes. */
const BLOCK_DISTANCES = 1 << 22;

interface FeatureSet { features: Float32Array; count: number }

/** How the distance matrices are computed: `rowsPerBlock` rows at a time (default: ~4M distances per block). */
export interface BlockOptions {
  rowsPerBlock?: number;
  /** Aborting it stops between blocks (the promise rejects with its reason). */
  signal?: AbortSignal;
}

function featureSet(features: Float32Array, dim: number, what: string, minCount: number): FeatureSet {
  if (dim < 1 || features.length % dim !== 0) throw new ShapeError(`${what}: expected [n, ${dim}] features but got ${features.length} numbers`);
  const count = features.length / dim;
  if (count < minCount) throw new ShapeError(`${what}: expected at least ${minCount} feature vectors but got ${count}`);
  return { features, count };
}

/**
 * Calls `block` (inside tidy) with the squared distances [rows, m] of rows [start, start + rows) of `queries` ([n, dim])
 * to every row of `refs` ([m, dim]): |q|^2 + |r|^2 - 2 q.r, clamped at 0. The tensors it returns are read (awaited),
 * disposed, and their values handed to `use`.
 */
async function forEachBlock(queries: FeatureSet, refs: FeatureSet, dim: number, block: (d2: Tensor2D, start: number, rows: number) => Tensor[],
  use: (values: Float32Array[], start: number, rows: number) => void, options: BlockOptions): Promise<void> {
  const { signal } = options;
  const rowsPerBlock = options.rowsPerBlock ?? Math.max(1, Math.floor(BLOCK_DISTANCES / refs.count));
  const [r, rNorms] = tf.tidy(() => {
    const t = tf.tensor2d(refs.features, [refs.count, dim]);
    return [t, tf.sum(tf.square(t), 1).reshape([1, refs.count])];
  });
  try {
    for (let start = 0; start < queries.count; start += rowsPerBlock) {
      await stopPoint(signal);
      const rows = Math.min(rowsPerBlock, queries.count - start);
      const outs = tf.tidy(() => {
        const q = tf.tensor2d(queries.features.subarray(start * dim, (start + rows) * dim), [rows, dim]);
        const qNorms = tf.sum(tf.square(q), 1, true);
        const d2 = tf.relu(tf.sub(tf.add(qNorms, rNorms!), tf.mul(tf.matMul(q, r!, false, true), 2))) as Tensor2D;
        return block(d2, start, rows);
      });
      try {
        use((await Promise.all(outs.map((t) => t.data()))) as Float32Array[], start, rows);
      } finally {
        tf.dispose(outs);
      }
    }
  } finally {
    tf.dispose([r!, rNorms!]);
  }
}

/**
 * Squared radius of each point's k-NN ball: the squared distance from row i of `features` ([n, dim], n > k) to its
 * k-th nearest other row. Returns [n].
 */
export async function knnRadii(features: Float32Array, dim: number, options: BlockOptions & { k?: number } = {}): Promise<Float32Array> {
  const k = options.k ?? KNN_K;
  const set = featureSet(features, dim, 'knnRadii', k + 1);
  const radii = new Float32Array(set.count);
  // The k + 1 smallest distances of a row include its distance to itself (0): the last of them is the k-th neighbour.
  await forEachBlock(set, set, dim, (d2) => [tf.neg(tf.topk(tf.neg(d2), k + 1).values)],
    ([kth], start, rows) => { for (let i = 0; i < rows; i++) radii[start + i] = kth![i * (k + 1) + k]!; }, options);
  return radii;
}

/**
 * Precision, recall (Kynkäänniemi et al. 2019) and coverage (Naeem et al. 2020) of `fake` ([m, dim]) against `real`
 * ([n, dim]), with k-NN balls of radius the distance to the k-th nearest neighbour in the same set; a point on a
 * ball's boundary is inside (closed balls, as in Kynkäänniemi et al.). Pass `realRadii` (from knnRadii) to reuse them
 * across calls against the same real set.
 */
export async function precisionRecallCoverage(real: Float32Array, fake: Float32Array, dim: number,
  options: BlockOptions & { k?: number; realRadii?: Float32Array } = {}): Promise<PrecisionRecallCoverage> {
  const k = options.k ?? KNN_K;
  const realSet = featureSet(real, dim, 'precisionRecallCoverage: real', k + 1);
  const fakeSet = featureSet(fake, dim, 'precisionRecallCoverage: fake', k + 1);
  const realRadii = options.realRadii ?? await knnRadii(real, dim, options);
  if (realRadii.length !== realSet.count) throw new ShapeError(`precisionRecallCoverage: expected ${realSet.count} real radii but got ${realRadii.length}`);
  const fakeRadii = await knnRadii(fake, dim, options);
  // a - b <= 0 exactly when a <= b in IEEE arithmetic, so the margins below decide ball membership without rounding.
  let precise = 0;
  const recallMargin = new Float32Array(realSet.count).fill(Infinity); // min over fakes of d2 - fake radius
  const coverageDistance = new Float32Array(realSet.count).fill(Infinity); // min over fakes of d2
  const realRadiiRow = tf.tensor2d(realRadii, [1, realSet.count]);
  try {
    await forEachBlock(fakeSet, realSet, dim, (d2, start, rows) => {
      const fakeRadiiColumn = tf.tensor2d(fakeRadii.subarray(start, start + rows), [rows, 1]);
      return [tf.min(tf.sub(d2, realRadiiRow), 1), tf.min(tf.sub(d2, fakeRadiiColumn), 0), tf.min(d2, 0)];
    }, ([precisionMargin, recallBlock, coverageBlock]) => {
      for (const x of precisionMargin!) if (x <= 0) precise++;
      for (let j = 0; j < realSet.count; j++) {
        recallMargin[j] = Math.min(recallMargin[j]!, recallBlock![j]!);
        coverageDistance[j] = Math.min(coverageDistance[j]!, coverageBlock![j]!);
      }
    }, options);
  } finally {
    realRadiiRow.dispose();
  }
  let recalled = 0, covered = 0;
  for (let j = 0; j < realSet.count; j++) {
    if (recallMargin[j]! <= 0) recalled++;
    if (coverageDistance[j]! <= realRadii[j]!) covered++;
  }
  return { precision: precise / fakeSet.count, recall: recalled / realSet.count, coverage: covered / realSet.count };
}
