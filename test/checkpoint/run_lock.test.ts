import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointError } from '../../src/errors.js';
import { acquireRunLock, LOCK_FILE, processStartTime, type LockInfo } from '../../src/checkpoint/run_lock.js';

const root = mkdtempSync(join(tmpdir(), 'ckpt-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `run${n++}`);
const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

function writeLock(dir: string, info: Partial<LockInfo>): void {
  mkdirSync(dir, { recursive: true });
  const full: LockInfo = {
    pid: process.pid, boot: bootId(), startTime: processStartTime(process.pid), hostname: hostname(),
    createdAt: '2026-01-01T00:00:00.000Z', nonce: 'feedfeedfeedfeed', ...info,
  };
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify(full));
}

describe('acquireRunLock', () => {
  it('refuses a second holder in the same process, naming the pid, and is free again after release', () => {
    const dir = freshDir();
    const release = acquireRunLock(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    expect(release.tookOver).toBeNull();
    expect(() => acquireRunLock(dir)).toThrow(CheckpointError);
    expect(() => acquireRunLock(dir)).toThrow(new RegExp(`^run directory ${dir} is in use by process ${process.pid} \\(this process\\) since \\S+ \\(lock file ${join(dir, LOCK_FILE)}\\); stop it or choose another run directory$`));
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    release(); // idempotent
    acquireRunLock(dir)();
  });

  it('refuses while another live process holds the lock and takes it over once that process is killed', async () => {
    const dir = freshDir();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./lock_child.ts', import.meta.url)), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      child.on('exit', (code) => reject(new Error(`lock child exited early (${code})`)));
    });
    expect(() => acquireRunLock(dir)).toThrow(`run directory ${dir} is in use by process ${child.pid} since`);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const release = acquireRunLock(dir);
    expect(release.tookOver).toBe(`process ${child.pid} is no longer running`);
    release();
  });

  it('takes over a lock whose process has exited', () => {
    const dir = freshDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    writeLock(dir, { pid, startTime: null });
    const release = acquireRunLock(dir);
    expect(release.tookOver).toBe(`process ${pid} is no longer running`);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('takes over a lock from before a reboot even if its pid now runs', () => {
    const dir = freshDir();
    writeLock(dir, { boot: 'a-previous-boot' });
    const release = acquireRunLock(dir);
    expect(release.tookOver).toBe(`process ${process.pid} held it before a reboot`);
    release();
  });

  it('takes over a lock whose pid was reused by another process', () => {
    const dir = freshDir();
    writeLock(dir, { startTime: '1' });
    expect(acquireRunLock(dir).tookOver).toBe(`process ${process.pid} is no longer running (its pid was reused)`);
  });

  it('takes over an unreadable lock file', () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, LOCK_FILE), '{"pid": 12');
    expect(acquireRunLock(dir).tookOver).toBe('the lock file is unreadable');
  });

  it('respects a lock taken on another host (a shared disk), naming the host', () => {
    const dir = freshDir();
    writeLock(dir, { hostname: 'elsewhere', pid: 4242 });
    expect(() => acquireRunLock(dir)).toThrow(`run directory ${dir} is in use by process 4242 on host elsewhere since 2026-01-01T00:00:00.000Z`);
  });

  it('does not remove a lock it no longer holds', () => {
    const dir = freshDir();
    const release = acquireRunLock(dir);
    writeLock(dir, { nonce: 'someone-else' });
    release();
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).nonce).toBe('someone-else');
  });
});
