import { describe, expect, it } from 'vitest';
import { BackendError } from '../src/errors.js';
import { initBackend, parseBackendChoice, probeBackends, tf } from '../src/tf.js';

describe('backends', () => {
  it('starts cpu and wasm by name and makes each the current backend', async () => {
    expect((await initBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await initBackend('wasm');
    expect(wasm.name).toBe('wasm');
    expect(wasm.device).toMatch(/^CPU \(wasm/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown backend name, listing the allowed ones', () => {
    expect(() => parseBackendChoice('gpu')).toThrow(
      new BackendError("--backend: expected one of auto, tensorflow, webgpu, wasm, cpu but got 'gpu'"),
    );
  });

  it('names the package to install when an uninstalled backend is asked for', async () => {
    const probes = await probeBackends();
    const tensorflow = probes.find((p) => p.name === 'tensorflow')!;
    if (tensorflow.initializes) return; // tfjs-node is installed on this machine: nothing to check here
    await expect(initBackend('tensorflow')).rejects.toThrow(/backend 'tensorflow' is not available .*install it with: npm install @tensorflow\/tfjs-node/);
  });

  it('auto picks a backend that starts, never a software WebGPU adapter', async () => {
    const probes = await probeBackends();
    const info = await initBackend('auto');
    const first = probes.find((p) => p.initializes && p.eligibleForAuto)!;
    expect(info.name).toBe(first.name);
  });
});
