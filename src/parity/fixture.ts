// The shared inputs of the parity checks: small seeded networks and batches, float32-exact so both sides see the same.
import { Matrix } from '../scratch/matrix.js';
import { heInit, type MlpParams } from '../scratch/mlp.js';
import { gaussian, sample8Gaussians } from '../scratch/data.js';
import { interpolate } from '../scratch/gradient-penalty.js';
import { Rng } from '../random.js';

/** Weights and batches for one parity run (2D data, as in the seed's 8-Gaussians experiments, but small). */
export interface Fixture {
  /** Generator 2 -> hidden -> 2, ReLU. */
  G: MlpParams;
  /** Discriminator 2 -> hidden -> 1 (logit), ReLU. */
  D: MlpParams;
  /** Critic 2 -> hidden -> 1, ReLU (also used with tanh for the gradient penalty). */
  C: MlpParams;
  /** Noise [batch, 2]. */
  z: Matrix;
  /** Real batch [batch, 2] from 8 Gaussians. */
  real: Matrix;
  /** Interpolates between real and G(z) [batch, 2], for the gradient penalty. */
  xHat: Matrix;
  /** A [rows, cols] matrix and start vector u0 [rows, 1] for spectral norm. */
  W: Matrix;
  u0: Matrix;
}

export function makeFixture(seed = 1, batch = 32, hidden = 16): Fixture {
  const rng = new Rng(seed);
  const G = heInit(rng, 2, hidden, 2);
  const D = heInit(rng, 2, hidden, 1);
  const C = heInit(rng, 2, hidden, 1);
  // Non-zero biases so their gradients and updates are exercised from the first step.
  for (const p of [G, D, C]) {
    p.b1 = p.b1.map(() => Math.fround(0.1 * rng.normal()));
    p.b2 = p.b2.map(() => Math.fround(0.1 * rng.normal()));
  }
  const z = gaussian(rng, batch, 2);
  const real = sample8Gaussians(rng, batch).samples;
  // Interpolate towards a fixed "fake" batch (noise scaled), independent of G's weights.
  const fake = gaussian(rng, batch, 2, 0, 1.5);
  const xHat = interpolate(rng, real, fake);
  const W = gaussian(rng, 24, 12);
  const u0 = gaussian(rng, 24, 1);
  return { G, D, C, z, real, xHat, W, u0 };
}
