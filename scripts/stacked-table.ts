// The Stacked MNIST table (docs/experiments.md, README): this toolkit's run from docs/experiments/stacked-mnist.json
// beside the published figures it carries, rendered by code so the copies cannot drift (test/docs/readme_tables.test.ts).
// Usage: npx tsx scripts/stacked-table.ts   (prints the table)

export interface StackedResults {
  preset: string;
  steps: number;
  evaluation: { samples: number; modesCovered: number; klToUniform: number };
  published: { source: string; rows: { name: string; modes: number; kl: number }[] };
}

/** Markdown: our preset's row first, then the published rows. */
export function stackedTable(r: StackedResults): string {
  const rows = [
    `| \`${r.preset}\` (this toolkit, ${r.steps.toLocaleString('en-US')} steps, seed 0) | ${r.evaluation.modesCovered} | ${r.evaluation.klToUniform.toFixed(2)} |`,
    ...r.published.rows.map((p) => `| ${p.name} (published) | ${p.modes.toFixed(1)} | ${p.kl.toFixed(2)} |`),
  ];
  return ['| Stacked MNIST, 26,000 samples | modes (of 1,000) | KL to uniform |', '|---|---|---|', ...rows].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { readFileSync } = await import('node:fs');
  const json = JSON.parse(readFileSync(new URL('../docs/experiments/stacked-mnist.json', import.meta.url), 'utf8')) as StackedResults;
  process.stdout.write(`${stackedTable(json)}\n`);
}
