// Command-line parsing shared by every subcommand: node:util parseArgs, with its errors turned into UsageError.
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';
import { initBackend, parseBackendChoice, type BackendInfo } from '../tf.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every subcommand accepts. */
export const COMMON_OPTIONS = {
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const satisfies Options;

/** Flags whose value is a path (the run, checkpoint and output flags of every subcommand). */
const PATH_FLAGS = ['run-dir', 'resume', 'checkpoint', 'out'];
/** The longest file name (one path component) common file systems take, in bytes. */
const NAME_MAX = 255;
/** The longest path Linux takes, in bytes. */
const PATH_MAX = 4095;

/**
 * Refuses a path argument that no file system call can take: empty, a name longer than NAME_MAX bytes, or a path
 * longer than PATH_MAX (which would fail as ENOENT or ENAMETOOLONG later, after a run directory was half made).
 * `what` names the flag or argument in the UsageError.
 */
export function checkPathArgument(what: string, value: string): void {
  if (value === '') throw new UsageError(`${what}: expected a path but got ''`);
  const long = value.split(/[/\\]/).find((name) => Buffer.byteLength(name) > NAME_MAX);
  if (long !== undefined) {
    throw new UsageError(`${what}: the name '${long.slice(0, 16)}...' is ${Buffer.byteLength(long)} bytes long, more than the ${NAME_MAX} a file name may have`);
  }
  const bytes = Buffer.byteLength(resolve(value));
  if (bytes > PATH_MAX) throw new UsageError(`${what}: the path is ${bytes} bytes long, more than the ${PATH_MAX} a path may have`);
}

/**
 * Parses argv strictly against `options` (plus the common ones). Unknown flags and missing values are UsageErrors, as
 * is an unusable path given to a path flag (--run-dir, --resume, --checkpoint, --out).
 */
export function parseFlags<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ args: string[]; options: O & typeof COMMON_OPTIONS; strict: true; allowPositionals: boolean }>> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, strict: true, allowPositionals });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // parseArgs messages look like "Unknown option '--x'. To specify a positional argument starting with a '-', ...".
    // Some span lines ("... is ambiguous.\nDid you forget ..."): keep the first sentence, so the error is one line.
    const first = message.split(/\.(?:\s|$)/)[0]!;
    throw new UsageError(`${first} (see gan ${command} --help)`);
  }
  const values = parsed.values as Record<string, unknown>;
  for (const flag of PATH_FLAGS) if (typeof values[flag] === 'string') checkPathArgument(`--${flag}`, values[flag]);
  return parsed;
}

/** Parses an integer flag value in [min, max]. */
export function intFlag(flag: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`--${flag}: expected an integer but got '${value}'`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${flag}: expected an integer in [${min}, ${max}] but got ${n}`);
  return n;
}

/** Parses a number flag value in [min, max]. */
export function numberFlag(flag: string, value: string, min: number, max = Number.POSITIVE_INFINITY): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag}: expected a number but got '${value}'`);
  if (n < min || n > max) throw new UsageError(`--${flag}: expected a number in [${min}, ${max}] but got ${n}`);
  return n;
}

/** Starts the backend named by --backend (else GAN_BACKEND, else auto) and prints the one line naming it (stderr). */
export async function startBackend(flag: string | undefined): Promise<BackendInfo> {
  const info = await initBackend(flag === undefined ? undefined : parseBackendChoice(flag));
  process.stderr.write(`backend: ${info.name} (${info.device})\n`);
  return info;
}
