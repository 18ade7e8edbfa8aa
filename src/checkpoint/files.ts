// Atomic, checksummed checkpoint directories: write to a temporary sibling, fsync, rename; verify on read.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { CheckpointError } from '../errors.js';
import { describeKind, readFailureText, readRegularFile } from '../io/files.js';

/** Version of the checkpoint layout this toolkit writes and the newest it reads. */
export const CHECKPOINT_FORMAT_VERSION = 1;
/** The file whose presence (and self-checksum) marks a checkpoint as complete. */
export const MANIFEST = 'manifest.json';
const FORMAT_NAME = 'tfjs-gan-checkpoint';
/** A manifest larger than this is not ours (guards against reading a huge random file). */
const MAX_MANIFEST_BYTES = 1 << 20;
/** Largest state.json or model.json read (a DCGAN's model.json is ~20 KB): bounds what a crafted manifest can ask for. */
const MAX_JSON_FILE_BYTES = 64 << 20;
/** Largest weights.bin or optimizers.bin read (a 4096-wide DCGAN's weights are ~0.5 GB). */
const MAX_BINARY_FILE_BYTES = 2 ** 31 - 1;
const CHUNK = 1 << 20;

/** One file of a checkpoint, as recorded in the manifest. */
export interface ManifestEntry {
  path: string;
  bytes: number;
  sha256: string;
}

/** manifest.json: what the checkpoint holds, with a checksum of each file and of the manifest itself. */
export interface Manifest {
  format: typeof FORMAT_NAME;
  formatVersion: number;
  toolkitVersion: string;
  step: number;
  createdAt: string;
  files: ManifestEntry[];
}

