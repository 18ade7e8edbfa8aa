// Writing HTTP responses: files by extension, JSON, and short errors. Every response forbids MIME sniffing and
// framing, and run files are never cached (they change while a run trains).
import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.bin': 'application/octet-stream',
};

const BASE_HEADERS = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'cache-control': 'no-store' };

/** Streams the regular file at `path` (already resolved and checked by the caller); HEAD gets only the headers. */
export function sendFile(res: ServerResponse, path: string, head = false): void {
  const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, { ...BASE_HEADERS, 'content-type': type, 'content-length': statSync(path).size });
  if (head) {
    res.end();
    return;
  }
  createReadStream(path).on('error', () => res.destroy()).pipe(res);
}

/** A JSON body. */
export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...BASE_HEADERS, 'content-type': TYPES['.json']!, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A one-line plain-text error. */
export function sendError(res: ServerResponse, status: number, message: string): void {
  const body = `${status} ${message}\n`;
  res.writeHead(status, { ...BASE_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Starts a server-sent-events stream; returns a function that sends one named event with a JSON payload. */
export function startEventStream(res: ServerResponse): (event: string, data: unknown) => void {
  res.writeHead(200, { ...BASE_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
  res.write(': connected\n\n');
  return (event, data) => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
}
