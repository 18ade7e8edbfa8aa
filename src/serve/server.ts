// The HTTP server of `gan serve`: the page (web/), its vendored libraries, each run's live feed and files. GET and
// HEAD only, nothing is ever written; every path goes through decodeSegments + resolveInside.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { basename, join, resolve } from 'node:path';
import { vendorFiles, WEB_DIR } from './assets.js';
import { streamRunEvents, DEFAULT_TIMING, type FeedTiming } from './run_events.js';
import { readRunConfig } from './run_files.js';
import { decodeSegments, PathRefused, resolveInside } from './safe_path.js';
import { sendError, sendFile, sendJson } from './send.js';
import { toyReference } from './toy_reference.js';

export interface ServeOptions {
  /** Run directories, served as runs 0, 1, ... */
  runDirs: string[];
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 8765; 0 = any free port). */
  port?: number;
  timing?: FeedTiming;
}

export interface RunningServer {
  server: Server;
  /** The page's address, e.g. http://127.0.0.1:8765/ */
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8765;

const LOOPBACK_NAME = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;

/** Whether `host` is this machine only (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/**
 * On a loopback address, a request must name a loopback host: a web page elsewhere cannot then reach the runs by
 * pointing a DNS name at 127.0.0.1 (DNS rebinding).
 */
function hostAllowed(req: IncomingMessage, boundToLoopback: boolean): boolean {
  if (!boundToLoopback) return true;
  return LOOPBACK_NAME.test((req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase());
}

/** The handler of every request, over the resolved run directories. */
function handler(runs: { name: string; dir: string }[], boundToLoopback: boolean, timing: FeedTiming) {
  const vendor = vendorFiles();
  const runAt = (id: string | undefined) => (id !== undefined && /^\d+$/.test(id) ? runs[Number(id)] : undefined);
  return (req: IncomingMessage, res: ServerResponse): void => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'only GET and HEAD');
      if (!hostAllowed(req, boundToLoopback)) return sendError(res, 403, 'unexpected Host header');
      // The raw path, not new URL(): URL parsing would resolve '..' segments before they could be refused.
      const raw = (req.url ?? '').split('?')[0]!;
      if (!raw.startsWith('/')) return sendError(res, 400, 'expected an absolute path');
      const parts = raw.slice(1).split('/');
      const [top, second] = parts;
      const head = req.method === 'HEAD';
      if (raw === '/' || raw === '/index.html') return sendFile(res, join(WEB_DIR, 'index.html'), head);
      if (top === 'app') return sendFile(res, resolveInside(WEB_DIR, decodeSegments(parts.slice(1).join('/'))), head);
      if (top === 'vendor' && parts.length === 2 && Object.hasOwn(vendor, second!)) return sendFile(res, vendor[second!]!, head);
      const run = top === 'runs' ? runAt(second) : undefined;
      if (run) return sendFile(res, resolveInside(run.dir, decodeSegments(parts.slice(2).join('/'))), head);
      if (top === 'api' && second === 'runs') {
        const [id, what] = parts.slice(2);
        if (parts.length === 2) return sendJson(res, runs.map((r, i) => ({ id: i, name: r.name })));
        const apiRun = parts.length === 4 ? runAt(id) : undefined;
        if (apiRun && what === 'events') return streamRunEvents(req, res, apiRun.dir, timing);
        // null for a run on image data
        if (apiRun && what === 'toy') return sendJson(res, toyReference(readRunConfig(apiRun.dir)));
      }
      return sendError(res, 404, 'not found');
    } catch (e) {
      if (e instanceof PathRefused) return sendError(res, e.status, e.message);
      if (!res.headersSent) return sendError(res, 500, 'internal error');
      res.destroy();
    }
  };
}

/** Starts the server; resolves once it listens (rejects on EADDRINUSE and the like). */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const runs = options.runDirs.map((dir) => ({ name: basename(resolve(dir)), dir: resolve(dir) }));
  const server = createServer(handler(runs, isLoopback(host), options.timing ?? DEFAULT_TIMING));
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = isIP(host) === 6 ? `[${host}]` : host;
  return {
    server,
    url: `http://${shown}:${port}/`,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections(); // the event streams never end on their own
      server.close(() => ok());
    }),
  };
}
