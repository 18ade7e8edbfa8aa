// File writes that never leave a half-written file in place, never follow a symlink out of a run directory, and
// reads of untrusted files that only touch regular files, with a size bound.
import { randomBytes } from 'node:crypto';
import {
  closeSync, constants, fstatSync, fsyncSync, lstatSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync, type Stats,
} from 'node:fs';
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
    if ((!last || kind === 'dir') && !st.isDirectory()) throw new RunDirError(`${here}: expected a directory but found ${describeKind(st)}`);
    if (last && kind === 'file' && !st.isFile()) throw new RunDirError(`${here}: expected a regular file but found ${describeKind(st)}`);
  }
}

/** What a non-regular file is, in words: "a FIFO", "a directory", ... */
export function describeKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symlink';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return st.isFile() ? 'a regular file' : 'a special file';
}

/** Why readRegularFile refused a file, for callers that word their own message. */
export type ReadFailure = 'missing' | 'symlink' | 'not-regular' | 'size' | 'unopenable';

export interface ReadRegularFileOptions {
  /**
   * Follow a symlink at `path` (data files are often links into a shared folder); its target must still be a
   * regular file. Default false: a symlink is refused.
   */
  followSymlinks?: boolean;
  /** Checks the size before anything is read or allocated: returns why it is wrong (e.g. 'is truncated ...'), or null. */
  checkSize?: (size: number) => string | null;
}

/**
 * Reads an untrusted file: only a regular file (a FIFO, a device or a directory is refused from its lstat, before it
 * is opened; the open does not follow a final symlink and does not block, and fstat confirms what was opened), at
 * most `maxBytes`. `onError` builds the error to throw from why (e.g. 'is a symlink') and its kind.
 */
export function readRegularFile(
  path: string,
  maxBytes: number,
  onError: (why: string, kind: ReadFailure) => Error,
  options: ReadRegularFileOptions = {},
): Buffer {
  const follow = options.followSymlinks ?? false;
  const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  let st;
  try {
    st = follow ? statSync(path) : lstatSync(path);
  } catch (e) {
    throw code(e) === 'ENOENT' ? onError('is missing', 'missing') : onError(`cannot be opened (${code(e)})`, 'unopenable');
  }
  if (st.isSymbolicLink()) throw onError('is a symlink', 'symlink');
  if (!st.isFile()) throw onError(`expected a regular file but found ${describeKind(st)}`, 'not-regular');
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (follow ? 0 : constants.O_NOFOLLOW));
  } catch (e) {
    const c = code(e);
    throw c === 'ELOOP' ? onError('is a symlink', 'symlink') : c === 'ENOENT' ? onError('is missing', 'missing') : onError(`cannot be opened (${c})`, 'unopenable');
  }
  try {
    // Checked again on what was opened: the path may have been replaced since the lstat.
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw onError(`expected a regular file but found ${describeKind(opened)}`, 'not-regular');
    const wrong = options.checkSize?.(opened.size) ?? null;
    if (wrong !== null) throw onError(wrong, 'size');
    if (opened.size > maxBytes) throw onError(`is ${opened.size} bytes, more than the ${maxBytes} allowed`, 'size');
    const out = Buffer.alloc(opened.size);
    let offset = 0;
    while (offset < opened.size) {
      const n = readSync(fd, out, offset, opened.size - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    return offset === opened.size ? out : out.subarray(0, offset);
  } finally {
    closeSync(fd);
  }
}

/** `name` and a readRegularFile reason as one phrase: 'manifest.json is a symlink', 'x: expected a regular file ...'. */
export function readFailureText(name: string, why: string): string {
  return why.startsWith('expected') ? `${name}: ${why}` : `${name} ${why}`;
}
