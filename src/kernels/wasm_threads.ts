// Multithreaded wasm in Node: starts tfjs-backend-wasm's threaded-SIMD build with one XNNPACK thread per core.
import { availableParallelism } from 'node:os';
import type { TF, WasmBackendModule } from '../tf_types.js';
import { ConfigError } from '../errors.js';
import { beginPthreadStartup } from './wasm_pthread_worker.js';

/** Most threads the threaded build can run: its emscripten pool has 8 workers and tfjs caps XNNPACK at 8. */
export const WASM_MAX_THREADS = 8;
/** How long the pool's workers may take to load before the start falls back to one thread. */
const STARTUP_TIMEOUT_MS = 60_000;

/** How the wasm backend was started, for `gan doctor` and benchmarks. */
export interface WasmThreadsStatus {
  /** Threads asked for (GAN_WASM_THREADS, `setWasmThreads`, or the core count), capped at WASM_MAX_THREADS. */
  requested: number;
  /** Threads XNNPACK runs (its thread pool's size, including the calling thread). */
  threads: number;
  /** Why `threads` is less than asked for, or null. */
  reason: string | null;
}

type BackendFactory = () => unknown;

interface Installed {
  tf: TF;
  wasm: WasmBackendModule;
  factory: BackendFactory;
  priority: number;
}

let installed: Installed | null = null;
let override: number | null = null;
let status: WasmThreadsStatus | null = null;

/**
 * Threads the wasm backend will ask for: `setWasmThreads`'s value, else env GAN_WASM_THREADS (1 = off),
 * else `os.availableParallelism()`; capped at WASM_MAX_THREADS. Throws ConfigError on a malformed variable.
 */
export function requestedWasmThreads(env: NodeJS.ProcessEnv = process.env): number {
  if (override !== null) return Math.min(override, WASM_MAX_THREADS);
  const text = env.GAN_WASM_THREADS;
  if (text === undefined || text === '') return Math.min(availableParallelism(), WASM_MAX_THREADS);
  if (!/^[1-9][0-9]*$/.test(text.trim())) {
    throw new ConfigError(`GAN_WASM_THREADS: expected a whole number >= 1 (1 = one thread) but got '${text}'`);
  }
  return Math.min(Number(text), WASM_MAX_THREADS);
}

/** What the current (or last) wasm backend start gave; null before the wasm backend has started. */
export function wasmThreadsStatus(): WasmThreadsStatus | null {
  return status;
}

// A module with a shared memory validates only where WebAssembly threads are enabled.
const SHARED_MEMORY_MODULE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 4, 1, 3, 1, 1]);

/** Why this process cannot run the threaded wasm build (no shared memory, no SIMD), or null if it can. */
export async function wasmThreadsUnsupported(tf: TF): Promise<string | null> {
  if (typeof SharedArrayBuffer !== 'function') return 'SharedArrayBuffer is not available';
  if (!WebAssembly.validate(SHARED_MEMORY_MODULE)) return "this runtime's WebAssembly has no shared memory (threads)";
  if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) return "the threaded build needs WebAssembly SIMD, which this runtime lacks";
  return null;
}

function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String(e.message) : String(e);
  return text.split('\n')[0]!.slice(0, 200);
}

/** The single-thread path: tfjs's SIMD (or plain) build. */
async function startSingle(s: Installed, requested: number, reason: string | null): Promise<unknown> {
  s.tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  s.wasm.setThreadsCount(1);
  const backend = await s.factory();
  status = { requested, threads: s.wasm.getThreadsCount(), reason };
  return backend;
}

/**
 * Terminates the emscripten pool's idle workers (it starts 8; XNNPACK took `threads - 1` of them for good),
 * about 9 MB each. Nothing else in tfjs starts a thread, so they would never be used.
 */
function trimPool(backend: unknown): void {
  const pool = (backend as { wasm?: { PThread?: { unusedWorkers?: { terminate(): Promise<number> }[] } } }).wasm?.PThread;
  if (!pool?.unusedWorkers) return;
  for (const worker of pool.unusedWorkers) void worker.terminate().catch(() => {});
  pool.unusedWorkers = [];
}

/** Replacement for tfjs's wasm backend factory: the threaded build when it can start, else the single-thread one. */
async function startWasm(s: Installed): Promise<unknown> {
  const requested = requestedWasmThreads();
  if (requested <= 1) return startSingle(s, requested, null);
  const unsupported = await wasmThreadsUnsupported(s.tf);
  if (unsupported) return startSingle(s, requested, unsupported);
  s.tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  s.wasm.setThreadsCount(requested);
  let fail: (e: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const startup = beginPthreadStartup(requested, (e) => fail(e));
  const timer = setTimeout(() => fail(new Error(`the pool's workers did not load within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
  try {
    const backend = await Promise.race([s.factory(), failed]);
    startup.finish();
    trimPool(backend);
    const threads = s.wasm.getThreadsCount();
    status = { requested, threads, reason: threads < requested ? `XNNPACK started ${threads} of ${requested} threads` : null };
    return backend;
  } catch (e) {
    await startup.abort();
    return startSingle(s, requested, `threads failed to start (${errorText(e)})`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Replaces tfjs's 'wasm' backend factory by one that starts the threaded-SIMD build with
 * `requestedWasmThreads()` threads (falling back to one thread, with the reason in `wasmThreadsStatus()`).
 * Called once by src/tf.ts at import, before anything can initialise the wasm backend.
 */
export function installWasmThreads(tf: TF, wasm: WasmBackendModule): void {
  if (installed) return;
  const factory = tf.findBackendFactory('wasm') as BackendFactory | null;
  if (!factory) return;
  const registry = (tf.engine() as unknown as { registryFactory: Record<string, { priority: number }> }).registryFactory;
  installed = { tf, wasm, factory, priority: registry.wasm?.priority ?? 2 };
  register(installed);
}

function register(s: Installed): void {
  if (s.tf.findBackendFactory('wasm')) s.tf.removeBackend('wasm');
  s.tf.registerBackend('wasm', (() => startWasm(s)) as Parameters<TF['registerBackend']>[1], s.priority);
}

/**
 * Sets the thread count for the next start of the wasm backend (null: back to GAN_WASM_THREADS or the core
 * count). If wasm has started, it is disposed (its tensors with it) and the next `initBackend('wasm')` restarts it.
 */
export function setWasmThreads(threads: number | null): void {
  if (threads !== null && !(Number.isInteger(threads) && threads >= 1)) {
    throw new ConfigError(`wasm threads: expected a whole number >= 1 but got ${threads}`);
  }
  override = threads;
  if (installed && installed.tf.engine().registry.wasm) register(installed);
}