/** Test hook: make the writer fail with ENOSPC after `afterBytes` bytes of `file` (simulates a full disk). */
export interface WriteFault {
  file: string;
  afterBytes: number;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function manifestText(manifest: Manifest): string {
  const body = JSON.stringify(manifest);
  return `${JSON.stringify({ ...manifest, manifestSha256: sha256(body) }, null, 1)}\n`;
}

function writeDurably(path: string, bytes: Uint8Array, fault: WriteFault | undefined, relPath: string): void {
  const fd = openSync(path, 'wx');
  try {
    let written = 0;
    while (written < bytes.byteLength) {
      const end = Math.min(written + CHUNK, bytes.byteLength);
      if (fault && fault.file === relPath && end > fault.afterBytes) {
        if (fault.afterBytes > written) writeSync(fd, bytes, written, fault.afterBytes - written);
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${relPath}'`), { code: 'ENOSPC' });
      }
      written += writeSync(fd, bytes, written, end - written);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Removes a directory by first renaming it to a hidden name, so a half-deleted directory never looks complete. */
export function removeDir(dir: string): void {
  if (!existsSync(dir)) return;
  const trash = join(dirname(dir), `.trash-${process.pid}-${randomBytes(4).toString('hex')}`);
  renameSync(dir, trash);
  rmSync(trash, { recursive: true, force: true });
}

/** Removes `.tmp-*` and `.trash-*` leftovers of writers that died (other pids that no longer run, or this one). */
export function removeLeftovers(parent: string): void {
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent)) {
    const m = /^\.(tmp|trash|old)-(?:(.*)-)?(\d+)-[0-9a-f]{8}$/.exec(name);
    if (!m) continue;
    const pid = Number(m[3]);
    if (pid !== process.pid && processAlive(pid)) continue;
    // A replaced checkpoint whose replacement never arrived goes back to its place.
    if (m[1] === 'old' && m[2] && !existsSync(join(parent, m[2]))) renameSync(join(parent, name), join(parent, m[2]));
    else rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** `.old-step-N-...` directories (see writeCheckpointDir) whose `step-N` is missing: complete checkpoints to offer. */
export function orphanedOldCheckpoints(parent: string): { name: string; dir: string }[] {
  if (!existsSync(parent)) return [];
  return readdirSync(parent)
    .map((entry) => ({ entry, m: /^\.old-(step-\d+)-\d+-[0-9a-f]{8}$/.exec(entry) }))
    .filter((e) => e.m !== null && !existsSync(join(parent, e.m[1]!)))
    .map((e) => ({ name: e.m![1]!, dir: join(parent, e.entry) }));
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes `files` (relative paths -> bytes) plus a manifest as `parent/name`, atomically: everything goes into a
 * temporary sibling directory, each file and directory is fsynced, then one rename publishes it. A crash at any
 * point leaves either no `name` or a complete one. A failure removes the temporary directory and rethrows.
 */
export function writeCheckpointDir(
  parent: string,
  name: string,
  files: Map<string, Uint8Array>,
  meta: { step: number; toolkitVersion: string },
  fault?: WriteFault,
): void {
  if (!existsSync(parent)) {
    mkdirSync(parent, { recursive: true });
    fsyncDir(dirname(parent)); // the new checkpoints/ entry itself must survive a crash
  }
  const tmp = join(parent, `.tmp-${name}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const final = join(parent, name);
  let old: string | null = null;
  try {
    mkdirSync(tmp);
    const subdirs = new Set<string>();
    const entries: ManifestEntry[] = [];
    for (const [relPath, bytes] of files) {
      const sub = dirname(relPath);
      if (sub !== '.' && !subdirs.has(sub)) {
        mkdirSync(join(tmp, sub), { recursive: true });
        subdirs.add(sub);
      }
      writeDurably(join(tmp, relPath), bytes, fault, relPath);
      entries.push({ path: relPath, bytes: bytes.byteLength, sha256: sha256(bytes) });
    }
    const manifest: Manifest = {
      format: FORMAT_NAME, formatVersion: CHECKPOINT_FORMAT_VERSION, toolkitVersion: meta.toolkitVersion,
      step: meta.step, createdAt: new Date().toISOString(), files: entries,
    };
    writeDurably(join(tmp, MANIFEST), new TextEncoder().encode(manifestText(manifest)), fault, MANIFEST);
    for (const sub of subdirs) fsyncDir(join(tmp, sub));
    fsyncDir(tmp);
    // Replacing a checkpoint of the same step: the old one is moved aside (not deleted) until the new one is in
    // place, so a crash between the two renames leaves it as `.old-step-...`, which listCheckpoints still offers.
    old = existsSync(final) ? join(parent, `.old-${name}-${process.pid}-${randomBytes(4).toString('hex')}`) : null;
    if (old) renameSync(final, old);
    renameSync(tmp, final);
    fsyncDir(parent);
    if (old) rmSync(old, { recursive: true, force: true });
  } catch (e) {
    if (old && existsSync(old) && !existsSync(final)) renameSync(old, final);
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** A checkpoint directory whose manifest and files all check out, with the files' bytes. */
export interface VerifiedCheckpoint {
  dir: string;
  manifest: Manifest;
  files: Map<string, Uint8Array>;
}

function readManifest(dir: string): Manifest {
  const fail = (what: string) => new CheckpointError(`checkpoint ${dir}: ${what}`);
  const bytes = readRegularFile(join(dir, MANIFEST), MAX_MANIFEST_BYTES, (why, kind) => fail(kind === 'missing'
    ? `${MANIFEST} is missing (the checkpoint was not completely written)` : readFailureText(MANIFEST, why)), {
    checkSize: (size) => (size > MAX_MANIFEST_BYTES ? `is ${size} bytes, too large to be a manifest` : null),
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw fail(`${MANIFEST} is not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw fail(`${MANIFEST} is not a JSON object`);
  const { manifestSha256, ...body } = parsed as Record<string, unknown>;
  if (body.format !== FORMAT_NAME) throw fail(`${MANIFEST} is not a tfjs-gan checkpoint manifest (format is ${JSON.stringify(body.format)})`);
  // The self-checksum rule (sha256 of the compact JSON of every other key) is part of every format version, so a
  // flipped bit in formatVersion reads as corruption, not as a newer version.
  if (manifestSha256 !== sha256(JSON.stringify(body))) throw fail(`${MANIFEST} is corrupt (its own checksum does not match)`);
  const version = body.formatVersion;
  if (typeof version === 'number' && Number.isInteger(version) && version > CHECKPOINT_FORMAT_VERSION) {
    throw fail(`written with checkpoint format version ${version} (tfjs-gan ${String(body.toolkitVersion)}), newer than this toolkit reads (version ${CHECKPOINT_FORMAT_VERSION}); upgrade tfjs-gan to load it`);
  }
  if (version !== CHECKPOINT_FORMAT_VERSION) throw fail(`${MANIFEST} has an invalid formatVersion ${JSON.stringify(version)}`);
  const files = body.files;
  const ok = typeof body.step === 'number' && Number.isSafeInteger(body.step) && body.step >= 0 && typeof body.toolkitVersion === 'string'
    && typeof body.createdAt === 'string' && Array.isArray(files) && files.every((f: unknown) => {
      const e = f as Partial<ManifestEntry>;
      return typeof e?.path === 'string' && typeof e.sha256 === 'string' && typeof e.bytes === 'number' && Number.isSafeInteger(e.bytes) && e.bytes >= 0;
    });
  if (!ok) throw fail(`${MANIFEST} lacks step, toolkitVersion, createdAt or a valid files list`);
  return body as unknown as Manifest;
}

/**
 * Reads a checkpoint directory and checks it completely: manifest present, parseable, its own checksum right, a
 * format version this toolkit reads; every listed file among `allowed`, present, of the recorded size and sha256;
 * every `required` file listed. Throws CheckpointError naming the file and the problem.
 */
export function verifyCheckpointDir(dir: string, allowed: ReadonlySet<string>, required: readonly string[]): VerifiedCheckpoint {
  const fail = (what: string) => new CheckpointError(`checkpoint ${dir}: ${what}`);
  let st;
  try {
    st = statSync(dir);
  } catch {
    st = null; // missing: readManifest says so
  }
  if (st && !st.isDirectory()) throw fail(`expected a directory but found ${describeKind(st)}`);
  const manifest = readManifest(dir);
  const files = new Map<string, Uint8Array>();
  for (const entry of manifest.files) {
    if (!allowed.has(entry.path)) throw fail(`${MANIFEST} lists an unexpected file ${JSON.stringify(entry.path)}`);
    if (files.has(entry.path)) throw fail(`${MANIFEST} lists ${entry.path} twice`);
    const limit = entry.path.endsWith('.json') ? MAX_JSON_FILE_BYTES : MAX_BINARY_FILE_BYTES;
    if (entry.bytes > limit) throw fail(`${MANIFEST} lists ${entry.path} with ${entry.bytes} bytes, more than the ${limit} a checkpoint file may have`);
    // Only the size the manifest records is ever read (a FIFO, a device or a symlink is refused before any read).
    const bytes = readRegularFile(join(dir, entry.path), limit, (why) => fail(readFailureText(`file ${entry.path}`, why)), {
      checkSize: (size) => size < entry.bytes ? `is truncated (expected ${entry.bytes} bytes, found ${size})`
        : size > entry.bytes ? `has the wrong size (expected ${entry.bytes} bytes, found ${size})` : null,
    });
    const digest = sha256(bytes);
    if (digest !== entry.sha256) throw fail(`file ${entry.path} is corrupt (sha256 ${digest.slice(0, 12)}... does not match the manifest's ${entry.sha256.slice(0, 12)}...)`);
    files.set(entry.path, bytes);
  }
  for (const path of required) if (!files.has(path)) throw fail(`${MANIFEST} does not list the required file ${path}`);
  return { dir, manifest, files };
}
