// The measured-result tables in the README and docs/ are generated from the JSON the experiment scripts write
// (docs/experiments/*.json), never copied by hand: this test renders them again with the scripts' own code and fails
// when a copy differs by one character.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toyTable, type ToyResults } from '../../scripts/toy-table.js';
import { stackedTable, type StackedResults } from '../../scripts/stacked-table.js';
import { mnistTable, type MnistResults } from '../../scripts/mnist-table.js';
import { loadPreset, resolveConfig } from '../../src/train/config.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** Every markdown table in `text` that starts with the line `header`: that line and the `|` lines after it. */
function tablesWithHeader(text: string, header: string): string[] {
  const lines = text.split('\n');
  const tables: string[] = [];
  lines.forEach((line, i) => {
    if (line !== header) return;
    let end = i;
    while (end + 1 < lines.length && lines[end + 1]!.startsWith('|')) end++;
    tables.push(lines.slice(i, end + 1).join('\n'));
  });
  return tables;
}

const toy = toyTable((JSON.parse(read('docs/experiments/toy.json')) as ToyResults).rows);
const toyHeader = toy.split('\n')[0]!;

describe('the toy experiments table', () => {
  for (const file of ['README.md', 'docs/experiments.md']) {
    it(`in ${file} is what scripts/toy-experiments.ts --table renders from docs/experiments/toy.json`, () => {
      const tables = tablesWithHeader(read(file), toyHeader);
      expect(tables.length, `${file} should hold the toy table (header: ${toyHeader})`).toBeGreaterThan(0);
      for (const table of tables) expect(table).toBe(toy);
    });
  }

  it('has a row per setting of the JSON, so a check against it means something', () => {
    expect(toy.split('\n')).toHaveLength(2 + 14);
    expect(toy).toContain('| ring8-gan | 3,000 | 0,1,2,3,4 | 8.0 (8.0-8.0) / 8 |');
    expect(toy).toContain('| ring8-gan-clusters | 3,000 | 0,1,2,3,4 | 8.0 (8.0-8.0) / 8 |');
  });

  it('is told apart from a copy with one figure changed or one row missing', () => {
    const changed = toy.replace('| 69.8 (62.3-74.7) |', '| 69.9 (62.3-74.7) |');
    expect(changed).not.toBe(toy);
    expect(tablesWithHeader(`text\n\n${changed}\n\nmore text`, toyHeader)).toEqual([changed]);
    expect(tablesWithHeader(`${toy.split('\n').slice(0, -1).join('\n')}\n`, toyHeader)[0]).not.toBe(toy);
  });
});

describe('the Stacked MNIST table', () => {
  const json = JSON.parse(read('docs/experiments/stacked-mnist.json')) as StackedResults;
  const table = stackedTable(json);
  for (const file of ['docs/experiments.md']) {
    it(`in ${file} is what scripts/stacked-table.ts renders from docs/experiments/stacked-mnist.json`, () => {
      const tables = tablesWithHeader(read(file), table.split('\n')[0]!);
      expect(tables.length, `${file} should hold the Stacked MNIST table`).toBeGreaterThan(0);
      for (const t of tables) expect(t).toBe(table);
    });
  }

  it('says in the README presets row the same figures as the JSON, ours and the published ones', () => {
    const pub = (name: string) => json.published.rows.find((r) => r.name === name)!;
    expect(read('README.md')).toContain(`| ${json.evaluation.modesCovered} of 1,000 modes, KL ${json.evaluation.klToUniform.toFixed(2)} (26,000 samples; `
      + `published DCGAN: ${pub('DCGAN').modes} / ${pub('DCGAN').kl.toFixed(2)}, VEEGAN: ${pub('VEEGAN').modes} / ${pub('VEEGAN').kl.toFixed(2)}, `
      + `PacDCGAN2: ${pub('PacDCGAN2').modes.toLocaleString('en-US')} / ${pub('PacDCGAN2').kl.toFixed(2)}, settings differ`);
  });
});

describe('the Fashion-MNIST reference rows in docs/evaluation.md', () => {
  it('are the ones scripts/mnist-reference.ts wrote to assets/fashion-classifier/reference.json', () => {
    const { rows } = JSON.parse(read('assets/fashion-classifier/reference.json')) as { rows: { name: string; samples: number; classifierScore: number; frechetDistance: number }[] };
    const doc = read('docs/evaluation.md');
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(doc).toContain(`| ${r.name} | ${r.samples} | ${r.classifierScore.toFixed(3)} | ${r.frechetDistance.toFixed(3)} |`);
  });
});

describe('the fashion-cdcgan row of the README presets table', () => {
  it('says what docs/experiments/fashion-cdcgan.json holds', () => {
    const e = (JSON.parse(read('docs/experiments/fashion-cdcgan.json')) as { evaluation: { classifierScore: number; frechetDistance: number; classesCovered: number; conditionalAccuracy: number } }).evaluation;
    expect(read('README.md')).toContain(`classifier score ${e.classifierScore.toFixed(2)}, Fréchet distance ${e.frechetDistance.toFixed(1)}, ${e.classesCovered}/10 classes, conditional accuracy ${(100 * e.conditionalAccuracy).toFixed(1)}%`);
  });
});

describe('the MNIST presets table', () => {
  const results = JSON.parse(read('docs/experiments/mnist.json')) as MnistResults;
  const table = mnistTable(results.rows);
  for (const file of ['README.md', 'docs/experiments.md']) {
    it(`in ${file} is what scripts/mnist-table.ts renders from docs/experiments/mnist.json`, () => {
      const tables = tablesWithHeader(read(file), table.split('\n')[0]!);
      expect(tables.length, `${file} should hold the MNIST table`).toBeGreaterThan(0);
      for (const t of tables) expect(t).toBe(table);
    });
  }

  it("measured each preset at the steps its JSON has now (a changed budget needs new runs)", () => {
    for (const r of results.rows) expect(r.steps, `${r.preset} seed ${r.seed}`).toBe(resolveConfig(loadPreset(r.preset)).steps);
  });

  it('holds the npm start preset on three seeds, each with its per-class accuracies', () => {
    const rows = results.rows.filter((r) => r.preset === 'mnist-cdcgan');
    expect(rows.map((r) => r.seed).sort()).toEqual([0, 1, 2]);
    for (const r of rows) {
      expect(r.evaluation.samples).toBe(10_000);
      expect(r.evaluation.perClassAccuracy).toHaveLength(10);
    }
  });
});
