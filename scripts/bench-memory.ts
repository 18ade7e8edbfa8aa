// Memory trajectory of the reference DCGAN step (the `gan bench` workload): every --every steps, the wasm heap size,
// RSS, tf.memory().numTensors and the tensors the backend holds. A leak grows steadily; a heap that steps up once
// (allocator fragmentation at the peak of a step) and then stays flat is not one.
// Usage: npx tsx scripts/bench-memory.ts [--batch 8] [--steps 400] [--every 25] [--backend wasm]
import { parseArgs } from 'node:util';
import { startBackend } from '../src/cli/args.js';
import { referenceGan } from '../src/bench/reference_dcgan.js';
import { tf } from '../src/tf.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '8' },
    steps: { type: 'string', default: '400' },
    every: { type: 'string', default: '25' },
    backend: { type: 'string', default: 'wasm' },
  },
});
await startBackend(values.backend);
const gan = referenceGan(tf, Number(values.batch));
const backend = tf.backend() as unknown as { numDataIds(): number; wasm?: { HEAPU8: Uint8Array } };
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
console.log('step  wasm heap MiB  RSS MiB  numTensors  backend tensors');
for (let step = 1; step <= Number(values.steps); step++) {
  tf.dispose(gan.step());
  if (step % Number(values.every) === 0) {
    const heap = backend.wasm ? mib(backend.wasm.HEAPU8.buffer.byteLength) : '-';
    console.log(`${String(step).padStart(4)}  ${heap.padStart(13)}  ${mib(process.memoryUsage().rss).padStart(7)}  ${String(tf.memory().numTensors).padStart(10)}  ${String(backend.numDataIds()).padStart(15)}`);
  }
}
gan.dispose();
