// Test fixture: builds unsigned-byte IDX files in memory.
import { gzipSync } from 'node:zlib';

/** IDX bytes (type 0x08) with big-endian `dims` and the given data. */
export function idxBytes(dims: number[], data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out.set([0, 0, 8, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/**
 * A gzip bomb: `header` followed by `dataBytes` zero bytes, as concatenated gzip members (each member 16 MiB of
 * zeros compresses to ~16 KB), so 1 GB of output takes ~1 MB of file and ~50 ms to build.
 */
export function gzipBomb(header: Uint8Array, dataBytes: number): Uint8Array {
  const chunk = 1 << 24;
  const full = gzipSync(new Uint8Array(chunk));
  const parts: Uint8Array[] = [gzipSync(header)];
  for (let left = dataBytes; left > 0; left -= chunk) parts.push(left >= chunk ? full : gzipSync(new Uint8Array(left)));
  return Buffer.concat(parts);
}
