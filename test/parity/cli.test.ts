import { afterEach, describe, expect, it, vi } from 'vitest';
import { command } from '../../src/cli/parity.js';
import { UsageError } from '../../src/errors.js';

function capture(): { out: () => string; restore: () => void } {
  let text = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { text += String(chunk); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { out: () => text, restore: () => { out.mockRestore(); err.mockRestore(); } };
}

describe('gan parity', () => {
  let io: ReturnType<typeof capture> | null = null;
  afterEach(() => io?.restore());

  it('prints one JSON object on the last line with a row per selected check and exits 0 when they pass', async () => {
    io = capture();
    const code = await command.run(['--backend', 'cpu', '--json', '--only', 'G forward', '--only', 'spectral norm: one']);
    const last = JSON.parse(io.out().trim().split('\n').at(-1)!) as { backend: string; pass: boolean; checks: { name: string; pass: boolean }[] };
    expect(code).toBe(0);
    expect(last.backend).toBe('cpu');
    expect(last.pass).toBe(true);
    expect(last.checks.map((c) => c.name)).toEqual(['G forward: G(z)', 'spectral norm: one power iteration (sigma, u, v)']);
  });

  it('prints a table with the tolerance and result of each check', async () => {
    io = capture();
    expect(await command.run(['--backend', 'cpu', '--only', 'critic forward'])).toBe(0);
    expect(io.out()).toMatch(/check\s+max abs err\s+max rel err\s+tolerance\s+result\ncritic forward: f\(x\) on real\s+\S+\s+\S+\s+1e-6 \+ 1e-4\|x\|\s+pass/);
  });

  it('rejects an --only that matches no check', async () => {
    io = capture();
    await expect(command.run(['--backend', 'cpu', '--only', 'no such check'])).rejects.toThrow(UsageError);
  });
});
