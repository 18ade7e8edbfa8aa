// Times wasm kernels on 1 vs N XNNPACK threads in one process: `npx tsx scripts/wasm-threads-bench.ts [--json]`.
import { parseArgs } from 'node:util';
import { ConfigError } from '../src/errors.js';
import { setWasmThreads, wasmThreadsStatus } from '../src/kernels/wasm_threads.js';
import { Rng } from '../src/random.js';
import { initBackend, tf, type TF } from '../src/tf.js';

const help = `Usage: npx tsx scripts/wasm-threads-bench.ts [--threads 1,2] [--reps 10] [--ops conv2d,matMul] [--json]

Times, on the wasm backend, batch 64 (--ops picks some):
  conv2d           [64,14,14,64] * [5,5,64,128], stride 2, same -> [64,7,7,128]  (XNNPACK)
  matMul           [64,100] @ [100,12544]                                      (XNNPACK)
  conv2dTranspose  [64,7,7,128] -> [64,14,14,64], 5x5, stride 2                 (tfjs's own loop, one thread)
for each thread count (1 = tfjs's single-thread SIMD build), all started side by side in this process and
timed in turn, op by op, so a busy neighbour slows every count alike. Reports the median of --reps timings.

  --threads  comma-separated thread counts (default 1,2)
  --reps     timings per op and thread count (default 10)
  --ops      comma-separated ops (default conv2d,matMul)
  --json     print one JSON object on the last line of stdout`;

type Op = 'conv2d' | 'matMul' | 'conv2dTranspose';
const OPS: Op[] = ['conv2d', 'matMul', 'conv2dTranspose'];

function positive(name: string, text: string): number {
  if (!/^[1-9][0-9]*$/.test(text)) throw new ConfigError(`--${name}: expected a whole number >= 1 but got '${text}'`);
  return Number(text);
}

/** Builds the inputs once per backend start and returns one runner per op (each reads its result back). */
function workload(t: TF): { run: Record<Op, () => void>; dispose: () => void } {
  const rng = new Rng(1);
  const x = t.tensor4d(rng.normalArray(64 * 14 * 14 * 64), [64, 14, 14, 64]);
  const filter = t.tensor4d(rng.normalArray(5 * 5 * 64 * 128, 0, 0.05), [5, 5, 64, 128]);
  const z = t.tensor2d(rng.normalArray(64 * 100), [64, 100]);
  const dense = t.tensor2d(rng.normalArray(100 * 12544, 0, 0.1), [100, 12544]);
  const h = t.tensor4d(rng.normalArray(64 * 7 * 7 * 128), [64, 7, 7, 128]);
  const up = t.tensor4d(rng.normalArray(5 * 5 * 64 * 128, 0, 0.05), [5, 5, 64, 128]);
  const read = (f: () => ReturnType<TF['add']>) => () => {
    t.tidy(() => {
      f().dataSync();
    });
  };
  return {
    run: {
      conv2d: read(() => t.conv2d(x, filter, 2, 'same')),
      matMul: read(() => t.matMul(z, dense)),
      conv2dTranspose: read(() => t.conv2dTranspose(h, up, [64, 14, 14, 64], 2, 'same')),
    },
    dispose: () => t.dispose([x, filter, z, dense, h, up]),
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Registers one wasm backend per thread count ('wasm-1t', 'wasm-2t', ...), each a copy of the 'wasm' backend
 * (same factory and kernels) started with that many threads, so all of them live in this process at once and
 * the timings can alternate op by op: a busy neighbour on a shared machine then slows every count alike.
 */
async function startBackends(counts: number[]): Promise<Map<number, { name: string; device: string }>> {
  const factory = tf.findBackendFactory('wasm')!;
  const kernels = tf.getKernelsForBackend('wasm');
  const started = new Map<number, { name: string; device: string }>();
  for (const n of counts) {
    const name = `wasm-${n}t`;
    tf.registerBackend(name, async () => {
      setWasmThreads(n);
      return factory();
    });
    for (const kernel of kernels) tf.registerKernel({ ...kernel, backendName: name });
    if (!(await tf.setBackend(name))) throw new Error(`backend ${name} did not start`);
    const status = wasmThreadsStatus()!;
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? ', SIMD' : '';
    const device = `wasm${simd}, ${status.threads} thread${status.threads === 1 ? '' : 's'}${status.reason ? ` (${status.reason})` : ''}`;
    started.set(n, { name, device });
  }
  setWasmThreads(null);
  return started;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      threads: { type: 'string', default: '1,2' },
      reps: { type: 'string', default: '10' },
      ops: { type: 'string', default: 'conv2d,matMul' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return;
  }
  const counts = values.threads.split(',').map((s) => positive('threads', s.trim()));
  const reps = positive('reps', values.reps);
  const ops = values.ops.split(',').map((s) => s.trim()) as Op[];
  for (const op of ops) if (!OPS.includes(op)) throw new ConfigError(`--ops: expected some of ${OPS.join(', ')} but got '${op}'`);
  await initBackend('wasm'); // prints nothing; makes sure the wasm package and its factory are loaded
  const backends = await startBackends(counts);
  const workloads = new Map<number, ReturnType<typeof workload>>();
  for (const n of counts) {
    await tf.setBackend(backends.get(n)!.name);
    const w = workload(tf);
    for (const op of ops) w.run[op](); // warm-up: XNNPACK builds its operator and packs weights on first use
    workloads.set(n, w);
  }
  const times = new Map<number, Record<Op, number[]>>(counts.map((n) => [n, { conv2d: [], matMul: [], conv2dTranspose: [] }]));
  for (let i = 0; i < reps; i++) {
    for (const op of ops) {
      for (const n of i % 2 ? [...counts].reverse() : counts) {
        await tf.setBackend(backends.get(n)!.name);
        const start = performance.now();
        workloads.get(n)!.run[op]();
        times.get(n)![op].push(performance.now() - start);
      }
    }
  }
  for (const n of counts) {
    await tf.setBackend(backends.get(n)!.name);
    workloads.get(n)!.dispose();
  }
  const base = counts[0]!;
  const rows = counts.map((n) => ({
    threads: n,
    device: backends.get(n)!.device,
    medianMs: Object.fromEntries(ops.map((op) => [op, Number(median(times.get(n)![op]).toFixed(1))])),
    speedupVsFirst: Object.fromEntries(ops.map((op) => [op, Number((median(times.get(base)![op]) / median(times.get(n)![op])).toFixed(2))])),
  }));
  const lines = [`median of ${reps}, ms (thread counts alternate op by op); speedup relative to ${base} thread(s)`];
  for (const r of rows) {
    lines.push(r.device);
    for (const op of ops) lines.push(`  ${op.padEnd(16)} ${String(r.medianMs[op]).padStart(8)} ms   x${r.speedupVsFirst[op]}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ reps, rows })}\n`);
}

await main();
