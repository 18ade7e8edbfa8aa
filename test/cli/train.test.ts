import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testBackend } from '../setup.js';
import { command } from '../../src/cli/train.js';

const MAIN = join(import.meta.dirname, 'gan_child.ts');

/** Runs `gan ...` from source (node --import tsx). */
function gan(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...process.env, GAN_BACKEND: 'cpu' } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const TINY = ['--generator-hidden-units', '8', '--discriminator-hidden-units', '8', '--batch-size', '8', '--log-every', '1', '--eval-samples', '100'];

describe('gan train command line', () => {
  let dir: string;
  beforeAll(async () => {
    await testBackend();
    dir = mkdtempSync(join(tmpdir(), 'gan-train-cli-'));
  });
  afterAll(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 with one line naming the key for a bad value, writing nothing', async () => {
    const runDir = join(dir, 'bad');
    const r = await gan(['train', '--preset', 'ring-8-gan', '--run-dir', runDir, '--batch-size', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('gan train: --batchSize: expected an integer in [1, 65536] but got 0\n');
    expect(existsSync(runDir)).toBe(false);
  });

  it('on SIGINT finishes the step, writes a checkpoint and returns exit code 0 saying where', async () => {
    // A real SIGINT to this process when the log shows step 3: the command's own listener must see it between two
    // steps (the loop yields to the event loop each step; without that the signal would wait for the run's end).
    const runDir = join(dir, 'sigint');
    let sent = false;
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      if (!sent && /^step 3\/100000/.test(String(text))) { sent = true; process.kill(process.pid, 'SIGINT'); }
      return true;
    });
    const code = await command.run(['--preset', 'ring-8-gan', '--run-dir', runDir, '--steps', '100000', ...TINY]);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const saved = readdirSync(join(runDir, 'checkpoints')).filter((f) => f.startsWith('step-'));
    expect(saved.length === 1 && ['step-000003', 'step-000004'].includes(saved[0]!)).toBe(true);
    const step = Number(saved[0]!.slice(5));
    const out = stdout.mock.calls.map((c) => String(c[0])).join('');
    expect(out).toBe(`interrupted at step ${step}; wrote checkpoint ${join(runDir, 'checkpoints', saved[0]!)}; continue with: gan train --resume ${runDir} --steps 100000\n`);
    expect(existsSync(join(runDir, 'run.lock'))).toBe(false);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('refuses a resume that changes architecture keys and reports changed training keys', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const runDir = join(dir, 'resume');
    expect(await command.run(['--preset', 'ring-8-gan', '--run-dir', runDir, '--steps', '2', ...TINY])).toBe(0);
    await expect(command.run(['--resume', runDir, '--steps', '4', '--latent-dim', '3', '--generator-hidden-units', '9']))
      .rejects.toThrow('architecture keys differ from the checkpoint\'s: latentDim: expected 2 but got 3; generatorHiddenUnits: expected [8] but got [9]');
    await expect(command.run(['--resume', runDir, '--steps', '2'])).rejects.toThrow('--steps: the checkpoint is at step 2; expected --steps above it but got 2');
    await expect(command.run(['--preset', 'ring-8-gan', '--run-dir', runDir])).rejects.toThrow(`--run-dir: ${runDir} already holds checkpoints; continue it with --resume ${runDir} or pick another directory`);
    expect(await command.run(['--resume', runDir, '--steps', '4', '--generator-learning-rate', '0.0005'])).toBe(0);
    const log = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(log).toContain('changed on resume: generatorLearningRate: expected 0.001 but got 0.0005');
    expect(log).toContain('changed on resume: steps: expected 2 but got 4');
    // The preset decays its learning rates from step 1,500: a run cut to 2 and 4 steps keeps them constant, and says so.
    expect(log).toContain('note: learningRateDecayStart 1500 is not before steps 4: the learning rates stay constant in this run');
    expect(readdirSync(join(runDir, 'checkpoints')).filter((f) => f.startsWith('step-'))).toEqual(['step-000002', 'step-000004']);
  });
});
