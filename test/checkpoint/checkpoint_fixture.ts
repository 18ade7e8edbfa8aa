// A tiny GAN (dense + BatchNorm) and a plain D/G Adam step, for the checkpoint tests and the kill -9 child; re-signing
// an edited checkpoint file, as a crafted checkpoint would be.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../src/tf.js';
import { Rng } from '../../src/random.js';
import type { CheckpointState } from '../../src/checkpoint/index.js';
import { sha256 } from '../../src/checkpoint/files.js';

export interface Fixture {
  generator: TF.LayersModel;
  discriminator: TF.LayersModel;
  generatorOptimizer: TF.Optimizer;
  discriminatorOptimizer: TF.Optimizer;
  rng: Rng;
}

export const LATENT = 3;
export const DATA = 2;

/** G: z[batch, 3] -> dense(hidden) -> BN -> relu -> dense(2); D: x[batch, 2] -> dense(hidden) -> tanh -> dense(1). */
export function buildFixture(seed: number, hidden = 8): Fixture {
  const rng = new Rng(seed);
  const init = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.5, seed: rng.int(1e6) });
  const generator = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [LATENT], units: hidden, kernelInitializer: init() }),
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.dense({ units: DATA, kernelInitializer: init() }),
    ],
  });
  const discriminator = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [DATA], units: hidden, activation: 'tanh', kernelInitializer: init() }),
      tf.layers.dense({ units: 1, kernelInitializer: init() }),
    ],
  });
  return {
    generator, discriminator, rng,
    generatorOptimizer: tf.train.adam(2e-3, 0.5, 0.999),
    discriminatorOptimizer: tf.train.adam(1e-3, 0.5, 0.9),
  };
}

const vars = (m: TF.LayersModel) => m.trainableWeights.map((w) => w.read() as TF.Variable);

/** One non-saturating GAN step (D then G) on a batch drawn from `rng`: real data N((1, -1), 0.1). */
export function trainStep(f: Pick<Fixture, 'generator' | 'discriminator' | 'generatorOptimizer' | 'discriminatorOptimizer'>, rng: Rng, batch = 4): void {
  const realData = rng.normalArray(batch * DATA, 0, 0.1).map((v, i) => v + (i % 2 === 0 ? 1 : -1));
  const z1 = rng.normalArray(batch * LATENT), z2 = rng.normalArray(batch * LATENT);
  tf.tidy(() => {
    const x = tf.tensor2d(realData, [batch, DATA]);
    const zd = tf.tensor2d(z1, [batch, LATENT]), zg = tf.tensor2d(z2, [batch, LATENT]);
    const G = (z: TF.Tensor) => f.generator.apply(z, { training: true }) as TF.Tensor;
    const D = (v: TF.Tensor) => f.discriminator.apply(v, { training: true }) as TF.Tensor;
    f.discriminatorOptimizer.minimize(() => {
      const fake = G(zd);
      return tf.add(tf.mean(tf.softplus(tf.neg(D(x)))), tf.mean(tf.softplus(D(fake)))) as TF.Scalar;
    }, false, vars(f.discriminator));
    f.generatorOptimizer.minimize(() => tf.mean(tf.softplus(tf.neg(D(G(zg))))) as TF.Scalar, false, vars(f.generator));
  });
}

/** The state saveCheckpoint takes, for a fixture at `step`. */
export function stateOf(f: Fixture, step: number, extra: Partial<CheckpointState> = {}): CheckpointState {
  return {
    step, config: { hidden: 8, lr: 2e-3 }, generator: f.generator, discriminator: f.discriminator,
    generatorOptimizer: f.generatorOptimizer, discriminatorOptimizer: f.discriminatorOptimizer,
    rng: f.rng.getState(), data: { epoch: 1, index: step * 4 }, extra: { note: 'fixture' }, ...extra,
  };
}

/** All weights of a model as raw bytes, for byte-identity comparisons. */
export async function weightBytes(m: TF.LayersModel): Promise<Buffer> {
  return Buffer.concat(await Promise.all(m.weights.map((w) => tensorBytes(w.read()))));
}

/** A tensor's values as raw bytes (only these bytes: the values may be a view into a larger buffer). */
export async function tensorBytes(t: TF.Tensor): Promise<Buffer> {
  const v = await t.data();
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** An optimizer's full state (slots and private scalars) as raw bytes. */
export async function optimizerBytes(o: TF.Optimizer): Promise<Buffer> {
  const ws = await o.getWeights();
  const parts = await Promise.all(ws.map((w) => tensorBytes(w.tensor)));
  ws[0]?.tensor.dispose();
  const r = o as unknown as Record<string, TF.Variable | undefined>;
  for (const k of ['accBeta1', 'accBeta2']) if (r[k]) parts.push(await tensorBytes(r[k]));
  return Buffer.concat(parts);
}

export function disposeFixture(f: Pick<Fixture, 'generator' | 'discriminator' | 'generatorOptimizer' | 'discriminatorOptimizer'>): void {
  f.generator.dispose();
  f.discriminator.dispose();
  f.generatorOptimizer.dispose();
  f.discriminatorOptimizer.dispose();
}

/**
 * Rewrites a file of a checkpoint directory and re-signs the manifest (sizes, checksums and its own checksum), as a
 * crafted checkpoint would be: only the content checks can then tell.
 */
export function rewriteConsistently(dir: string, file: string, mutate: (text: string) => string): void {
  writeFileSync(join(dir, file), mutate(readFileSync(join(dir, file), 'utf8')));
  const { manifestSha256: _, ...body } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const bytes = readFileSync(join(dir, file));
  body.files = (body.files as { path: string }[]).map((e) => (e.path === file ? { ...e, bytes: bytes.length, sha256: sha256(bytes) } : e));
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify({ ...body, manifestSha256: sha256(JSON.stringify(body)) }, null, 1)}\n`);
}
