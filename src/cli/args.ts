// Command-line parsing shared by every subcommand: node:util parseArgs, with its errors turned into UsageError.
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

/** Parses argv strictly against `options` (plus the common ones). Unknown flags and missing values are UsageErrors. */
export function parseFlags<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ args: string[]; options: O & typeof COMMON_OPTIONS; strict: true; allowPositionals: boolean }>> {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, strict: true, allowPositionals });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // parseArgs messages look like "Unknown option '--x'. To specify a positional argument starting with a '-', ...".
    // Some span lines ("... is ambiguous.\nDid you forget ..."): keep the first sentence, so the error is one line.
    const first = message.split(/\.(?:\s|$)/)[0]!;
    throw new UsageError(`${first} (see gan ${command} --help)`);
  }
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
