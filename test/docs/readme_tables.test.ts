// The measured-result tables in the README and docs/ are generated from the JSON the experiment scripts write
// (docs/experiments/*.json), never copied by hand: this test renders them again with the scripts' own code and fails
// when a copy differs by one character.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toyTable, type ToyResults } from '../../scripts/toy-table.js';

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
    expect(toy.split('\n')).toHaveLength(2 + 8);
    expect(toy).toContain('| ring8-gan | 3,000 | 0,1,2,3,4 | 8.0 (8.0-8.0) / 8 |');
  });

  it('is told apart from a copy with one figure changed or one row missing', () => {
    const changed = toy.replace('| 69.8 (62.3-74.7) |', '| 69.9 (62.3-74.7) |');
    expect(changed).not.toBe(toy);
    expect(tablesWithHeader(`text\n\n${changed}\n\nmore text`, toyHeader)).toEqual([changed]);
    expect(tablesWithHeader(`${toy.split('\n').slice(0, -1).join('\n')}\n`, toyHeader)[0]).not.toBe(toy);
  });
});
