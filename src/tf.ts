// The one module that imports TensorFlow.js. It registers the toolkit's kernel and gradient fixes on import,
// chooses and starts backends, and probes them for `gan doctor`. Everything else imports `tf` from here.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as tfjs from '@tensorflow/tfjs';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import { BackendError, GanError } from './errors.js';
import { registerFixes } from './kernels/index.js';
import { installWasmThreads, requestedWasmThreads, wasmThreadsStatus } from './kernels/wasm_threads.js';

/** The tfjs namespace, with the toolkit's kernels and gradient fixes registered. */
export const tf = tfjs;
export type { TF, WasmBackendModule } from './tf_types.js';
/** The wasm backend package (thread count, `BackendWasm` internals for custom kernels). */
export const wasmBackend = tfwasm;

registerFixes(tfjs, tfwasm);
installWasmThreads(tfjs, tfwasm);

export const BACKENDS = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

/** What `initBackend` started. */
export interface BackendInfo {
  name: BackendName;
  /** Human-readable device: 'CPU (wasm, SIMD, 1 thread)', a GPU's name, ... */
  device: string;
}

/** One row of `gan doctor`. */
export interface BackendProbe {
  name: BackendName;
  /** npm package(s) that provide this backend. */
  packages: string[];
  installed: boolean;
  initializes: boolean;
  device: string | null;
  /** Why it is not usable (not installed, failed to start, software adapter). */
  reason: string | null;
  /** Whether `auto` would take it (webgpu only with a hardware adapter). */
  eligibleForAuto: boolean;
}

const INSTALL_HINT: Record<BackendName, string> = {
  tensorflow: 'npm install @tensorflow/tfjs-node@4.22.0 (CPU) or @tensorflow/tfjs-node-gpu@4.22.0 (CUDA)',
  // Optional dependencies of tfjs-gan: `npm install` / `npm ci` installs them unless told --omit=optional. The same
  // command works in a user's project and in a checkout of this repo (where it writes nothing new to package.json).
  webgpu: 'npm install @tensorflow/tfjs-backend-webgpu@4.22.0 webgpu@0.6.2 (and a Vulkan/Metal/D3D12 driver; on Linux without a GPU: Mesa 25 lavapipe)',
  wasm: 'npm install @tensorflow/tfjs-backend-wasm@4.22.0',
  cpu: 'npm install @tensorflow/tfjs@4.22.0',
};

function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.slice(0, 200);
}

// Optional packages are imported by a computed name so TypeScript does not require them at build time.
async function importOptional(name: string): Promise<unknown> {
  return import(name);
}

