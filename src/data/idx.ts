// Reader for the IDX format of LeCun's MNIST files (raw or gzip), strict about every byte it is given.
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../errors.js';

/** A parsed IDX file of unsigned bytes: `data` holds prod(dims) values in row-major order. */
export interface IdxData {
  dims: number[];
  data: Uint8Array;
}

/** Largest decompressed or raw IDX payload accepted (MNIST's biggest file is 47 MB). Guards against zip bombs. */
export const MAX_IDX_BYTES = 1 << 30;
const MAX_DIMS = 8;
const UNSIGNED_BYTE = 0x08;
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64',
};

function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/**
 * Parses IDX bytes (already decompressed). `name` is used in error messages (a file path).
 * Only the unsigned-byte type (0x08, what MNIST and Fashion-MNIST use) is supported.
 * Never allocates more than the input: dims are checked against the actual byte count first.
 */
export function parseIdx(bytes: Uint8Array, name: string): IdxData {
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
  let expected = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    if (d === 0 || d > 0x7fffffff) throw new DataError(`${name}: wrong dims: dimension ${i} is ${d}, expected 1 to ${0x7fffffff}`);
    dims.push(d);
    expected *= d; // a float; may exceed 2^53 for absurd headers, which the comparison below still rejects
  }
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
 * Throws DataError naming the file when it is missing, not IDX, truncated, or its dims do not match its size.
 */
export function readIdx(path: string): IdxData {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new DataError(`${path}: not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${path}: missing: no such file`);
  }
  if (size > MAX_IDX_BYTES) throw new DataError(`${path}: too large: ${size} bytes (limit ${MAX_IDX_BYTES})`);
  const raw = new Uint8Array(readFileSync(path));
  return parseIdxBytes(raw, path);
}

/** Parses raw-or-gzip IDX bytes; the gzip path is bounded by MAX_IDX_BYTES of output. */
export function parseIdxBytes(raw: Uint8Array, name: string): IdxData {
  if (!isGzip(raw)) return parseIdx(raw, name);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(gunzipSync(raw, { maxOutputLength: MAX_IDX_BYTES }));
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|too large/i.test(String((e as Error).message))) {
      throw new DataError(`${name}: too large: decompresses to more than ${MAX_IDX_BYTES} bytes`);
    }
    throw new DataError(`${name}: corrupt gzip data (${code ?? (e as Error).message})`);
  }
  return parseIdx(bytes, name);
}
