// `gan bench` workloads: the reference DCGAN train step, the ring-8 MLP GAN step, and generator sampling.
import type { Tensor } from '@tensorflow/tfjs';
import type { TF } from '../tf.js';
import { median, peakRssMiB, timeSteps, type Timing } from './measure.js';
import { REFERENCE, referenceGan } from './reference_dcgan.js';
import { ringGan } from './ring_mlp.js';

export interface BenchOptions {
  /** Timed DCGAN steps (median over them); 3 untimed warm-ups come first. */
  steps: number;
  warmup: number;
  /** DCGAN batch; 64 is the benchmark, smaller only for smoke tests. */
  batchSize: number;
  /** Also time the ring-8 MLP GAN and generator sampling. */
  extras: boolean;
  /** Also profile one DCGAN step per kernel. */
  profile: boolean;
}

export const DEFAULT_BENCH: BenchOptions = { steps: 10, warmup: 3, batchSize: REFERENCE.batchSize, extras: true, profile: false };

/** Total kernel time of one kernel name in a profiled step. */
export interface KernelTime {
  kernel: string;
  ms: number;
  calls: number;
}

export interface BenchReport {
  dcgan: Timing & { batchSize: number; imgPerS: number; rssGrowthPct: number };
  ring: { batchSize: number; msPerStep: number; stepsPerS: number } | null;
  sample: { batchSize: number; msPerBatch: number; imgPerS: number } | null;
  peakRssMiB: number;
  profile: KernelTime[] | null;
}

/** Kernel times of one call of `work`, summed by kernel name, largest first (op wrappers `*__op` left out). */
export async function profileKernels(tf: TF, work: () => Tensor[]): Promise<KernelTime[]> {
  const info = await tf.profile(async () => {
    const outputs = work();
    await outputs[0]?.data();
    return outputs;
  });
  const totals = new Map<string, KernelTime>();
  for (const k of info.kernels) {
    if (k.name.endsWith('__op')) continue;
    const row = totals.get(k.name) ?? { kernel: k.name, ms: 0, calls: 0 };
    row.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    row.calls += 1;
    totals.set(k.name, row);
  }
  const rows = [...totals.values()].sort((a, b) => b.ms - a.ms);
  for (const row of rows) row.ms = Math.round(row.ms * 10) / 10;
  return rows;
}

/** Runs the benchmark on the current backend. */
export async function runBench(tf: TF, options: BenchOptions = DEFAULT_BENCH): Promise<BenchReport> {
  const gan = referenceGan(tf, options.batchSize);
  const timing = await timeSteps(tf, () => gan.step(), options.warmup, options.steps);
  const profile = options.profile ? (await profileKernels(tf, () => gan.step())).slice(0, 15) : null;
  let sample: BenchReport['sample'] = null;
  if (options.extras) {
    const batchSize = 256;
    const z = tf.randomNormal([batchSize, REFERENCE.latentDim], 0, 1, 'float32', 5);
    const t = await timeSteps(tf, () => [tf.tidy(() => gan.generator.apply(z, { training: false }) as Tensor)], 1, 5);
    z.dispose();
    sample = { batchSize, msPerBatch: round(t.medianMs), imgPerS: round((batchSize / t.medianMs) * 1000) };
  }
  gan.dispose();
  let ring: BenchReport['ring'] = null;
  if (options.extras) {
    const toy = ringGan(tf);
    const t = await timeSteps(tf, () => toy.step(), 5, 30);
    toy.dispose();
    ring = { batchSize: 256, msPerStep: round(median(t.stepsMs)), stepsPerS: round(1000 / t.medianMs) };
  }
  return {
    dcgan: {
      ...timing,
      stepsMs: timing.stepsMs.map(round),
      medianMs: round(timing.medianMs),
      cpuMsPerStep: round(timing.cpuMsPerStep),
      rssAtStepMiB: round(timing.rssAtStepMiB),
      rssEndMiB: round(timing.rssEndMiB),
      batchSize: options.batchSize,
      imgPerS: round((options.batchSize / timing.medianMs) * 1000),
      rssGrowthPct: round((100 * (timing.rssEndMiB - timing.rssAtStepMiB)) / timing.rssAtStepMiB),
    },
    ring,
    sample,
    peakRssMiB: round(peakRssMiB()),
    profile,
  };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
