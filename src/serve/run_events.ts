// The live feed of one run as server-sent events: a `snapshot` (config, every metrics line, files) on connect and
// whenever metrics.jsonl is rewritten, then `metrics` (the new lines) and `files` (samples or checkpoints changed).
// Changes are noticed by fs.watch on the run directory, with polling as the fallback where watching is unsupported
// or silent (network file systems, some containers).
import { watch, type FSWatcher } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { JsonLinesTail } from './json_lines_tail.js';
import { listRunFiles, readRunConfig } from './run_files.js';
import { startEventStream } from './send.js';

/** Timing of a feed: the polling period and the shortest gap between two checks (bursts of fs events). */
export interface FeedTiming {
  pollMs: number;
  minGapMs: number;
}

export const DEFAULT_TIMING: FeedTiming = { pollMs: 1000, minGapMs: 100 };

/** Streams `runDir`'s feed on `res` until the client goes away (or the server closes the connection). */
export function streamRunEvents(req: IncomingMessage, res: ServerResponse, runDir: string, timing: FeedTiming = DEFAULT_TIMING): void {
  const send = startEventStream(res);
  const tail = new JsonLinesTail(join(runDir, 'metrics.jsonl'));
  let files = listRunFiles(runDir);
  let filesKey = JSON.stringify(files);
  send('snapshot', { config: readRunConfig(runDir), metrics: tail.read().lines, ...files });

  const check = (): void => {
    const { lines, reset } = tail.read();
    files = listRunFiles(runDir);
    const key = JSON.stringify(files);
    if (reset) send('snapshot', { config: readRunConfig(runDir), metrics: lines, ...files });
    else if (lines.length > 0) send('metrics', lines);
    if (key !== filesKey && !reset) send('files', files);
    filesKey = key;
  };
  // At most one check per minGapMs, however many fs events arrive.
  let pending: NodeJS.Timeout | null = null;
  const schedule = (): void => {
    pending ??= setTimeout(() => {
      pending = null;
      check();
    }, timing.minGapMs);
  };

  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(runDir, { persistent: false }, schedule);
    watcher.on('error', () => watcher?.close());
  } catch {
    // no fs.watch here: polling alone
  }
  const poll = setInterval(schedule, timing.pollMs);
  const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
  const stop = (): void => {
    watcher?.close();
    clearInterval(poll);
    clearInterval(heartbeat);
    if (pending) clearTimeout(pending);
  };
  req.on('close', stop);
  res.on('close', stop);
}
