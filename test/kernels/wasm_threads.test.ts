// Threads of the wasm backend, checked against the cpu backend: nothing here concerns webgpu.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { requestedWasmThreads, setWasmThreads, wasmThreadsStatus, wasmThreadsUnsupported } from '../../src/kernels/wasm_threads.js';
import { Rng } from '../../src/random.js';
import { initBackend, tf, wasmBackend } from '../../src/tf.js';
import { takeData } from '../setup.js';

const unsupported = await wasmThreadsUnsupported(tf);
const skipNote = unsupported ? ` (skipped: ${unsupported})` : '';

interface Case {
  conv: number[];
  matMul: number[];
}

/** A stride-2 'same' conv2d [4,14,14,16] * [5,5,16,32] -> [4,7,7,32] and a matMul [64,100] @ [100,96], seeded. */
async function compute(): Promise<Case> {
  const rng = new Rng(5);
  const [conv, matMul] = tf.tidy(() => {
    const x = tf.tensor4d(rng.normalArray(4 * 14 * 14 * 16), [4, 14, 14, 16]);
    const filter = tf.tensor4d(rng.normalArray(5 * 5 * 16 * 32, 0, 0.1), [5, 5, 16, 32]);
    const a = tf.tensor2d(rng.normalArray(64 * 100), [64, 100]);
    const b = tf.tensor2d(rng.normalArray(100 * 96, 0, 0.1), [100, 96]);
    return [tf.conv2d(x, filter, 2, 'same'), tf.matMul(a, b)];
  });
  return { conv: Array.from(await takeData(conv)), matMul: Array.from(await takeData(matMul)) };
}

/** Largest violation of |a - b| <= atol + rtol * |b| (<= 0 when all close). */
function worst(actual: number[], expected: number[], atol: number, rtol: number): number {
  expect(actual.length).toBe(expected.length);
  return Math.max(...actual.map((a, i) => Math.abs(a - expected[i]!) - (atol + rtol * Math.abs(expected[i]!))));
}

describe('multithreaded wasm', () => {
  it.skipIf(unsupported !== null)(`starts the threaded build with the thread count asked for and matches the cpu backend${skipNote}`, async () => {
    await initBackend('cpu');
    const reference = await compute();
    setWasmThreads(2);
    const info = await initBackend('wasm');
    expect(wasmBackend.getThreadsCount()).toBe(2);
    expect(wasmThreadsStatus()).toEqual({ requested: 2, threads: 2, reason: null });
    expect(info.device).toMatch(/2 threads\)$/);
    const before = tf.memory().numTensors;
    const threaded = await compute();
    expect(tf.memory().numTensors).toBe(before);
    // float32 sums of 400 (conv) and 100 (matMul) products of size ~0.1-1, summed in a different order by
    // XNNPACK than by the cpu backend: ~1e-6 relative rounding, so 1e-5 absolute plus 1e-5 relative.
    expect(worst(threaded.conv, reference.conv, 1e-5, 1e-5)).toBeLessThanOrEqual(0);
    expect(worst(threaded.matMul, reference.matMul, 1e-5, 1e-5)).toBeLessThanOrEqual(0);
    // The check can fail: a result off by a sign is far outside the tolerance.
    expect(worst(threaded.conv.map((v) => -v), reference.conv, 1e-5, 1e-5)).toBeGreaterThan(0);
  });

  it('restarts on one thread (the single-thread SIMD build) when asked for one', async () => {
    setWasmThreads(1);
    await initBackend('wasm');
    expect(wasmBackend.getThreadsCount()).toBe(1);
    expect(wasmThreadsStatus()).toEqual({ requested: 1, threads: 1, reason: null });
    setWasmThreads(null);
  });

  it('reads GAN_WASM_THREADS and rejects a malformed value, naming the variable', () => {
    expect(requestedWasmThreads({ GAN_WASM_THREADS: '3' })).toBe(3);
    expect(requestedWasmThreads({ GAN_WASM_THREADS: '64' })).toBe(8);
    expect(() => requestedWasmThreads({ GAN_WASM_THREADS: 'two' })).toThrow(
      new ConfigError("GAN_WASM_THREADS: expected a whole number >= 1 (1 = one thread) but got 'two'"),
    );
    expect(() => setWasmThreads(0)).toThrow(new ConfigError('wasm threads: expected a whole number >= 1 but got 0'));
  });

  it.skipIf(unsupported !== null)(
    `falls back to one thread, saying why, when the pool's workers fail, and lets a script that ran two threads exit by itself${skipNote}`,
    () => {
      // One child process for both checks (each costs a tsx + tfjs start-up). First, fault injection: every pool
      // worker is handed a script that throws. Then the real resolveObjectURL, a restart with two threads, a
      // conv, and the script's end, where nothing may keep the process alive.
      const child = runChild([
        `const buffer = (await import('node:buffer')).default;`,
        `const { syncBuiltinESMExports } = await import('node:module');`,
        `const { setWasmThreads } = await import(${JSON.stringify(new URL('../../src/kernels/wasm_threads.ts', import.meta.url).href)});`,
        `const resolveObjectURL = buffer.resolveObjectURL;`,
        `buffer.resolveObjectURL = () => new Blob(['throw new Error("injected pool failure")']);`,
        `syncBuiltinESMExports();`,
        `await initBackend('wasm');`,
        `console.log('first start:', wasmBackend.getThreadsCount(), wasmThreadsNote());`,
        `buffer.resolveObjectURL = resolveObjectURL;`,
        `syncBuiltinESMExports();`,
        `setWasmThreads(2);`,
        `await initBackend('wasm');`,
        `await tf.conv2d(tf.ones([2, 8, 8, 4]), tf.ones([3, 3, 4, 4]), 1, 'same').data();`,
        `console.log('second start:', wasmBackend.getThreadsCount(), wasmThreadsNote());`,
      ]);
      expect(child.status).toBe(0);
      expect(child.stdout).toContain('first start: 1 1 of 2 threads: threads failed to start (injected pool failure)');
      expect(child.stdout).toContain('second start: 2 null');
    },
  );
});

/** Runs `lines` in a fresh Node (ESM, tsx) with src/tf.ts's exports in scope and GAN_WASM_THREADS=2. */
function runChild(lines: string[]): SpawnSyncReturns<string> {
  const tfModule = new URL('../../src/tf.ts', import.meta.url).href;
  const script = [
    `const { initBackend, tf, wasmBackend, wasmThreadsNote } = await import(${JSON.stringify(tfModule)});`,
    ...lines,
  ].join('\n');
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, GAN_WASM_THREADS: '2' },
    encoding: 'utf8',
    timeout: 90_000, // a hang (workers holding the process open) ends here with status null
  });
}
