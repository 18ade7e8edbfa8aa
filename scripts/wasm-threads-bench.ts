// Times wasm kernels on 1 vs N XNNPACK threads in one process: `npx tsx scripts/wasm-threads-bench.ts [--json]`.
import { parseArgs } from 'node:util';
import { ConfigError } from '../src/errors.js';
import { setWasmThreads, wasmThreadsStatus } from '../src/kernels/wasm_threads.js';
import { Rng } from '../src/random.js';
import { initBackend, tf, type TF } from '../src/tf.js';

const help = `Usage: npx tsx scripts/wasm-threads-bench.ts [--threads 1,2] [--reps 10] [--rounds 2] [--json]

Times, on the wasm backend, batch 64:
  conv2d           [64,14,14,64] * [5,5,64,128], stride 2, same -> [64,7,7,128]  (XNNPACK)
  matMul           [64,100] @ [100,12544]                                      (XNNPACK)
  conv2dTranspose  [64,7,7,128] -> [64,14,14,64], 5x5, stride 2                 (tfjs's own loop, one thread)
for each thread count (1 = tfjs's single-thread SIMD build). The thread counts take turns, --rounds times,
so a busy neighbour slows all of them alike; each reports the median of --reps timings (reps / rounds per turn).

  --threads  comma-separated thread counts (default 1,2)
  --reps     timings per op and thread count (default 10)
  --rounds   turns per thread count (default 2)
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      threads: { type: 'string', default: '1,2' },
      reps: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '2' },
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
  const rounds = positive('rounds', values.rounds);
  const perTurn = Math.ceil(reps / rounds);
  const times = new Map<number, Record<Op, number[]>>(counts.map((n) => [n, { conv2d: [], matMul: [], conv2dTranspose: [] }]));
  const devices = new Map<number, string>();
  for (let round = 0; round < rounds; round++) {
    for (const n of counts) {
      setWasmThreads(n);
      const info = await initBackend('wasm');
      const started = wasmThreadsStatus();
      devices.set(n, info.device + (started?.reason ? ` (${started.reason})` : ''));
      const w = workload(tf);
      for (const op of OPS) {
        w.run[op](); // warm-up: XNNPACK builds its operator and packs weights on first use
        for (let i = 0; i < perTurn && times.get(n)![op].length < reps; i++) {
          const start = performance.now();
          w.run[op]();
          times.get(n)![op].push(performance.now() - start);
        }
      }
      w.dispose();
    }
  }
  const base = counts[0]!;
  const rows = counts.map((n) => ({
    threads: n,
    device: devices.get(n)!,
    medianMs: Object.fromEntries(OPS.map((op) => [op, Number(median(times.get(n)![op]).toFixed(1))])) as Record<Op, number>,
    speedupVsFirst: Object.fromEntries(
      OPS.map((op) => [op, Number((median(times.get(base)![op]) / median(times.get(n)![op])).toFixed(2))]),
    ) as Record<Op, number>,
  }));
  const lines = [`wasm, median of ${reps} (${rounds} alternating rounds), ms; speedup relative to ${base} thread(s)`];
  for (const r of rows) {
    lines.push(`${r.device}`);
    for (const op of OPS) lines.push(`  ${op.padEnd(16)} ${String(r.medianMs[op]).padStart(8)} ms   x${r.speedupVsFirst[op]}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ reps, rounds, rows })}\n`);
}

await main();
