// `gan serve`: a local web page with the runs' charts, sample grids, a generator playground and the toy view.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Subcommand } from './command.js';
import { intFlag, parseFlags } from './args.js';
import { UsageError } from '../errors.js';
import { DEFAULT_HOST, DEFAULT_PORT, isLoopback, startServer } from '../serve/server.js';

const help = `Usage: gan serve [RUN_DIR ...] [--port N] [--host H]

Serves a page that shows runs live (loss and evaluation charts that grow while a run trains, its config, step,
steps/s and ETA, sample grids with a step scrubber, several runs side by side), a generator playground (a
checkpoint's generator running in the browser: class picker, latent sliders, truncation, latent walks) and, for
toy runs, generated points over real ones with the discriminator's output as a heat map, for any checkpoint.
Without RUN_DIR it serves every run under ./runs. Only the run directories' files are served, read-only.

  --port N   port to listen on (default ${DEFAULT_PORT}; 0 = any free port)
  --host H   address to bind (default ${DEFAULT_HOST}, this machine only). Any other address lets everyone who
             can reach it read the runs.

Stop with Ctrl-C.`;

/** The run directories to serve: those named, or the folders under ./runs. */
function runDirs(positionals: string[]): string[] {
  if (positionals.length === 0) {
    const found = existsSync('runs') ? readdirSync('runs', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join('runs', e.name)) : [];
    if (found.length === 0) throw new UsageError('no RUN_DIR given and no runs under ./runs (see gan serve --help)');
    return found.sort();
  }
  for (const dir of positionals) {
    if (!existsSync(dir)) throw new UsageError(`RUN_DIR: ${dir} does not exist`);
    if (!statSync(dir).isDirectory()) throw new UsageError(`RUN_DIR: ${dir} is not a directory`);
  }
  return positionals;
}

export const command: Subcommand = {
  summary: 'a local web page: live charts, sample grids, a generator playground, the toy view',
  help,
  async run(argv) {
    const { values, positionals } = parseFlags('serve', argv, { port: { type: 'string' }, host: { type: 'string' } }, true);
    const port = values.port === undefined ? DEFAULT_PORT : intFlag('port', values.port, 0, 65535);
    const host = values.host ?? DEFAULT_HOST;
    const dirs = runDirs(positionals);
    let running;
    try {
      running = await startServer({ runDirs: dirs, host, port });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UsageError(`--port: ${port} is in use on ${host}; pick another (--port 0 picks a free one)`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`--host: cannot bind ${host} (${code})`);
      throw e;
    }
    process.stdout.write(`serving ${dirs.length} run${dirs.length === 1 ? '' : 's'} at ${running.url}\n`);
    if (!isLoopback(host)) {
      process.stderr.write(`warning: bound to ${host}: anyone who can reach this address can read these runs\n`);
    }
    await new Promise<void>((done) => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => done());
    });
    await running.close();
    return 0;
  },
};
