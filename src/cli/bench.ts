// `gan bench`: times the reference DCGAN step (scripts/peers/dcgan_torch.py's workload), the ring-8 MLP GAN and sampling.
import type { Subcommand } from './command.js';
import { intFlag, parseFlags, startBackend } from './args.js';
import { tf } from '../tf.js';
import { DEFAULT_BENCH, runBench, type BenchReport } from '../bench/run.js';

const help = `Usage: gan bench [--backend B] [--steps N] [--batch N] [--no-extras] [--profile] [--json]

Times one training step of the reference DCGAN (TensorFlow's DCGAN tutorial on 28x28x1, batch 64, Adam 1e-4:
D update on real + fake, then G update), as in scripts/peers/dcgan_torch.py. Reports the median ms per step
over N steps after 3 warm-ups, images/s, peak RSS, RSS after step 50 and at the end, and tf.memory().numTensors
before and after (equal when nothing leaks). Also the ring-8 MLP GAN (steps/s) and generator sampling (images/s).

  --steps N      timed steps (default ${DEFAULT_BENCH.steps})
  --batch N      DCGAN batch (default ${DEFAULT_BENCH.batchSize}; the benchmark figure is for 64)
  --no-extras    skip the ring MLP GAN and sampling
  --profile      also profile one step: total time per kernel, largest first
  --json         print one JSON object on the last line of stdout`;

function text(report: BenchReport, backend: string): string {
  const d = report.dcgan;
  const lines = [
    `dcgan (batch ${d.batchSize}, ${backend}): ${d.medianMs} ms/step, ${d.imgPerS} img/s (median of ${d.stepsMs.length}); ${d.cpuMsPerStep} ms CPU time/step`,
    `  numTensors ${d.numTensorsBefore} before, ${d.numTensorsAfter} after (backend data ${d.dataIdsBefore}, ${d.dataIdsAfter}); RSS ${d.rssAtStepMiB} MiB at step ${d.rssAtStep}, ${d.rssEndMiB} MiB at the end (${d.rssGrowthPct}%); peak ${report.peakRssMiB} MiB${d.wasmHeapEndMiB === null ? '' : `; wasm heap ${d.wasmHeapAtStepMiB} -> ${d.wasmHeapEndMiB} MiB`}`,
  ];
  if (report.ring) lines.push(`ring-8 MLP GAN (batch ${report.ring.batchSize}): ${report.ring.stepsPerS} steps/s (${report.ring.msPerStep} ms/step)`);
  if (report.sample) lines.push(`sampling G (batch ${report.sample.batchSize}): ${report.sample.imgPerS} img/s`);
  if (report.profile) {
    lines.push('kernel time in one step:');
    for (const k of report.profile) lines.push(`  ${k.kernel.padEnd(22)} ${String(k.ms).padStart(9)} ms  ${k.calls} calls`);
  }
  return lines.join('\n');
}

export const command: Subcommand = {
  summary: 'time a DCGAN training step (img/s), the ring MLP GAN and sampling',
  help,
  async run(argv) {
    const { values } = parseFlags('bench', argv, {
      steps: { type: 'string' },
      batch: { type: 'string' },
      'no-extras': { type: 'boolean' },
      profile: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const steps = values.steps === undefined ? DEFAULT_BENCH.steps : intFlag('steps', values.steps, 1, 100_000);
    const batchSize = values.batch === undefined ? DEFAULT_BENCH.batchSize : intFlag('batch', values.batch, 1, 4096);
    const info = await startBackend(values.backend);
    const report = await runBench(tf, {
      ...DEFAULT_BENCH, steps, batchSize, extras: !values['no-extras'], profile: Boolean(values.profile),
    });
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ backend: info.name, device: info.device, ...report })}\n`);
    } else {
      process.stdout.write(`${text(report, `${info.name}, ${info.device}`)}\n`);
    }
    return 0;
  },
};
