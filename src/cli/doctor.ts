// `gan doctor`: which backends are installed, which start, on what device, and which one `auto` picks.
import type { Subcommand } from './command.js';
import { parseFlags } from './args.js';
import { initBackend, parseBackendChoice, probeBackends } from '../tf.js';

const help = `Usage: gan doctor [--json]

For each backend (tensorflow, webgpu, wasm, cpu): whether its package is installed, whether it starts,
on which device, and which one --backend auto picks.

  --json     print one JSON object on the last line of stdout`;

export const command: Subcommand = {
  summary: 'show which backends are installed and which one auto picks',
  help,
  async run(argv) {
    const { values } = parseFlags('doctor', argv, { json: { type: 'boolean' } });
    // doctor probes every backend; --backend (if given) only has to be a valid name.
    if (values.backend !== undefined) parseBackendChoice(values.backend);
    const rows = await probeBackends();
    const auto = await initBackend('auto');
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ backends: rows, auto: auto.name, autoDevice: auto.device })}\n`);
      return 0;
    }
    const table = rows.map((r) => [
      r.name,
      r.installed ? 'yes' : 'no',
      r.initializes ? 'yes' : 'no',
      r.device ?? '-',
      r.reason ?? '',
    ]);
    const header = ['backend', 'installed', 'starts', 'device', 'note'];
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    const fmt = (row: string[]) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
    process.stdout.write(`${[fmt(header), ...table.map(fmt)].join('\n')}\n\nauto picks: ${auto.name} (${auto.device})\n`);
    return 0;
  },
};
