import { beforeAll, describe, expect, it } from 'vitest';
import { median } from '../../src/bench/measure.js';
import { REFERENCE, buildReferenceDiscriminator, buildReferenceGenerator, referenceGan } from '../../src/bench/reference_dcgan.js';
import { RING, ringSamples } from '../../src/bench/ring_mlp.js';
import { runBench } from '../../src/bench/run.js';
import { Rng } from '../../src/random.js';
import { initBackend, tf } from '../../src/tf.js';

describe('gan bench workloads', () => {
  // wasm, not the suite's default cpu backend: pure-JS convolutions make even a batch-2 step of these nets take
  // minutes on a shared 2-core machine, and wasm is the backend the benchmark is about (so webgpu is not looped over).
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('builds the reference DCGAN of the PyTorch peer: shapes and parameter counts', () => {
    const g = buildReferenceGenerator(tf);
    const d = buildReferenceDiscriminator(tf);
    expect(g.outputs[0]!.shape).toEqual([null, 28, 28, 1]);
    expect(d.outputs[0]!.shape).toEqual([null, 1]);
    // PyTorch's count for the same nets (weights + BN affine; tfjs adds BN moving stats as non-trainable).
    const gTrainable = 100 * 12544 + 2 * 12544 + 25 * 256 * 128 + 2 * 128 + 25 * 128 * 64 + 2 * 64 + 25 * 64;
    const dTrainable = 25 * 64 + 64 + 25 * 64 * 128 + 128 + 6272 + 1;
    expect(g.countParams() - 2 * (12544 + 128 + 64)).toBe(gTrainable);
    expect(d.countParams()).toBe(dTrainable);
    expect(REFERENCE.batchSize).toBe(64);
    g.dispose();
    d.dispose();
  });

  it('times a tiny DCGAN step without leaking tensors and profiles its kernels', async () => {
    const report = await runBench(tf, { steps: 2, warmup: 1, batchSize: 2, extras: false, profile: true });
    expect(report.dcgan.stepsMs).toHaveLength(2);
    expect(report.dcgan.numTensorsAfter).toBe(report.dcgan.numTensorsBefore);
    expect(report.dcgan.dataIdsAfter).toBe(report.dcgan.dataIdsBefore);
    expect(report.dcgan.wasmHeapEndMiB).toBeGreaterThan(0);
    // images/s is the batch over the median step time (rounded to one decimal in the report).
    expect(report.dcgan.imgPerS).toBeCloseTo((2 * 1000) / report.dcgan.medianMs, 0);
    // The peak RSS (getrusage, KiB -> MiB) is at least the RSS sampled at the end (/proc, bytes -> MiB): a unit slip
    // in either conversion breaks this by a factor of 1024.
    expect(report.peakRssMiB).toBeGreaterThanOrEqual(report.dcgan.rssEndMiB * 0.99);
    expect(report.peakRssMiB).toBeLessThan(report.dcgan.rssEndMiB * 50);
    const kernels = report.profile!.map((k) => k.kernel);
    expect(kernels).toContain('Conv2DBackpropInput');
    expect(kernels.some((k) => k.endsWith('__op'))).toBe(false);
  });

  it('updates the weights exactly as with two G forwards when one G forward serves both updates', async () => {
    const trained = async (singleForward: boolean) => {
      const gan = referenceGan(tf, 2, singleForward);
      const losses: number[] = [];
      for (let i = 0; i < 2; i++) {
        const [d, g] = gan.step();
        losses.push((await d.data())[0]!, (await g.data())[0]!);
        tf.dispose([d, g]);
      }
      const weights = await Promise.all([...gan.generator.getWeights(true), ...gan.discriminator.getWeights(true)].map((w) => w.data()));
      gan.dispose();
      return { losses, weights };
    };
    const two = await trained(false);
    const one = await trained(true);
    expect(one.losses).toEqual(two.losses);
    expect(one.weights.length).toBe(two.weights.length);
    // Same kernels on the same values in the same order: bitwise equal, not just close.
    one.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(two.weights[i]!)));
  });

  it('takes the median of an odd and an even number of steps', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('samples the ring of 8 Gaussians at radius 2, every mode used', () => {
    const points = ringSamples(new Rng(3), 800);
    const modes = new Set<number>();
    for (let i = 0; i < 800; i++) {
      const [x, y] = [points[2 * i]!, points[2 * i + 1]!];
      expect(Math.abs(Math.hypot(x, y) - RING.radius)).toBeLessThanOrEqual(0.15);
      modes.add(Math.round((Math.atan2(y, x) / (2 * Math.PI)) * 8 + 8) % 8);
    }
    expect(modes.size).toBe(8);
  });
});
