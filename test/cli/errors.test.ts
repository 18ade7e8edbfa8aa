// Issue 8, user errors: every subcommand answers --help; bad flags, values, presets, class ranges and output paths
// give exactly one line on stderr naming the problem and what is allowed, exit code 2, no stack trace, nothing written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHILD = join(import.meta.dirname, 'errors_child.ts');
const COMMANDS = ['train', 'sample', 'eval', 'verify', 'parity', 'bench', 'doctor', 'serve', 'export'];
const PRESETS = 'fashion-cdcgan, gaussian-1d, grid-25-wgan-gp, images-dcgan, mnist-cdcgan, mnist-dcgan, mnist-sngan, mnist-wgan-gp, ring-8-gan, ring-8-wgan, ring-8-wgan-gp, stacked-mnist-dcgan';

interface Outcome { code: number; stdout: string; stderr: string }

/** Runs all argv lists in ONE child process (startup dominates the cost) and returns their outcomes in order. */
function ganMany(cases: string[][]): Outcome[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(cases)], {
    env: { ...process.env, GAN_BACKEND: 'cpu' }, encoding: 'utf8', maxBuffer: 1 << 24,
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('[')) throw new Error(`child failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(last) as Outcome[];
}

describe('gan command-line errors', () => {
  let dir: string;
  let file: string;
  let out: Outcome[];
  const errorCases: { args: () => string[]; message: () => string; writes?: () => string }[] = [
    { args: () => ['nope'], message: () => `gan: unknown command 'nope'; expected one of ${COMMANDS.join(', ')}` },
    { args: () => ['train', '--bogus'], message: () => "gan train: Unknown option '--bogus' (see gan train --help)" },
    { args: () => ['train', '--preset'], message: () => "gan train: Option '--preset <value>' argument missing (see gan train --help)" },
    { args: () => ['train', '--preset', 'nope', '--run-dir', join(dir, 'r1')], message: () => `gan train: --preset: expected one of ${PRESETS} but got 'nope'`, writes: () => join(dir, 'r1') },
    { args: () => ['train', '--preset', 'ring-8-gan', '--steps', 'abc', '--run-dir', join(dir, 'r2')], message: () => "gan train: --steps: expected an integer >= 1 but got 'abc'", writes: () => join(dir, 'r2') },
    { args: () => ['train', '--preset', 'ring-8-gan', '--batch-size', '0', '--run-dir', join(dir, 'r3')], message: () => 'gan train: --batchSize: expected an integer in [1, 65536] but got 0', writes: () => join(dir, 'r3') },
    { args: () => ['train', '--preset', 'ring-8-gan', '--run-dir', join(file, 'sub')], message: () => `gan train: --run-dir: cannot create ${join(file, 'sub')}: ${file} is not a directory` },
    { args: () => ['sample', '--out', join(dir, 'a.png')], message: () => 'gan sample: --checkpoint: required (a checkpoint or run directory)', writes: () => join(dir, 'a.png') },
    { args: () => ['sample', '--checkpoint', dir, '--out', join(dir, 'b.png'), '--classes', '5-2'], message: () => "gan sample: --classes: expected class numbers like 0-9, 3 or 1,4,7 but got '5-2'", writes: () => join(dir, 'b.png') },
    { args: () => ['sample', '--checkpoint', dir, '--out', join(dir, 'c.txt')], message: () => `gan sample: --out: expected a file name ending in .png but got '${join(dir, 'c.txt')}'`, writes: () => join(dir, 'c.txt') },
    { args: () => ['sample', '--checkpoint', dir, '--out', join(dir, 'no', 'd.png')], message: () => `gan sample: --out: folder ${join(dir, 'no')} does not exist`, writes: () => join(dir, 'no') },
    { args: () => ['eval', '--checkpoint'], message: () => "gan eval: Option '--checkpoint <value>' argument missing (see gan eval --help)" },
    { args: () => ['eval', '--checkpoint', join(dir, 'missing')], message: () => `gan eval: --checkpoint: no such directory '${join(dir, 'missing')}'` },
    { args: () => ['verify', '--bogus'], message: () => "gan verify: Unknown option '--bogus' (see gan verify --help)" },
    { args: () => ['parity', '--bogus'], message: () => "gan parity: Unknown option '--bogus' (see gan parity --help)" },
    { args: () => ['bench', '--bogus'], message: () => "gan bench: Unknown option '--bogus' (see gan bench --help)" },
    { args: () => ['bench', '--steps', '-1'], message: () => "gan bench: Option '--steps' argument is ambiguous (see gan bench --help)" },
    { args: () => ['doctor', '--bogus'], message: () => "gan doctor: Unknown option '--bogus' (see gan doctor --help)" },
  ];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gan-errors-'));
    file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    out = ganMany([...COMMANDS.map((c) => [c, '--help']), ...errorCases.map((c) => c.args())]);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers --help on every subcommand with its usage on stdout and exit code 0', () => {
    COMMANDS.forEach((name, i) => {
      const r = out[i]!;
      expect(r.code, name).toBe(0);
      expect(r.stdout.startsWith(`Usage: gan ${name}`), `${name}: ${r.stdout.slice(0, 60)}`).toBe(true);
      expect(r.stderr, name).toBe('');
    });
  });

  it('gives one exact line on stderr, exit code 2, no stack trace and writes nothing for each user error', () => {
    errorCases.forEach((c, i) => {
      const r = out[COMMANDS.length + i]!;
      const what = c.args().join(' ');
      expect(r.stderr, what).toBe(`${c.message()}\n`);
      expect(r.code, what).toBe(2);
      expect(r.stdout, what).toBe('');
      if (c.writes) expect(existsSync(c.writes()), `${what} wrote ${c.writes()}`).toBe(false);
    });
  });
});
