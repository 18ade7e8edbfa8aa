// The MNIST presets table (README, docs/experiments.md), rendered from docs/experiments/mnist.json (written by
// scripts/mnist-experiments.ts) so the copies cannot drift (test/docs/readme_tables.test.ts).
// Usage: npx tsx scripts/mnist-table.ts   (prints the table)

/** One training run of a preset and the `gan eval --json` of its last checkpoint (10,000 samples, EMA generator). */
export interface MnistRow {
  preset: string;
  seed: number;
  steps: number;
  /** Wall time of `gan train` (process start to exit: data loading, training, final samples and checkpoint). */
  wallSeconds: number;
  /** What else ran on the machine meanwhile ('quiet': nothing but the shell). */
  machine: string;
  evaluation: {
    samples: number;
    classifierScore: number;
    frechetDistance: number;
    classesCovered: number;
    conditionalAccuracy?: number;
    perClassAccuracy?: number[];
  };
}

export interface MnistResults {
  backend: string;
  rows: MnistRow[];
}

const range = (values: number[], digits: number): string => {
  const lo = Math.min(...values), hi = Math.max(...values);
  return lo.toFixed(digits) === hi.toFixed(digits) ? lo.toFixed(digits) : `${lo.toFixed(digits)}-${hi.toFixed(digits)}`;
};
const percent = (values: number[]) => range(values.map((v) => 100 * v), 1);

/** Markdown: one line per preset (in first-seen order), each figure as min-max over its seeds. */
export function mnistTable(rows: MnistRow[]): string {
  const presets = [...new Set(rows.map((r) => r.preset))];
  const lines = presets.map((preset) => {
    const runs = rows.filter((r) => r.preset === preset).sort((a, b) => a.seed - b.seed);
    const e = runs.map((r) => r.evaluation);
    const conditional = e.every((x) => x.conditionalAccuracy !== undefined);
    const worst = conditional ? e.map((x) => Math.min(...x.perClassAccuracy!)) : [];
    return `| \`${preset}\` | ${runs[0]!.steps.toLocaleString('en-US')} | ${runs.map((r) => r.seed).join(',')} | ${range(runs.map((r) => r.wallSeconds / 60), 1)} min `
      + `| ${range(e.map((x) => x.classifierScore), 2)} | ${range(e.map((x) => x.frechetDistance), 2)} | ${range(e.map((x) => x.classesCovered), 0)}/10 `
      + `| ${conditional ? `${percent(e.map((x) => x.conditionalAccuracy!))}%` : '-'} | ${conditional ? `${percent(worst)}%` : '-'} |`;
  });
  return [
    '| preset | steps | seeds | wall time | classifier score | Fréchet distance | classes | conditional accuracy | worst class |',
    '|---|---|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { readFileSync } = await import('node:fs');
  const json = JSON.parse(readFileSync(new URL('../docs/experiments/mnist.json', import.meta.url), 'utf8')) as MnistResults;
  process.stdout.write(`${mnistTable(json.rows)}\n`);
}
