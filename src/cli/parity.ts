// `gan parity`: float64 scratch math against tfjs autograd on the chosen backend, as a table (or one JSON object).
import type { Subcommand } from './command.js';
import { parseFlags, startBackend } from './args.js';
import { UsageError } from '../errors.js';
import { failures, runParity } from '../parity/run.js';
import type { ParityResult } from '../parity/compare.js';

const help = `Usage: gan parity [--backend B] [--json]

Runs every parity check (forward passes, losses, gradients w.r.t. every weight, gradient penalty, spectral norm,
one SGD step, a 200-step 1D GAN trajectory) comparing float64 scratch math with tfjs float32 autograd on one
backend (default auto; here: --backend cpu, wasm and webgpu). Exits 1 if any check fails.

  --only S   run only the checks whose name contains S (repeatable)
  --json     print one JSON object on the last line of stdout`;

const fmt = (x: number) => (Number.isNaN(x) ? '-' : x.toExponential(2));

const status = (r: ParityResult) => (r.pass ? 'pass' : 'FAIL');

export const command: Subcommand = {
  summary: 'check the from-scratch float64 GAN math against tfjs autograd',
  help,
  async run(argv) {
    const { values } = parseFlags('parity', argv, { json: { type: 'boolean' }, only: { type: 'string', multiple: true } });
    const backend = await startBackend(values.backend);
    const rows = await runParity(values.only ? { only: values.only } : {});
    if (rows.length === 0) throw new UsageError(`--only: expected part of a check name (see gan parity --help) but '${values.only!.join("', '")}' matches none`);
    const failed = failures(rows);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ backend: backend.name, device: backend.device, pass: failed.length === 0, checks: rows })}\n`);
      return failed.length === 0 ? 0 : 1;
    }
    const table = rows.map((r) => [r.name, fmt(r.maxAbsError), fmt(r.maxRelError), `${r.tolerance.atol.toExponential(0)} + ${r.tolerance.rtol.toExponential(0)}|x|`, status(r)]);
    const header = ['check', 'max abs err', 'max rel err', 'tolerance', 'result'];
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    const notes = rows.filter((r) => r.error !== undefined).map((r) => `error: ${r.name}: ${r.error}`);
    process.stdout.write(`${[line(header), ...table.map(line)].join('\n')}\n`);
    if (notes.length > 0) process.stdout.write(`\n${notes.join('\n')}\n`);
    process.stdout.write(`\n${rows.length - failed.length}/${rows.length} checks pass on ${backend.name}\n`);
    return failed.length === 0 ? 0 : 1;
  },
};
