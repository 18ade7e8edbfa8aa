// A lock file per run directory so two processes never train into it at once; stale locks (dead pid, reboot) are taken over.
import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, RunDirError } from '../errors.js';
import { describeKind, readRegularFile } from '../io/files.js';
import { processAlive } from './files.js';

/** File name of the lock inside a run directory. */
export const LOCK_FILE = 'run.lock';

/** What the lock file records about its holder. */
export interface LockInfo {
  pid: number;
  /** Linux boot_id (or boot time in minutes elsewhere): a lock from before a reboot is stale. */
  boot: string;
  /** Process start time in clock ticks since boot (/proc/<pid>/stat field 22): guards against pid reuse. */
  startTime: string | null;
  hostname: string;
  createdAt: string;
  nonce: string;
}

/** Calling it releases the lock; `tookOver` says whose stale lock was replaced, if any. */
export type RunLockRelease = (() => void) & { path: string; tookOver: string | null };

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return `boot-minute-${Math.round((Date.now() / 1000 - uptime()) / 60)}`;
  }
}

/** Start time of a process from /proc (null where /proc is absent or the process is gone). */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Largest lock file read (ours are ~200 bytes). */
const MAX_LOCK_BYTES = 1 << 16;

function readLock(path: string): LockInfo | null {
  try {
    // Never blocks or grows without bound: a FIFO, a device or a symlink at the lock's path reads as unreadable.
    const x = JSON.parse(readRegularFile(path, MAX_LOCK_BYTES, (why) => new Error(why)).toString('utf8')) as Partial<LockInfo>;
    if (typeof x.pid === 'number' && typeof x.boot === 'string' && typeof x.nonce === 'string') return x as LockInfo;
  } catch {
    // unreadable or not JSON: treated as stale below
  }
  return null;
}

/** Why a lock is stale, or null when its holder is alive. */
export function staleReason(info: LockInfo | null): string | null {
  if (!info) return 'the lock file is unreadable';
  if (info.hostname !== hostname()) return null; // another machine on a shared disk: cannot tell, so respect it
  if (info.boot !== bootId()) return `process ${info.pid} held it before a reboot`;
  if (!processAlive(info.pid)) return `process ${info.pid} is no longer running`;
  const start = processStartTime(info.pid);
  if (info.startTime !== null && start !== null && start !== info.startTime) return `process ${info.pid} is no longer running (its pid was reused)`;
  return null;
}

/**
 * The lock of a run directory as `gan verify` shows it: null when there is none; `invalid` says why the path holds
 * no lock file at all (a directory, a FIFO, a symlink: the next run refuses it rather than taking it over).
 */
export function inspectRunLock(runDir: string): { holder: LockInfo | null; stale: string | null; invalid: string | null } | null {
  const path = join(runDir, LOCK_FILE);
  const st = lstatOrNull(path);
  if (!st) return null;
  if (!st.isFile()) return { holder: null, stale: null, invalid: `expected a lock file but found ${describeKind(st)}` };
  const holder = readLock(path);
  return { holder, stale: staleReason(holder), invalid: null };
}

/**
 * Takes the lock of a run directory (creating the directory). Throws CheckpointError naming the pid when another
 * live process holds it; a stale lock (its process died, or the machine rebooted since) is taken over. The lock
 * is released by calling the returned function, or when the process exits.
 */
export function acquireRunLock(runDir: string): RunLockRelease {
  const path = join(runDir, LOCK_FILE);
  // 'ENOSPC: no space left on device', without Node's ', write ...' tail (it names our private temporary file).
  const why = (e: unknown) => {
    const error = e as NodeJS.ErrnoException;
    return (error.syscall ? error.message.split(`, ${error.syscall}`)[0] : error.message.split('\n')[0]) ?? String(e);
  };
  try {
    mkdirSync(runDir, { recursive: true });
  } catch (e) {
    throw new CheckpointError(`cannot create the run directory ${runDir} (${why(e)})`);
  }
  const me: LockInfo = {
    pid: process.pid, boot: bootId(), startTime: processStartTime(process.pid), hostname: hostname(),
    createdAt: new Date().toISOString(), nonce: randomBytes(8).toString('hex'),
  };
  let tookOver: string | null = null;
  for (let attempt = 0; attempt < 10; attempt++) {
    // Written in full under a private name, then hard-linked: the lock file appears atomically and complete. The
    // private file goes whatever happens (a full disk fails the write after creating it).
    const tmp = `${path}.${me.pid}.${me.nonce}`;
    try {
      writeFileSync(tmp, `${JSON.stringify(me)}\n`);
      linkSync(tmp, path);
      return holding(path, me, tookOver);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new CheckpointError(`cannot create the lock ${path} (${why(e)})`);
    } finally {
      try {
        unlinkSync(tmp);
      } catch {
        // never created
      }
    }
    // Only a regular file can be a lock: anything else (a directory, a FIFO, a symlink) is refused, not moved aside.
    const st = lstatOrNull(path);
    if (st && !st.isFile()) throw new RunDirError(`${path}: expected a lock file but found ${describeKind(st)}; remove it or choose another run directory`);
    const holder = readLock(path);
    const reason = staleReason(holder);
    if (reason === null && holder) {
      const self = holder.hostname !== hostname() ? ` on host ${holder.hostname}` : holder.pid === process.pid ? ' (this process)' : '';
      throw new CheckpointError(`run directory ${runDir} is in use by process ${holder.pid}${self} since ${holder.createdAt} (lock file ${path}); stop it or choose another run directory`);
    }
    // Move the stale lock aside, then check it is the one judged stale (another process may have replaced it).
    const aside = `${path}.stale-${me.pid}-${me.nonce}`;
    try {
      renameSync(path, aside);
    } catch {
      continue; // someone else removed it first: try again
    }
    const moved = readLock(aside);
    if (holder && moved?.nonce !== holder.nonce) {
      try {
        linkSync(aside, path); // put back a live lock taken by mistake
      } catch {
        // a third process already holds a new lock; ours is gone either way
      }
    } else {
      tookOver = reason;
    }
    try {
      unlinkSync(aside);
    } catch (e) {
      throw new CheckpointError(`cannot remove the stale lock ${aside} (${why(e)})`);
    }
  }
  throw new CheckpointError(`cannot take the lock ${path}: other processes keep taking it`);
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function holding(path: string, me: LockInfo, tookOver: string | null): RunLockRelease {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (readLock(path)?.nonce === me.nonce) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', release);
  return Object.assign(release, { path, tookOver });
}
