// Exponential moving average of the generator's weights, used for samples and eval (Karras et al. 2018; Yazici et
// al. 2019), and the NaN/Inf check of every weight.
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { ShapeError } from '../errors.js';

/**
 * Variables parallel to `generator.weights` (same order and shapes; BatchNorm moving statistics included), started
 * from `initial` (a checkpoint's EMA) or from the generator's current weights.
 */
export function createEma(generator: TF.LayersModel, initial: TF.Tensor[] | null): TF.Variable[] {
  const weights = generator.weights;
  if (initial && (initial.length !== weights.length || initial.some((t, i) => t.shape.join() !== weights[i]!.shape.join()))) {
    throw new ShapeError(`EMA weights: expected ${weights.length} tensors shaped like the generator's weights but got ${initial.length}`);
  }
  return weights.map((w, i) => tf.variable(initial ? initial[i]! : w.read(), false, undefined, w.dtype));
}

/**
 * The decay used after `updates` updates: min(decay, (1 + updates) / (10 + updates)), the warm-up of TensorFlow's
 * ExponentialMovingAverage (num_updates). Without it a 0.999 average still holds 1 - 0.999^2000 = 14% of the random
 * initial weights after 2,000 steps; with it the early average follows the generator and settles to `decay`.
 */
export function emaDecayAt(decay: number, updates: number): number {
  return Math.min(decay, (1 + updates) / (10 + updates));
}

/** ema <- d * ema + (1 - d) * weight for every generator weight, d = emaDecayAt(decay, updates). */
export function updateEma(ema: TF.Variable[], generator: TF.LayersModel, decay: number, updates = Infinity): void {
  decay = emaDecayAt(decay, updates);
  tf.tidy(() => {
    generator.weights.forEach((w, i) => {
      const e = ema[i]!;
      e.assign(tf.add(tf.mul(e, decay), tf.mul(w.read(), 1 - decay)));
    });
  });
}

/** Loads the EMA weights into `sampler` (a generator with the same architecture) and returns it. */
export function emaGenerator(sampler: TF.LayersModel, ema: TF.Variable[]): TF.LayersModel {
  sampler.setWeights(ema);
  return sampler;
}

/** Names (asynchronously: one device read per group) the first weight (of G, D or the EMA) holding a NaN or an Inf, e.g. "discriminator weight dense_1/kernel"; else null. */
export async function nonFiniteWeight(models: { generator: TF.LayersModel; discriminator: TF.LayersModel }, ema: TF.Variable[] | null): Promise<string | null> {
  const groups: [string, { name: string; value: TF.Tensor }[]][] = [
    ['generator', models.generator.weights.map((w) => ({ name: w.originalName, value: w.read() }))],
    ['discriminator', models.discriminator.weights.map((w) => ({ name: w.originalName, value: w.read() }))],
    ['EMA generator', (ema ?? []).map((v, i) => ({ name: models.generator.weights[i]?.originalName ?? v.name, value: v }))],
  ];
  for (const [owner, weights] of groups) {
    if (weights.length === 0) continue;
    // One reduction and one (asynchronous) read per group; the culprit is named from the same read.
    const flags = tf.tidy(() => tf.stack(weights.map((w) => tf.all(tf.isFinite(w.value)))));
    const finite = await flags.data();
    flags.dispose();
    const bad = weights.findIndex((_, i) => !finite[i]);
    if (bad >= 0) return `${owner} weight ${weights[bad]!.name}`;
  }
  return null;
}
