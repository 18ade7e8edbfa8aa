// Child process for the kill -9 test: resumes the run in argv[2] (or starts it), then updates the weights and
// checkpoints in a loop (~4.5 MB per checkpoint), printing "writing N" / "saved N", until killed.
import type * as TF from '@tensorflow/tfjs';
import { initBackend, tf } from '../../src/tf.js';
import { Rng } from '../../src/random.js';
import { acquireRunLock, findLatestValidCheckpoint, loadCheckpoint, saveCheckpoint } from '../../src/checkpoint/index.js';
import { buildFixture, stateOf, type Fixture } from './checkpoint_fixture.js';

const runDir = process.argv[2]!;
const hidden = Number(process.argv[3] ?? 30_000);
await initBackend('cpu');
const release = acquireRunLock(runDir);
const latest = findLatestValidCheckpoint(runDir);
let f: Fixture;
let step = 0;
if (latest.dir) {
  const loaded = await loadCheckpoint(latest.dir);
  f = { ...loaded, rng: Rng.fromState(loaded.rng) };
  step = loaded.step;
} else {
  f = buildFixture(5, hidden);
}
process.stdout.write(`ready ${step} ${release.tookOver ?? 'fresh lock'}\n`);
// A cheap stand-in for a training step (a real one takes seconds at this width on cpu): an Adam update with
// gradients drawn from the run's RNG, so weights, moments and RNG state all change from checkpoint to checkpoint.
function fakeStep(optimizer: TF.Optimizer, model: TF.LayersModel): void {
  const scale = f.rng.normal();
  tf.tidy(() => optimizer.applyGradients(model.trainableWeights.map((w) => ({ name: w.name, tensor: tf.fill(w.shape as number[], scale) }))));
}
for (;;) {
  fakeStep(f.generatorOptimizer, f.generator);
  fakeStep(f.discriminatorOptimizer, f.discriminator);
  step++;
  process.stdout.write(`writing ${step}\n`);
  const start = performance.now();
  await saveCheckpoint(runDir, stateOf(f, step), { keep: 2 });
  process.stdout.write(`saved ${step} in ${Math.round(performance.now() - start)} ms\n`);
}
