// The gradient norms a step reports (metrics.jsonl dGradNorm / gGradNorm): the global L2 norm of the gradient it
// applied, and small enough to see a vanishing generator gradient (minimax loss against a confident D).
import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { mlpDiscriminator, mlpGenerator } from '../../src/models/mlp.js';
import { Rng } from '../../src/random.js';
import { DEFAULT_STEP_CONFIG, generatorStep, discriminatorStep, readLosses, sampleLatent, trainableVariables, type GanModels } from '../../src/train/steps.js';
import { LOSSES } from '../../src/losses/index.js';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';

beforeAll(async () => {
  await testBackend();
});

function pair(): GanModels {
  return {
    generator: mlpGenerator({ latentDim: 2, hiddenUnits: [8], outputDim: 2, seed: 1 }),
    discriminator: mlpDiscriminator({ inputDim: 2, hiddenUnits: [8], seed: 2 }),
  };
}

async function norm(grads: tfjs.NamedTensorMap): Promise<number> {
  let sum = 0;
  for (const g of Object.values(grads)) for (const v of await g.data()) sum += v * v;
  return Math.sqrt(sum);
}

describe('gradient norms of the steps', () => {
  it("equal the L2 norm of the gradient each step applied (recomputed by hand before the step, float32)", async () => {
    const models = pair();
    const rng = new Rng(4);
    const { z } = sampleLatent(models.generator, 16, Rng.fromState(rng.getState()));
    const gVars = trainableVariables(models.generator);
    const want = await norm(tf.variableGrads(() => LOSSES.nonSaturating.generator(
      models.discriminator.apply(models.generator.apply(z, { training: true }) as tfjs.Tensor, { training: true }) as tfjs.Tensor), gVars).grads);
    const g = await readLosses(generatorStep(models, tf.train.adam(1e-3), 16, DEFAULT_STEP_CONFIG, rng));
    expect(Math.abs(g.gradientNorm - want)).toBeLessThan(1e-6 + 1e-4 * want);
    expect(want).toBeGreaterThan(1e-3); // a norm of 0 would match anything

    const x = tf.randomNormal([16, 2], 0, 1, 'float32', 7);
    const d = await readLosses(discriminatorStep(models, tf.train.adam(1e-3), { x }, DEFAULT_STEP_CONFIG, new Rng(5)));
    expect(d.gradientNorm).toBeGreaterThan(1e-3);
    expect(Number.isFinite(d.gradientNorm)).toBe(true);
  });

  it("show the minimax generator's gradient vanishing against a confident D, where the non-saturating one does not", async () => {
    // D's output bias at -12: D(fake) ~ sigmoid(-12) = 6e-6. Minimax G's gradient carries a factor sigmoid(f), the
    // non-saturating one 1 - sigmoid(f) (Goodfellow et al. 2014, section 3): their norms differ by ~1e5.
    const gNorm = async (loss: 'minimax' | 'nonSaturating') => {
      const models = pair();
      const bias = models.discriminator.layers.at(-1)!.getWeights()[1]!;
      models.discriminator.layers.at(-1)!.setWeights([models.discriminator.layers.at(-1)!.getWeights()[0]!, tf.fill(bias.shape, -12)]);
      const g = await readLosses(generatorStep(models, tf.train.adam(1e-3), 64, { ...DEFAULT_STEP_CONFIG, loss }, new Rng(3)));
      return g.gradientNorm;
    };
    const [minimax, nonSaturating] = [await gNorm('minimax'), await gNorm('nonSaturating')];
    expect(nonSaturating).toBeGreaterThan(1e-3);
    expect(minimax / nonSaturating).toBeLessThan(1e-4);
    expect(minimax / nonSaturating).toBeGreaterThan(1e-7); // sigmoid(-12) / (1 - sigmoid(-12)) = 6.1e-6
  });
});
