// What survives which fault (docs/reliability.md): closed pipes, stop signals at any phase, symlinks and special
// files in a run directory, failing log/sample writes, a full disk under an output file.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/io/files.js';
import { resolveConfig } from '../../src/train/config.js';
import { train } from '../../src/train/loop.js';
import { silentReporter } from '../../src/train/progress.js';
import { testBackend } from '../setup.js';

const GAN = join(import.meta.dirname, 'gan_child.ts');
const TINY = ['--generator-hidden-units', '8', '--discriminator-hidden-units', '8', '--batch-size', '8', '--backend', 'cpu'];
let dir = '';
beforeAll(async () => {
  await testBackend();
  dir = mkdtempSync(join(tmpdir(), 'gan-reliability-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Child { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs gan; `onStderr` sees stderr as it grows and may signal the child. */
function gan(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void, stdio: 'pipe' | 'closed-pipe' = 'pipe'): Promise<Child> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', GAN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    if (stdio === 'closed-pipe') {
      // The reader goes away after the first chunk, as `| head -1` does: later writes fail with EPIPE.
      child.stdout!.once('data', () => child.stdout!.destroy());
      child.stderr!.once('data', () => child.stderr!.destroy());
    } else {
      child.stdout!.on('data', (d: Buffer) => { stdout += String(d); });
      child.stderr!.on('data', (d: Buffer) => { stderr += String(d); onStderr?.(stderr, child); });
    }
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const checkpoints = (runDir: string) => (existsSync(join(runDir, 'checkpoints')) ? readdirSync(join(runDir, 'checkpoints')).filter((f) => f.startsWith('step-')).sort() : []);

describe('output streams', () => {
  it('a reader that goes away (EPIPE on stdout and stderr) does not end the run: it trains to the end and checkpoints', async () => {
    const runDir = join(dir, 'epipe');
    const r = await gan(['train', '--preset', 'ring-8-gan', '--run-dir', runDir, '--steps', '40', '--log-every', '1', ...TINY], undefined, 'closed-pipe');
    expect(r.code).toBe(0);
    expect(checkpoints(runDir)).toEqual(['step-000040']);
    expect(existsSync(join(runDir, 'run.lock'))).toBe(false);
  });
});

describe('stop signals', () => {
  for (const signal of ['SIGHUP', 'SIGTERM', 'SIGINT'] as const) {
    it(`${signal} during training ends with a checkpoint of the current step and a released lock`, async () => {
      const runDir = join(dir, `signal-${signal}`);
      let sent = false;
      const r = await gan(['train', '--preset', 'ring-8-gan', '--run-dir', runDir, '--steps', '100000', '--log-every', '5', ...TINY], (text, child) => {
        if (!sent && /step 10\//.test(text)) { sent = true; child.kill(signal); }
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^interrupted at step (\d+); wrote checkpoint .*step-0*\1; continue with: gan train --resume/m);
      expect(checkpoints(runDir)).toHaveLength(1);
      expect(existsSync(join(runDir, 'run.lock'))).toBe(false);
    });
  }

  it('SIGTERM during a long final evaluation stops it within seconds, keeping the final checkpoint', async () => {
    const runDir = join(dir, 'signal-eval');
    let sentAt = 0;
    // One million evaluation samples through a 256x256 generator (~6.6e10 multiply-adds) take minutes on the cpu
    // backend: only an interrupted evaluation ends in time.
    const r = await gan(['train', '--preset', 'ring-8-gan', '--run-dir', runDir, '--steps', '5', '--eval-samples', '1000000', ...TINY, '--generator-hidden-units', '256,256'], (text, child) => {
      // The final samples are written just before the evaluation starts.
      if (!sentAt && /samples: .*step-000005\.png/.test(text)) { sentAt = Date.now(); setTimeout(() => child.kill('SIGTERM'), 300); }
    });
    expect(r.code).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    expect(r.stderr).toContain('eval at step 5 interrupted');
    expect(checkpoints(runDir)).toEqual(['step-000005']);
    expect(existsSync(join(runDir, 'run.lock'))).toBe(false);
  });
});

describe('run directories', () => {
  for (const name of ['config.json', 'metrics.jsonl', 'checkpoints', 'samples']) {
    it(`refuse a symlinked ${name} with one line, exit 2, and write nothing through it`, async () => {
      const runDir = join(dir, `link-${name}`);
      mkdirSync(runDir, { recursive: true });
      const outside = join(dir, `outside-${name}`);
      if (name === 'checkpoints' || name === 'samples') mkdirSync(outside); else writeFileSync(outside, 'precious\n');
      symlinkSync(outside, join(runDir, name));
      const r = await gan(['train', '--preset', 'ring-8-gan', '--run-dir', runDir, '--steps', '2', ...TINY]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n').pop()).toBe(`gan train: ${join(runDir, name)} is a symlink; a run directory's files must lie inside it (remove the link or use another run directory)`);
      if (name === 'checkpoints' || name === 'samples') expect(readdirSync(outside)).toEqual([]); else expect(readFileSync(outside, 'utf8')).toBe('precious\n');
      expect(existsSync(join(runDir, 'run.lock'))).toBe(false);
    });
  }

  it('refuse a run file that is a directory or a FIFO with one line and exit 2', async () => {
    const runDir = join(dir, 'special');
    mkdirSync(join(runDir, 'config.json'), { recursive: true });
    const r = await gan(['train', '--preset', 'ring-8-gan', '--run-dir', runDir, '--steps', '2', ...TINY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`gan train: ${join(runDir, 'config.json')}: expected a regular file but found a directory`);
    const fifoDir = join(dir, 'fifo');
    mkdirSync(fifoDir);
    expect(spawnSync('mkfifo', [join(fifoDir, 'metrics.jsonl')]).status).toBe(0);
    const f = await gan(['train', '--preset', 'ring-8-gan', '--run-dir', fifoDir, '--steps', '2', ...TINY]);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('expected a regular file but found a FIFO');
  });
});

describe('failing log and sample writes', () => {
  it('cost only those files: a warning, once per kind, and the run trains on to its checkpoint', async () => {
    const runDir = join(dir, 'softfail');
    const messages: string[] = [];
    const config = resolveConfig({ data: 'ring8', model: 'mlp', generatorHiddenUnits: [8], discriminatorHiddenUnits: [8], batchSize: 8, steps: 12, metricsEvery: 1, sampleEvery: 4, checkpointEvery: 0, evalSamples: 100 });
    const result = await train(config, {
      runDir,
      reporter: { ...silentReporter, message: (m) => messages.push(m) },
      onStep: (step) => {
        // After step 2 both targets turn into things that cannot be written: a directory where metrics.jsonl is
        // appended (EISDIR) and a file where the samples/ directory is created (ENOTDIR / EEXIST).
        if (step !== 2) return;
        rmSync(join(runDir, 'metrics.jsonl'));
        mkdirSync(join(runDir, 'metrics.jsonl'));
        writeFileSync(join(runDir, 'samples'), 'not a directory');
      },
    });
    expect(result).toMatchObject({ step: 12, interrupted: false });
    expect(checkpoints(runDir)).toEqual(['step-000012']);
    expect(messages.filter((m) => m.startsWith('warning: could not write metrics.jsonl'))).toHaveLength(1);
    expect(messages.filter((m) => m.startsWith('warning: could not write samples'))).toHaveLength(1);
  });
});

/** Mounts a 64 KiB tmpfs (root only); null when this machine does not allow it. */
function smallDisk(): string | null {
  const mnt = mkdtempSync(join(tmpdir(), 'gan-fulldisk-'));
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]).status === 0) return mnt;
  rmSync(mnt, { recursive: true, force: true });
  return null;
}
const disk = process.getuid?.() === 0 ? smallDisk() : null;
afterAll(() => {
  if (disk) {
    spawnSync('umount', [disk]);
    rmSync(disk, { recursive: true, force: true });
  }
});

// A full disk can only be made here by mounting a small tmpfs, which needs root: elsewhere this test is skipped.
describe.skipIf(disk === null)('a full disk (a 64 KiB tmpfs; skipped where it cannot be mounted: needs root)', () => {
  it('leaves the old file in place, not a truncated one, and no temporary file behind', () => {
    const path = join(disk!, 'samples.png');
    writeFileSync(path, 'the good old file');
    expect(() => writeFileAtomic(path, new Uint8Array(200 * 1024))).toThrow(/ENOSPC/);
    expect(readFileSync(path, 'utf8')).toBe('the good old file');
    expect(readdirSync(disk!)).toEqual(['samples.png']);
  });
});
