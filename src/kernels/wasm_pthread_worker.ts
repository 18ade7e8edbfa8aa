// Starts the emscripten pthread workers of tfjs-backend-wasm's threaded build in Node, whose Worker refuses `blob:` URLs.
import { resolveObjectURL } from 'node:buffer';
import { Worker, type WorkerOptions } from 'node:worker_threads';

// The worker-side bootstrap, run by `new Worker(code, { eval: true })` as a CommonJS script. It receives the
// pthread worker script (tfjs's `wasmWorkerContents`) as a Blob in workerData, evaluates it, then serves the
// worker script's `importScripts(blob:...)` of the main module script: that Blob arrives with the 'load' message
// and can only be read asynchronously, so messages are held until it is read. Messages posted before the worker
// script attaches its listener wait in the port (a MessagePort starts when its first listener is attached).
// The main module script is the factory's source, cut out of the tfjs node bundle: its free names are the
// bundle's rollup import aliases and tslib helpers, defined here.
const BOOTSTRAP = `'use strict';
const { workerData } = require('node:worker_threads');
Object.assign(globalThis, {
  require$$0: require('node:fs'),
  require$$1: require('node:path'),
  require$$3: require('node:perf_hooks'),
  require$$4: require('node:os'),
  commonjsGlobal: globalThis,
  __values: (iterable) => iterable[Symbol.iterator](),
  __read: (iterable, count) => {
    const items = [];
    for (const item of iterable) {
      if (count !== undefined && items.length >= count) break;
      items.push(item);
    }
    return items;
  },
  __spreadArray: (to, from) => to.concat(Array.prototype.slice.call(from)),
});
const MAIN_SCRIPT = 'tfjs-gan:wasm-threaded-main-script';
let mainSource = '';
workerData.source.text().then((workerSource) => {
  (0, eval)(workerSource + '\\n//# sourceURL=tfjs-backend-wasm-threaded-simd.worker.js');
  const importFile = globalThis.importScripts;
  globalThis.importScripts = (file) => (file === MAIN_SCRIPT ? (0, eval)(mainSource) : importFile(file));
  const handle = globalThis.onmessage;
  let held = null;
  globalThis.onmessage = (event) => {
    if (held !== null) {
      held.push(event);
      return;
    }
    const script = event.data && event.data.cmd === 'load' ? event.data.urlOrBlob : null;
    if (script === null || typeof script === 'string') {
      handle(event);
      return;
    }
    held = [];
    script.text().then((text) => {
      mainSource = text + '\\n//# sourceURL=tfjs-backend-wasm-threaded-simd.js';
      event.data.urlOrBlob = MAIN_SCRIPT;
      const later = held;
      held = null;
      handle(event);
      for (const next of later) globalThis.onmessage(next);
    });
  };
});
`;

type ErrorHandler = (error: unknown) => void;

/** Workers created and not yet exited, so a failed start-up can terminate them. */
const live = new Set<PthreadWorker>();
/** While set, worker errors go here instead of to emscripten's handler (which rethrows them, killing the process). */
let startupErrorHandler: ErrorHandler | null = null;

function workerArgs(url: string | URL, options?: WorkerOptions): [string | URL, WorkerOptions | undefined] {
  if (typeof url !== 'string' || !url.startsWith('blob:')) return [url, options];
  const blob = resolveObjectURL(url);
  if (!blob) throw new Error(`pthread worker script ${url} is not a live Blob URL`);
  // tfjs makes a fresh Blob URL per worker and never revokes it.
  URL.revokeObjectURL(url);
  // No inherited execArgv: `--input-type=module` would make the bootstrap an ES module (no `require`), and a
  // loader such as `--import tsx` would be started again in each of the pool's 8 workers for nothing.
  return [BOOTSTRAP, { eval: true, execArgv: [], workerData: { source: blob } }];
}

/**
 * `worker_threads.Worker` that also accepts the `blob:` URLs emscripten's pthread pool is given by tfjs.
 * A worker holds the process open only while it loads (the start-up awaits it); then emscripten or `finish()`
 * unrefs it, and `ref()` is a no-op: emscripten refs a worker while it runs a pthread, and XNNPACK's pool
 * threads run for the life of the module, so a CLI command would never exit.
 */
export class PthreadWorker extends Worker {
  #onerror: ErrorHandler | null = null;

  constructor(url: string | URL, options?: WorkerOptions) {
    super(...workerArgs(url, options));
    live.add(this);
    this.once('exit', () => live.delete(this));
  }

  override ref(): void {}

  // emscripten assigns `worker.onerror` and calls it from an 'error' listener.
  get onerror(): ErrorHandler {
    return (error) => {
      if (startupErrorHandler) startupErrorHandler(error);
      else this.#onerror?.(error);
    };
  }

  set onerror(handler: ErrorHandler) {
    this.#onerror = handler;
  }
}

/** Undo for `beginPthreadStartup`. */
export interface PthreadStartup {
  /** Start-up succeeded: restore the globals and let the workers stop holding the process open. */
  finish(): void;
  /** Start-up failed: restore the globals and terminate every worker started. */
  abort(): Promise<void>;
}

/**
 * Prepares the process for one start of the threaded wasm module, until `finish()` or `abort()`:
 * global `Worker` is `PthreadWorker` (emscripten's attempt to set it to worker_threads.Worker is ignored), and
 * the module's `emscripten_num_logical_cores` import reports `2 * threads`. tfjs caps XNNPACK's pool at half
 * the logical cores (it assumes two hyperthreads per core), so on a 2-core machine it would get one thread.
 * `onError` receives any worker error raised meanwhile.
 */
export function beginPthreadStartup(threads: number, onError: ErrorHandler): PthreadStartup {
  const g = globalThis as Record<string, unknown>;
  const previousWorker = Object.getOwnPropertyDescriptor(g, 'Worker');
  Object.defineProperty(g, 'Worker', { configurable: true, get: () => PthreadWorker, set: () => {} });
  const instantiate = WebAssembly.instantiate;
  const patched = function (this: unknown, source: unknown, imports?: WebAssembly.Imports) {
    const env = imports?.env;
    if (env && typeof env.emscripten_num_logical_cores === 'function') {
      imports = { ...imports, env: { ...env, emscripten_num_logical_cores: () => 2 * threads } };
    }
    return (instantiate as (s: unknown, i?: WebAssembly.Imports) => Promise<unknown>).call(this, source, imports);
  };
  WebAssembly.instantiate = patched as typeof WebAssembly.instantiate;
  startupErrorHandler = onError;
  const restore = () => {
    startupErrorHandler = null;
    if (WebAssembly.instantiate === patched) WebAssembly.instantiate = instantiate;
    if (previousWorker) Object.defineProperty(g, 'Worker', previousWorker);
    else delete g.Worker;
  };
  return {
    finish() {
      restore();
      for (const worker of live) worker.unref();
    },
    async abort() {
      restore();
      // Bounded: a worker stuck in a start-up that failed must not stall the fallback to one thread.
      const workers = [...live];
      for (const worker of workers) worker.unref();
      let timer: NodeJS.Timeout | undefined;
      const patience = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 5_000);
        timer.unref();
      });
      await Promise.race([Promise.all(workers.map((worker) => worker.terminate())), patience]);
      clearTimeout(timer);
    },
  };
}
