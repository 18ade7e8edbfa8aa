// The run lock on a disk that cannot take it (issue 14): a full disk and a read-only one give one CheckpointError
// line, and the lock's private temporary file never stays behind. Real small disks are tmpfs mounts, which need root:
// elsewhere these tests are skipped.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointError } from '../../src/errors.js';
import { acquireRunLock } from '../../src/checkpoint/run_lock.js';
import { errorLines, ganBatch } from '../cli/gan_batch.js';

const mounts: string[] = [];
/** A fresh 64 KiB tmpfs; null where mounting is not allowed (not root, or no CAP_SYS_ADMIN). */
function smallDisk(): string | null {
  if (process.getuid?.() !== 0) return null;
  const mnt = mkdtempSync(join(tmpdir(), 'gan-lockdisk-'));
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]).status === 0) {
    mounts.push(mnt);
    return mnt;
  }
  rmSync(mnt, { recursive: true, force: true });
  return null;
}
afterAll(() => {
  for (const mnt of mounts) {
    spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  }
});

/** Fills a disk: writes until the write fails with ENOSPC. */
function fill(mnt: string): void {
  expect(() => writeFileSync(join(mnt, 'filler'), new Uint8Array(1 << 20))).toThrow(/ENOSPC/);
}

const canMount = smallDisk() !== null;

describe.skipIf(!canMount)('acquireRunLock on a disk that cannot take it (tmpfs mounts; skipped where they cannot be made)', () => {
  it('says a full disk cannot take the lock and leaves no temporary lock file', () => {
    const mnt = smallDisk()!;
    const run = join(mnt, 'run');
    mkdirSync(run);
    fill(mnt);
    expect(() => acquireRunLock(run)).toThrow(new CheckpointError(`cannot create the lock ${join(run, 'run.lock')} (ENOSPC: no space left on device)`));
    expect(readdirSync(run)).toEqual([]);
  });

  it('says a read-only disk cannot take the lock', () => {
    const mnt = smallDisk()!;
    const run = join(mnt, 'run');
    mkdirSync(run);
    expect(spawnSync('mount', ['-o', 'remount,ro', mnt]).status).toBe(0);
    expect(() => acquireRunLock(run)).toThrow(new CheckpointError(`cannot create the lock ${join(run, 'run.lock')} (EROFS: read-only file system)`));
    expect(readdirSync(run)).toEqual([]);
  });

  it('gives gan train on a full disk one line and exit code 1, and leaves no temporary lock file', async () => {
    const mnt = smallDisk()!;
    const run = join(mnt, 'run');
    mkdirSync(run);
    fill(mnt);
    const [r] = await ganBatch([['train', '--preset', 'ring-8-gan', '--run-dir', run, '--steps', '1']], 30_000);
    expect(r!.stderr).not.toMatch(/^\s+at /m);
    expect(errorLines(r!.stderr).at(-1)).toBe(`gan train: cannot create the lock ${join(run, 'run.lock')} (ENOSPC: no space left on device)`);
    expect(r!.code).toBe(1);
    expect(readdirSync(run)).toEqual([]);
  });
});