async function packageInstalled(name: string): Promise<boolean> {
  try {
    createRequire(import.meta.url).resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

let tensorflowDevice: string | null = null;
let tensorflowError: string | null = null;

/** Loads tfjs-node-gpu, else tfjs-node; each registers the `tensorflow` backend on our tfjs engine. */
async function loadTensorflow(): Promise<void> {
  if (tfjs.findBackend('tensorflow')) return;
  if (tensorflowError !== null) throw new Error(tensorflowError);
  const reasons: string[] = [];
  for (const [pkg, device] of [
    ['@tensorflow/tfjs-node-gpu', 'GPU (CUDA, libtensorflow)'],
    ['@tensorflow/tfjs-node', 'CPU (libtensorflow)'],
  ] as const) {
    if (!(await packageInstalled(pkg))) {
      reasons.push(`${pkg} is not installed${pkg === '@tensorflow/tfjs-node' ? ' (npm skips it when its libtensorflow download fails)' : ''}`);
      continue;
    }
    try {
      await importOptional(pkg);
      if (tfjs.findBackend('tensorflow')) {
        tensorflowDevice = device;
        return;
      }
      reasons.push(`${pkg} loaded but registered no backend`);
    } catch (e) {
      reasons.push(`${pkg} failed to load: ${errorText(e)}`);
    }
  }
  tensorflowError = reasons.join('; ');
  throw new Error(tensorflowError);
}

let webgpuDevice: string | null = null;
let webgpuSoftware = false;

interface AdapterInfo { vendor?: string | undefined; architecture?: string | undefined; device?: string | undefined; description?: string | undefined; isFallbackAdapter?: boolean | undefined }

/**
 * The fields of a GPUAdapter that name it (getters of a native object: read one by one). Self-contained: probeWebgpuAdapter
 * runs its source in a child process.
 */
function readAdapterInfo(adapter: { info?: AdapterInfo; isFallbackAdapter?: boolean }): AdapterInfo {
  const i = adapter.info ?? {};
  return { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter ?? adapter.isFallbackAdapter };
}

/** An adapter's name, and whether it is software: a fallback adapter, Mesa's llvmpipe (lavapipe), SwiftShader. */
function describeAdapter(info: AdapterInfo): { label: string; software: boolean } {
  const label = [info.vendor, info.architecture, info.device, info.description].filter((s) => s).join(' ') || 'unknown adapter';
  return { label, software: Boolean(info.isFallbackAdapter) || /llvmpipe|lavapipe|swiftshader|software/i.test(label) };
}

/**
 * The WebGPU adapter Dawn finds, asked in a child process (for `auto`): Dawn prints warnings about a software
 * adapter's limits on stderr, and a broken driver can crash the process that asks; neither reaches this process,
 * which then goes on to wasm. Null when the webgpu package is missing, Dawn finds no adapter, or the probe fails.
 */
export function probeWebgpuAdapter(): { label: string; software: boolean } | null {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('webgpu');
  } catch {
    return null;
  }
  const script = `const m = await import(${JSON.stringify(pathToFileURL(entry).href)}); const dawn = m.default ?? m;
const a = await dawn.create([]).requestAdapter();
process.stdout.write(JSON.stringify(a ? (${readAdapterInfo.toString()})(a) : null));
process.exit(0);`;
  const probe = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
  if (probe.status !== 0) return null;
  try {
    const info = JSON.parse(probe.stdout) as AdapterInfo | null;
    return info ? describeAdapter(info) : null;
  } catch {
    return null;
  }
}

/** Starts Dawn's Node addon (`webgpu` package), exposes navigator.gpu, then loads the tfjs webgpu backend. */
async function loadWebgpu(): Promise<void> {
  // An asynchronously initialised backend is not returned by findBackend until it has been started: ask for its factory.
  if (tfjs.findBackendFactory('webgpu')) return;
  for (const pkg of ['webgpu', '@tensorflow/tfjs-backend-webgpu']) {
    if (!(await packageInstalled(pkg))) throw new Error(`${pkg} is not installed`);
  }
  const dawn = (await importOptional('webgpu')) as {
    create: (flags: string[]) => { requestAdapter(): Promise<unknown> };
    globals: Record<string, unknown>;
  };
  const g = globalThis as unknown as Record<string, unknown>;
  Object.assign(g, dawn.globals);
  const gpu = dawn.create([]);
  const adapter = (await gpu.requestAdapter()) as { info?: AdapterInfo; isFallbackAdapter?: boolean } | null;
  if (!adapter) throw new Error('no WebGPU adapter (no Vulkan/Metal/D3D12 driver found by Dawn)');
  const { label, software } = describeAdapter(readAdapterInfo(adapter));
  webgpuSoftware = software;
  webgpuDevice = `${webgpuSoftware ? 'software' : 'GPU'}: ${label}`;
  if (!('navigator' in g) || !g.navigator) {
    Object.defineProperty(g, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(g.navigator as object, 'gpu', { value: gpu, configurable: true });
  }
  await importOptional('@tensorflow/tfjs-backend-webgpu');
  if (!tfjs.findBackendFactory('webgpu')) throw new Error('@tensorflow/tfjs-backend-webgpu registered no backend');
}

function wasmDevice(): string {
  const simd = tfjs.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tfwasm.getThreadsCount();
  return `CPU (wasm${simd ? ', SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'})`;
}

/** Why wasm runs on fewer threads than asked for (GAN_WASM_THREADS or the core count), or null. */
export function wasmThreadsNote(): string | null {
  const s = wasmThreadsStatus();
  return s?.reason ? `${s.threads} of ${s.requested} threads: ${s.reason}` : null;
}

async function start(name: BackendName): Promise<BackendInfo> {
  if (name === 'tensorflow') await loadTensorflow();
  if (name === 'webgpu') await loadWebgpu();
  if (name === 'wasm') requestedWasmThreads(); // throws ConfigError on a malformed GAN_WASM_THREADS
  const ok = await tfjs.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tfjs.ready();
  // The cpu backend's first tensor write prints an advert for tfjs-node. Whoever runs on cpu chose it, and
  // `gan doctor` explains why tensorflow is unavailable: silence it.
  if (name === 'cpu') (tfjs.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  const device =
    name === 'tensorflow' ? tensorflowDevice ?? 'libtensorflow'
    : name === 'webgpu' ? webgpuDevice ?? 'WebGPU'
    : name === 'wasm' ? wasmDevice()
    : 'CPU (pure JavaScript)';
  return { name, device };
}

/** Parses a backend name from a flag or GAN_BACKEND; throws BackendError naming the allowed values. */
export function parseBackendChoice(value: string, source = '--backend'): BackendChoice {
  if (value === 'auto' || (BACKENDS as readonly string[]).includes(value)) return value as BackendChoice;
  throw new BackendError(`${source}: expected one of auto, ${BACKENDS.join(', ')} but got '${value}'`);
}

/**
 * Starts a backend and makes it tfjs's current one. `choice` defaults to GAN_BACKEND, then 'auto'.
 * 'auto' takes the first that starts of: tensorflow, webgpu (hardware adapters only), wasm, cpu.
 * Throws BackendError (naming the package to install) when an explicitly named backend cannot start.
 */
export async function initBackend(choice?: BackendChoice): Promise<BackendInfo> {
  const envChoice = process.env.GAN_BACKEND;
  const resolved = choice ?? (envChoice ? parseBackendChoice(envChoice, 'GAN_BACKEND') : 'auto');
  if (resolved !== 'auto') {
    try {
      return await start(resolved);
    } catch (e) {
      if (e instanceof GanError) throw e;
      throw new BackendError(`backend '${resolved}' is not available (${errorText(e)}); install it with: ${INSTALL_HINT[resolved]}`);
    }
  }
  for (const name of BACKENDS) {
    // webgpu only on a hardware adapter, found by a child process before Dawn is loaded here (probeWebgpuAdapter).
    if (name === 'webgpu' && !tfjs.findBackendFactory('webgpu') && probeWebgpuAdapter()?.software !== false) continue;
    try {
      const info = await start(name);
      if (name === 'webgpu' && webgpuSoftware) continue;
      return info;
    } catch (e) {
      if (e instanceof GanError) throw e; // a malformed setting (GAN_WASM_THREADS), not a missing backend
    }
  }
  throw new BackendError('no tfjs backend could be started (tried tensorflow, webgpu, wasm, cpu)');
}

/** Probes every backend (for `gan doctor`); leaves the current backend as it was. */
export async function probeBackends(): Promise<BackendProbe[]> {
  const previous = tfjs.getBackend();
  const rows: BackendProbe[] = [];
  const packages: Record<BackendName, string[]> = {
    tensorflow: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
    webgpu: ['@tensorflow/tfjs-backend-webgpu', 'webgpu'],
    wasm: ['@tensorflow/tfjs-backend-wasm'],
    cpu: ['@tensorflow/tfjs'],
  };
  for (const name of BACKENDS) {
    const installedFlags = await Promise.all(packages[name].map(packageInstalled));
    const installed = name === 'tensorflow' ? installedFlags.some(Boolean) : installedFlags.every(Boolean);
    const row: BackendProbe = { name, packages: packages[name], installed, initializes: false, device: null, reason: null, eligibleForAuto: false };
    try {
      const info = await start(name);
      row.initializes = true;
      row.device = info.device;
      row.eligibleForAuto = !(name === 'webgpu' && webgpuSoftware);
      if (!row.eligibleForAuto) row.reason = 'software adapter: auto skips it';
      if (name === 'wasm') row.reason = wasmThreadsNote();
    } catch (e) {
      row.reason = installed ? errorText(e) : `${errorText(e)}; install: ${INSTALL_HINT[name]}`;
    }
    rows.push(row);
  }
  if (previous) await tfjs.setBackend(previous);
  return rows;
}
