// The `gan` command: dispatches to one module per subcommand and maps typed errors to exit codes. bin/gan.js calls
// main(); importing this module runs nothing.
import { readFileSync } from 'node:fs';
import { GanError } from '../errors.js';
import type { Subcommand } from './command.js';

const COMMANDS: Record<string, () => Promise<Subcommand>> = {
  train: async () => (await import('./train.js')).command,
  sample: async () => (await import('./sample.js')).command,
  eval: async () => (await import('./eval.js')).command,
  verify: async () => (await import('./verify.js')).command,
  parity: async () => (await import('./parity.js')).command,
  bench: async () => (await import('./bench.js')).command,
  doctor: async () => (await import('./doctor.js')).command,
  serve: async () => (await import('./serve.js')).command,
  export: async () => (await import('./export.js')).command,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function mainHelp(): Promise<string> {
  const lines = ['Usage: gan <command> [flags]', '', 'Commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)} ${(await load()).summary}`);
  lines.push('', 'Every command takes --backend auto|tensorflow|webgpu|wasm|cpu (or GAN_BACKEND), --help and --debug.');
  lines.push('Run `gan <command> --help` for its flags.');
  return lines.join('\n');
}

let guarded = false;

/**
 * Output can never kill a run: when the reader of stdout or stderr goes away (`| head`, a `tee` stopped by the same
 * Ctrl-C), writes fail with EPIPE; without a listener that is an unhandled 'error' event that ends the process
 * before its checkpoint. With one, the failed and later writes are dropped and the work goes on.
 */
function guardOutputStreams(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
}

/** Runs `gan` with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  guardOutputStreams();
  const [name, ...rest] = argv;
  const debug = argv.includes('--debug');
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(`${await mainHelp()}\n`);
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-v') {
      process.stdout.write(`${version()}\n`);
      return 0;
    }
    const load = COMMANDS[name];
    if (!load) {
      process.stderr.write(`gan: unknown command '${name}'; expected one of ${Object.keys(COMMANDS).join(', ')}\n`);
      return 2;
    }
    const command = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${command.help}\n`);
      return 0;
    }
    return await command.run(rest);
  } catch (e) {
    if (e instanceof GanError && !debug) {
      process.stderr.write(`gan${name ? ` ${name}` : ''}: ${e.message}\n`);
      return e.exitCode;
    }
    // A genuine bug (or --debug): the stack trace is the useful output.
    process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return e instanceof GanError ? e.exitCode : 1;
  }
}
