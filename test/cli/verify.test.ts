import { cpSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { command } from '../../src/cli/verify.js';
import { UsageError } from '../../src/errors.js';
import { saveCheckpoint } from '../../src/checkpoint/index.js';
import { testBackend } from '../setup.js';
import { buildFixture, disposeFixture, rewriteConsistently, stateOf } from '../checkpoint/checkpoint_fixture.js';

const root = mkdtempSync(join(tmpdir(), 'gan-verify-'));
let runDir: string;
beforeAll(async () => {
  await testBackend();
  runDir = join(root, 'run');
  const f = buildFixture(1);
  await saveCheckpoint(runDir, stateOf(f, 10));
  const bad = (await saveCheckpoint(runDir, stateOf(f, 20))).dir;
  truncateSync(join(bad, 'generator', 'weights.bin'), 3);
  disposeFixture(f);
  writeFileSync(join(runDir, 'run.lock'), JSON.stringify({ pid: 2 ** 22 + 1, boot: 'old-boot', startTime: null, hostname: hostname(), createdAt: 'T0', nonce: 'n' }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const code = await command.run(argv);
  vi.restoreAllMocks();
  return { code, stdout };
}

describe('gan verify', () => {
  it('lists checkpoints newest first, names the invalid one and why, shows a stale lock, and exits 1', async () => {
    const { code, stdout } = await run([runDir]);
    const lines = stdout.trimEnd().split('\n');
    const step20 = join(runDir, 'checkpoints', 'step-000020');
    expect(lines[0]).toMatch(new RegExp(`^INVALID  checkpoint ${step20}: file generator/weights.bin is truncated \\(expected \\d+ bytes, found 3\\)$`));
    expect(lines[1]).toMatch(new RegExp(`^ok {7}${join(runDir, 'checkpoints', 'step-000010')} {2}step 10, \\d+\\.\\d\\d MB, \\S+, tfjs-gan \\S+$`));
    expect(lines[2]).toBe(`run.lock: process ${2 ** 22 + 1} on ${hostname()} since T0 (stale: process ${2 ** 22 + 1} held it before a reboot; the next run takes it over)`);
    expect(code).toBe(1);
  });

  it('prints one JSON object with --json, and rebuilds the models with --deep', async () => {
    const { code, stdout } = await run([join(runDir, 'checkpoints', 'step-000010'), '--json', '--deep']);
    const result = JSON.parse(stdout.trimEnd().split('\n').at(-1)!);
    expect(result.invalid).toBe(0);
    expect(result.checkpoints).toHaveLength(1);
    expect(result.checkpoints[0]).toMatchObject({ step: 10, problem: null, ema: false });
    expect(code).toBe(0);
  });

  it('names a crafted optimizer class such as constructor with --deep (one INVALID line, exit 1), not a TypeError', async () => {
    const dir = join(root, 'crafted', 'checkpoints', 'step-000010');
    cpSync(join(runDir, 'checkpoints', 'step-000010'), dir, { recursive: true });
    rewriteConsistently(dir, 'state.json', (t) => {
      const s = JSON.parse(t);
      s.optimizers.generator.className = 'constructor';
      return JSON.stringify(s);
    });
    const { code, stdout } = await run([dir, '--deep']);
    expect(stdout).toBe(`INVALID  checkpoint ${dir}: state.json optimizers.generator: unknown optimizer class 'constructor'\n`);
    expect(code).toBe(1);
  });

  it('refuses a missing directory argument with a usage error', async () => {
    await expect(command.run([])).rejects.toThrow(new UsageError('expected one run or checkpoint directory but got 0 arguments (see gan verify --help)'));
  });
});
