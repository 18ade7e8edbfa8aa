// Reading a JSON-lines file that another process appends to: each read returns the complete lines added since the
// last one. A torn last line waits for its newline; a file that shrank (rewritten) is read again from the start.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** New lines of a JSON-lines file since the previous read; `reset` when the file was rewritten (lines = all of it). */
export interface TailRead {
  lines: object[];
  reset: boolean;
}

/** Follows one JSON-lines file by byte offset. Only a regular file is read (a symlink or a FIFO reads as missing). */
export class JsonLinesTail {
  private offset = 0;
  private partial: Buffer = Buffer.alloc(0);

  constructor(private readonly path: string, private readonly maxBytes = 64 * 2 ** 20) {}

  read(): TailRead {
    const bytes = this.readNew();
    if (bytes === null) return { lines: [], reset: false };
    const { chunk, reset } = bytes;
    const data = Buffer.concat([this.partial, chunk]);
    const end = data.lastIndexOf(0x0a) + 1;
    this.partial = data.subarray(end);
    const lines: object[] = [];
    for (const text of data.subarray(0, end).toString('utf8').split('\n')) {
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) lines.push(value);
      } catch {
        // a blank or malformed line (a run killed mid-write) is skipped
      }
    }
    return { lines, reset };
  }

  /** The bytes past the offset (from 0 when the file shrank), at most maxBytes; null when unreadable or unchanged. */
  private readNew(): { chunk: Buffer; reset: boolean } | null {
    let fd: number;
    try {
      fd = openSync(this.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch {
      return null;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return null;
      const reset = st.size < this.offset;
      if (reset) {
        this.offset = 0;
        this.partial = Buffer.alloc(0);
      }
      // A huge log is read from its last maxBytes: the charts show the recent past rather than nothing.
      if (st.size - this.offset > this.maxBytes) this.offset = st.size - this.maxBytes;
      if (st.size === this.offset && !reset) return null;
      const chunk = Buffer.alloc(st.size - this.offset);
      let n = 0;
      while (n < chunk.length) {
        const got = readSync(fd, chunk, n, chunk.length - n, this.offset + n);
        if (got === 0) break;
        n += got;
      }
      this.offset += n;
      return { chunk: chunk.subarray(0, n), reset };
    } finally {
      closeSync(fd);
    }
  }
}
