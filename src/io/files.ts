// File writes that never leave a half-written file in place, never follow a symlink out of a run directory, and
// reads of untrusted files that only touch regular files, with a size bound.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, lstatSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { RunDirError } from '../errors.js';

/**
 * Writes `data` to `path` through a temporary file in the same directory, flushed, then renamed over `path`: a
 * reader (or a crash, or a full disk) sees the old file or the new one, never a truncated one. The temporary file
 * is removed when anything fails. A symlink at `path` is replaced, not followed.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw e;
  }
}

/** Appends `text` to `path` (created if missing) without following a symlink at `path`. */
export function appendNoFollow(path: string, text: string): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  try {
    const bytes = Buffer.from(text);
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks that `path` (inside `runDir`) can be written as a file (`kind` 'file') or used as a directory ('dir')
 * without leaving the run directory: no component from `runDir` down is a symlink, and what exists has the right
 * type. Throws RunDirError naming the path.
 */
export function checkRunPath(runDir: string, path: string, kind: 'file' | 'dir'): void {
  const rel = relative(runDir, path);
  if (rel.startsWith('..') || rel === '') throw new RunDirError(`${path}: expected a path inside the run directory ${runDir}`);
  const parts = rel.split(sep);
  let here = runDir;
  for (const [i, part] of parts.entries()) {
    here = join(here, part);
    let st;
    try {
      st = lstatSync(here);
    } catch {
      return; // does not exist yet: it will be created inside the run directory
    }
    const last = i === parts.length - 1;
    if (st.isSymbolicLink()) throw new RunDirError(`${here} is a symlink; a run directory's files must lie inside it (remove the link or use another run directory)`);
    if ((!last || kind === 'dir') && !st.isDirectory()) throw new RunDirError(`${here}: expected a directory but found ${describe(st)}`);
    if (last && kind === 'file' && !st.isFile()) throw new RunDirError(`${here}: expected a regular file but found ${describe(st)}`);
  }
}

function describe(st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isFile(): boolean }): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return st.isFile() ? 'a regular file' : 'a special file';
}

/**
 * Reads an untrusted file: only a regular file (opened without following a final symlink, then checked with fstat:
 * a FIFO or a device is refused before any read), at most `maxBytes`. `onError` builds the error to throw.
 */
export function readRegularFile(path: string, maxBytes: number, onError: (why: string) => Error): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw onError(code === 'ELOOP' ? 'is a symlink' : code === 'ENOENT' ? 'is missing' : `cannot be opened (${code ?? (e as Error).message})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw onError(`expected a regular file but found ${describe(st)}`);
    if (st.size > maxBytes) throw onError(`is ${st.size} bytes, more than the ${maxBytes} allowed`);
    const out = Buffer.alloc(st.size);
    let offset = 0;
    while (offset < st.size) {
      const n = readSync(fd, out, offset, st.size - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    return offset === st.size ? out : out.subarray(0, offset);
  } finally {
    closeSync(fd);
  }
}
