import { afterEach, describe, expect, it, vi } from 'vitest';
import { command } from '../../src/cli/bench.js';
import { UsageError } from '../../src/errors.js';

describe('gan bench', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('rejects --steps 0 with a usage error naming the flag', async () => {
    await expect(command.run(['--steps', '0'])).rejects.toThrow(new UsageError('--steps: expected an integer in [1, 100000] but got 0'));
  });

  it('prints one JSON object on the last line of stdout with --json', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await command.run(['--backend', process.env.GAN_BACKEND ?? 'wasm', '--batch', '2', '--steps', '1', '--no-extras', '--json']);
    expect(code).toBe(0);
    const last = written.join('').trimEnd().split('\n').at(-1)!;
    const report = JSON.parse(last) as { backend: string; dcgan: { batchSize: number; numTensorsBefore: number; numTensorsAfter: number } };
    expect(report.dcgan.batchSize).toBe(2);
    expect(report.dcgan.numTensorsAfter).toBe(report.dcgan.numTensorsBefore);
  });
});
