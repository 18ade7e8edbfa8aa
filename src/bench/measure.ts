// Timing harness for `gan bench`: warm-up, per-step wall times, median, peak and sampled RSS, tensor counts.
import type { TF } from '../tf.js';

/** What one timed workload reports. */
export interface Timing {
  /** Wall time of each timed step, in ms (warm-ups excluded). */
  stepsMs: number[];
  medianMs: number;
  /** Process CPU time (user + system, all threads) per timed step, in ms: less sensitive than wall time to a busy machine. */
  cpuMsPerStep: number;
  /** tf.memory().numTensors after the warm-ups and after the last step (equal unless a step leaks). */
  numTensorsBefore: number;
  numTensorsAfter: number;
  /** Tensors held by the backend itself (catches kernels that leak intermediates the engine never sees). */
  dataIdsBefore: number;
  dataIdsAfter: number;
  /** Size of the wasm heap (MiB) after step `rssAtStep` and at the end; null on other backends. It never shrinks. */
  wasmHeapAtStepMiB: number | null;
  wasmHeapEndMiB: number | null;
  /** Resident set size (MiB) after timed step `rssAtStep` and after the last step. */
  rssAtStep: number;
  rssAtStepMiB: number;
  rssEndMiB: number;
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The wasm backend's heap size in MiB, or null when the current backend is not wasm. */
export function wasmHeapMiB(tf: TF): number | null {
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8;
  return heap ? heap.length / 2 ** 20 : null;
}

export function rssMiB(): number {
  return process.memoryUsage.rss() / 2 ** 20;
}

/** Peak RSS of this process so far (MiB). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * Runs `step` `warmup` times untimed, then `steps` times timed. `step` must return the tensors it wants read back
 * (awaiting one read forces the work to finish, as on asynchronous backends such as webgpu); they are disposed here.
 * `rssAtStep` (1-based, clamped to `steps`) is when the mid-run RSS is sampled.
 */
export async function timeSteps(tf: TF, step: () => { data(): Promise<unknown>; dispose(): void }[], warmup: number, steps: number, rssAtStep = 50): Promise<Timing> {
  const run = async () => {
    const outputs = step();
    try {
      await outputs[0]?.data();
    } finally {
      for (const t of outputs) t.dispose();
    }
  };
  for (let i = 0; i < warmup; i++) await run();
  // Counted after the warm-ups: optimizers create their slot variables on their first step.
  const numTensorsBefore = tf.memory().numTensors;
  const dataIds = () => tf.backend().numDataIds();
  const dataIdsBefore = dataIds();
  let wasmHeapAtStepMiB: number | null = null;
  const stepsMs: number[] = [];
  const sampleAt = Math.min(rssAtStep, steps);
  let rssAtStepMiB = 0;
  const cpuStart = process.cpuUsage();
  for (let i = 1; i <= steps; i++) {
    const start = performance.now();
    await run();
    stepsMs.push(performance.now() - start);
    if (i === sampleAt) {
      rssAtStepMiB = rssMiB();
      wasmHeapAtStepMiB = wasmHeapMiB(tf);
    }
  }
  const cpu = process.cpuUsage(cpuStart);
  return {
    stepsMs,
    medianMs: median(stepsMs),
    cpuMsPerStep: (cpu.user + cpu.system) / 1000 / steps,
    numTensorsBefore,
    numTensorsAfter: tf.memory().numTensors,
    dataIdsBefore,
    dataIdsAfter: dataIds(),
    wasmHeapAtStepMiB,
    wasmHeapEndMiB: wasmHeapMiB(tf),
    rssAtStep: sampleAt,
    rssAtStepMiB,
    rssEndMiB: rssMiB(),
  };
}
