// Reader for the IDX format of LeCun's MNIST files (raw or gzip), strict about every byte it is given.
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { DataError } from '../errors.js';
import { readRegularFile } from '../io/files.js';

/** A parsed IDX file of unsigned bytes: `data` holds prod(dims) values in row-major order. */
export interface IdxData {
  dims: number[];
  data: Uint8Array;
}

/**
 * Largest decompressed or raw IDX file accepted (MNIST's biggest is 47 MB; EMNIST digits' 188 MB). Guards against zip
 * bombs, and bounds the float32 copy loadMnist makes of the pixels at 4x this.
 */
export const MAX_IDX_BYTES = 1 << 28;
const MAX_DIMS = 8;
const UNSIGNED_BYTE = 0x08;
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64',
};

function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** What an IDX header says: the dims, the header's length and how many data bytes must follow. */
interface IdxHeader {
  dims: number[];
  headerBytes: number;
  /** prod(dims): a float, which may exceed 2^53 for absurd headers (comparisons with real sizes still reject them). */
  dataBytes: number;
}

/** Reads and checks the header at the start of `bytes` (magic, type, rank, dims). */
function parseIdxHeader(bytes: Uint8Array, name: string): IdxHeader {
  if (bytes.length < 4) throw new DataError(`${name}: truncated: ${bytes.length} bytes, too short for an IDX header (4 bytes)`);
  const b0 = bytes[0]!, b1 = bytes[1]!, type = bytes[2]!, rank = bytes[3]!;
  if (b0 !== 0 || b1 !== 0) {
    const magic = ((b0 << 24) | (b1 << 16) | (type << 8) | rank) >>> 0;
    throw new DataError(`${name}: wrong magic number 0x${magic.toString(16).padStart(8, '0')}: not an IDX file (expected 0x0000 then type and rank, e.g. 0x00000803)`);
  }
  if (type !== UNSIGNED_BYTE) {
    const what = TYPE_NAMES[type] ? `${TYPE_NAMES[type]} (${hex(type)})` : `unknown type ${hex(type)}`;
    throw new DataError(`${name}: unsupported IDX data type ${what}: expected unsigned byte (0x08)`);
  }
  if (rank < 1 || rank > MAX_DIMS) throw new DataError(`${name}: wrong dims: rank ${rank}, expected 1 to ${MAX_DIMS}`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new DataError(`${name}: truncated: ${bytes.length} bytes, but a rank-${rank} IDX header needs ${headerBytes}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let dataBytes = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    if (d === 0 || d > 0x7fffffff) throw new DataError(`${name}: wrong dims: dimension ${i} is ${d}, expected 1 to ${0x7fffffff}`);
    dims.push(d);
    dataBytes *= d;
  }
  return { dims, headerBytes, dataBytes };
}

/**
 * Parses IDX bytes (already decompressed). `name` is used in error messages (a file path).
 * Only the unsigned-byte type (0x08, what MNIST and Fashion-MNIST use) is supported.
 * Never allocates more than the input: dims are checked against the actual byte count first.
 */
export function parseIdx(bytes: Uint8Array, name: string): IdxData {
  const { dims, headerBytes, dataBytes: expected } = parseIdxHeader(bytes, name);
  const actual = bytes.length - headerBytes;
  if (actual < expected) {
    throw new DataError(`${name}: truncated: dims [${dims.join(', ')}] need ${expected} data bytes but the file has ${actual}`);
  }
  if (actual > expected) {
    throw new DataError(`${name}: wrong dims: dims [${dims.join(', ')}] need ${expected} data bytes but the file has ${actual} (${actual - expected} extra)`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** True when the bytes start with the gzip magic number 1f 8b. */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads an IDX file, raw or gzip-compressed (detected by its magic bytes, whatever the extension).
 * Throws DataError naming the file when it is missing, not a regular file (a FIFO or a device is never read), not
 * IDX, truncated, too large, or its dims do not match its size. A symlink to a regular file is followed.
 */
export function readIdx(path: string): IdxData {
  const raw = readRegularFile(path, MAX_IDX_BYTES, (why, kind) => new DataError(kind === 'missing' ? `${path}: missing: no such file` : `${path}: ${why}`), {
    followSymlinks: true,
    checkSize: (size) => (size > MAX_IDX_BYTES ? `too large: ${size} bytes (limit ${MAX_IDX_BYTES})` : null),
  });
  return parseIdxBytes(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), path);
}

/** The first bytes gzip data inflates to, from at most 4 KiB of it (at most ~4 MB out); empty when unreadable. */
function inflatedStart(raw: Uint8Array): Uint8Array {
  try {
    return gunzipSync(raw.subarray(0, 4096), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return new Uint8Array(0); // corrupt or an unusual gzip header: the full inflation below says what is wrong
  }
}

/**
 * Parses raw-or-gzip IDX bytes. Gzip output is bounded before inflating: by the size the IDX header (read from the
 * first inflated bytes) promises, refused past MAX_IDX_BYTES, else by MAX_IDX_BYTES. A small file that inflates to
 * gigabytes (a zip bomb) is refused without holding more than that in memory.
 */
export function parseIdxBytes(raw: Uint8Array, name: string): IdxData {
  if (!isGzip(raw)) return parseIdx(raw, name);
  let limit = MAX_IDX_BYTES;
  let header: IdxHeader | null = null;
  const start = inflatedStart(raw);
  if (start.length >= 4 + 4 * MAX_DIMS || (start.length >= 4 && start.length >= 4 + 4 * start[3]!)) {
    header = parseIdxHeader(start, name);
    const total = header.headerBytes + header.dataBytes;
    if (total > MAX_IDX_BYTES) {
      throw new DataError(`${name}: too large: dims [${header.dims.join(', ')}] need ${header.dataBytes} data bytes, more than the ${MAX_IDX_BYTES} allowed`);
    }
    limit = total + 1; // one byte more shows there is extra data
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(gunzipSync(raw, { maxOutputLength: limit }));
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|too large/i.test(String((e as Error).message))) {
      if (header) throw new DataError(`${name}: wrong dims: dims [${header.dims.join(', ')}] need ${header.dataBytes} data bytes but the file decompresses to more`);
      throw new DataError(`${name}: too large: decompresses to more than ${MAX_IDX_BYTES} bytes`);
    }
    throw new DataError(`${name}: corrupt gzip data (${code ?? (e as Error).message})`);
  }
  return parseIdx(bytes, name);
}
