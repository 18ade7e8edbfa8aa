import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { gzipBomb, idxBytes } from './idx-fixture.js';
import { MAX_IDX_BYTES, parseIdx, parseIdxBytes, readIdx } from '../../src/data/idx.js';
import { Rng } from '../../src/random.js';

const dir = mkdtempSync(join(tmpdir(), 'idx-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readIdx', () => {
  it('reads dims and data of a raw file and of the same file gzipped', () => {
    const bytes = idxBytes([2, 3], [1, 2, 3, 4, 5, 255]);
    writeFileSync(join(dir, 'a'), bytes);
    writeFileSync(join(dir, 'a.gz'), gzipSync(bytes));
    for (const name of ['a', 'a.gz']) {
      const { dims, data } = readIdx(join(dir, name));
      expect(dims).toEqual([2, 3]);
      expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 255]);
    }
  });

  it('names the file when it is missing', () => {
    const path = join(dir, 'nope');
    expect(() => readIdx(path)).toThrow(new DataError(`${path}: missing: no such file`));
  });

  it('rejects a wrong magic number with the number it found', () => {
    expect(() => parseIdx(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]), 'f.png'))
      .toThrow(new DataError('f.png: wrong magic number 0x89504e47: not an IDX file (expected 0x0000 then type and rank, e.g. 0x00000803)'));
  });

  it('rejects data types other than unsigned byte', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]), 'f'))
      .toThrow(new DataError('f: unsupported IDX data type float32 (0x0d): expected unsigned byte (0x08)'));
  });

  it('rejects a truncated header and truncated data with the byte counts', () => {
    expect(() => parseIdx(new Uint8Array([0, 0]), 'f')).toThrow(new DataError('f: truncated: 2 bytes, too short for an IDX header (4 bytes)'));
    expect(() => parseIdx(idxBytes([1, 5], [1, 2, 3, 4, 5]).subarray(0, 10), 'f'))
      .toThrow(new DataError('f: truncated: 10 bytes, but a rank-2 IDX header needs 12'));
    expect(() => parseIdx(idxBytes([2, 3], [1, 2, 3, 4]), 'f'))
      .toThrow(new DataError('f: truncated: dims [2, 3] need 6 data bytes but the file has 4'));
  });

  it('rejects dims that do not match the size, including extra bytes and zero dims', () => {
    expect(() => parseIdx(idxBytes([2], [1, 2, 3]), 'f'))
      .toThrow(new DataError('f: wrong dims: dims [2] need 2 data bytes but the file has 3 (1 extra)'));
    expect(() => parseIdx(idxBytes([0], []), 'f')).toThrow(new DataError('f: wrong dims: dimension 0 is 0, expected 1 to 2147483647'));
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 0]), 'f')).toThrow(new DataError('f: wrong dims: rank 0, expected 1 to 8'));
  });

  it('rejects a header claiming huge dims without allocating them', () => {
    const huge = idxBytes([0x7fffffff, 0x7fffffff, 0x7fffffff], [1, 2, 3]);
    expect(() => parseIdx(huge, 'f')).toThrow(/f: truncated: dims \[2147483647, 2147483647, 2147483647\] need 9\.9\d*e\+27 data bytes but the file has 3/);
  });

  it('rejects corrupt gzip data', () => {
    const gz = gzipSync(idxBytes([3], [1, 2, 3]));
    gz[gz.length - 6]! ^= 0xff; // inside the CRC32 trailer
    expect(() => parseIdxBytes(gz, 'f.gz')).toThrow(/^f\.gz: corrupt gzip data \(Z_DATA_ERROR\)$/);
  });

  it('ends every one of 3,000 seeded truncated, bit-flipped and random buffers in a DataError or a valid result', () => {
    const rng = new Rng(8);
    const good = idxBytes([3, 4, 5], Array.from({ length: 60 }, (_, i) => i));
    const goodGz = new Uint8Array(gzipSync(good));
    let valid = 0, errors = 0;
    for (let t = 0; t < 3000; t++) {
      const base = t % 2 === 0 ? good : goodGz;
      let buf: Uint8Array;
      const kind = t % 3;
      if (kind === 0) buf = base.slice(0, rng.int(base.length + 1));
      else if (kind === 1) {
        buf = base.slice();
        const flips = 1 + rng.int(4);
        for (let f = 0; f < flips; f++) buf[rng.int(buf.length)]! ^= 1 << rng.int(8);
      } else {
        buf = new Uint8Array(rng.int(80));
        for (let i = 0; i < buf.length; i++) buf[i] = rng.int(256);
        if (buf.length >= 4 && rng.uniform() < 0.5) buf.set([0, 0, 8, 1 + rng.int(3)]); // get past the magic check
      }
      try {
        const r = parseIdxBytes(buf, 'fuzz');
        expect(r.data.length).toBe(r.dims.reduce((a, b) => a * b, 1));
        valid++;
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
        expect(e.message.startsWith('fuzz: ')).toBe(true);
        errors++;
      }
    }
    expect(valid).toBeGreaterThan(0);
    expect(errors).toBeGreaterThan(2000);
  });
});

describe('readIdx and parseIdxBytes on hostile input (issue 14)', () => {
  it('refuses a 1 MB gzip whose header promises 1 GB of pixels (4 GB as floats) before inflating it', () => {
    const dims = [1275511, 28, 28];
    const bomb = gzipBomb(idxBytes(dims, []), 1275511 * 784);
    expect(bomb.length).toBeLessThan(1.1e6);
    expect(() => parseIdxBytes(bomb, 'f.gz')).toThrow(new DataError(
      `f.gz: too large: dims [1275511, 28, 28] need 1000000624 data bytes, more than the ${MAX_IDX_BYTES} allowed`));
  });

  it('stops inflating a gzip at one byte past what its header promises, however much more it holds', () => {
    const bomb = gzipBomb(idxBytes([10, 28, 28], []), 2 ** 30);
    expect(() => parseIdxBytes(bomb, 'f.gz')).toThrow(new DataError(
      'f.gz: wrong dims: dims [10, 28, 28] need 7840 data bytes but the file decompresses to more'));
  });

  it('reads only regular files: a FIFO, a directory and a symlink to /dev/zero are refused by name', () => {
    const fifo = join(dir, 'fifo-idx');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(() => readIdx(fifo)).toThrow(new DataError(`${fifo}: expected a regular file but found a FIFO`));
    const folder = join(dir, 'folder-idx');
    mkdirSync(folder);
    expect(() => readIdx(folder)).toThrow(new DataError(`${folder}: expected a regular file but found a directory`));
    const zero = join(dir, 'zero-idx');
    symlinkSync('/dev/zero', zero);
    expect(() => readIdx(zero)).toThrow(new DataError(`${zero}: expected a regular file but found a device`));
  });

  it('follows a symlink to a regular file (data folders often link into a shared copy)', () => {
    writeFileSync(join(dir, 'real-idx'), idxBytes([2], [7, 9]));
    symlinkSync(join(dir, 'real-idx'), join(dir, 'link-idx'));
    expect(Array.from(readIdx(join(dir, 'link-idx')).data)).toEqual([7, 9]);
  });

  it('refuses a file larger than MAX_IDX_BYTES by its size, before reading it', () => {
    const path = join(dir, 'sparse-idx');
    writeFileSync(path, '');
    truncateSync(path, MAX_IDX_BYTES + 1); // sparse: no disk used
    expect(() => readIdx(path)).toThrow(new DataError(`${path}: too large: ${MAX_IDX_BYTES + 1} bytes (limit ${MAX_IDX_BYTES})`));
  });
});
