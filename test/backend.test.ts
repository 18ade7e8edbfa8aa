import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../src/errors.js';
import { initBackend, parseBackendChoice, probeBackends, probeWebgpuAdapter, tf } from '../src/tf.js';

const installed = (pkg: string) => {
  try {
    createRequire(import.meta.url).resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
};
const tfjsNode = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');
// Where Dawn can find a Vulkan driver at all (Mesa's ICD files): without one, webgpu cannot start.
const vulkan = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'].some(existsSync);

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

  it.skipIf(tfjsNode)('names the package to install when an uninstalled backend is asked for (skipped where tfjs-node is installed)', async () => {
    await expect(initBackend('tensorflow')).rejects.toThrow(/backend 'tensorflow' is not available .*install it with: npm install @tensorflow\/tfjs-node/);
    const row = (await probeBackends()).find((p) => p.name === 'tensorflow')!;
    expect(row).toMatchObject({ installed: false, initializes: false });
    expect(row.reason).toMatch(/install: npm install @tensorflow\/tfjs-node@4\.22\.0/);
  });

  it.skipIf(!vulkan || !installed('webgpu'))('starts webgpu where Dawn finds an adapter, and auto skips a software one (skipped without a Vulkan driver)', async () => {
    const webgpu = await initBackend('webgpu');
    expect(webgpu.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    const row = (await probeBackends()).find((p) => p.name === 'webgpu')!;
    expect(row.initializes).toBe(true);
    // This machine's adapter is Mesa's llvmpipe (CI) or a real GPU: the software one must not be eligible for auto.
    const software = /^software:/.test(webgpu.device);
    expect(row.eligibleForAuto).toBe(!software);
    const auto = await initBackend('auto');
    if (software) expect(auto.name).not.toBe('webgpu');
    // auto asks a child process first; it must see the adapter this process sees.
    expect(probeWebgpuAdapter()).toEqual({ label: webgpu.device.replace(/^(software|GPU): /, ''), software });
  });

  it.skipIf(!vulkan || !installed('webgpu'))("keeps Dawn's own output out of a process where auto passes over a software adapter (skipped without a Vulkan driver)", () => {
    // Dawn prints warnings about lavapipe's limits on stderr when it finds that adapter; auto finds it in a child.
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.GAN_BACKEND;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
      "import { initBackend } from './src/tf.ts'; process.stdout.write((await initBackend('auto')).name);"], { encoding: 'utf8', env });
    expect(run.status).toBe(0);
    if (probeWebgpuAdapter()?.software === false) return expect(run.stdout).toBe('webgpu'); // a real GPU: nothing to keep out
    expect(run.stdout).not.toBe('webgpu');
    expect(run.stderr).toBe('');
  });

  it('auto picks tensorflow where tfjs-node is installed, else webgpu on a hardware adapter, else wasm', async () => {
    // Not derived from probeBackends (that would compare auto with itself): the expected answer comes from what is
    // installed. With tfjs-node, auto must take tensorflow; with a hardware WebGPU adapter, webgpu; else wasm.
    const rows = await probeBackends();
    const hardwareGpu = rows.some((r) => r.name === 'webgpu' && r.initializes && r.device !== null && !r.device.startsWith('software:'));
    const expected = tfjsNode ? 'tensorflow' : hardwareGpu ? 'webgpu' : 'wasm';
    expect((await initBackend('auto')).name).toBe(expected);
  });
});
