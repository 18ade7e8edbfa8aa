// Writes docs/config.md, the config reference, from the one config specification (src/train/config.ts SPEC).
// Usage: npx tsx scripts/config-docs.ts [--check]   (--check: exit 1 when docs/config.md is out of date)
import { readFileSync, writeFileSync } from 'node:fs';
import { configDocument } from '../src/train/config_docs.js';

const path = new URL('../docs/config.md', import.meta.url);
const text = configDocument();
if (process.argv.includes('--check')) {
  const current = readFileSync(path, 'utf8');
  if (current !== text) {
    process.stderr.write('docs/config.md is out of date: run npx tsx scripts/config-docs.ts\n');
    process.exit(1);
  }
} else {
  writeFileSync(path, text);
  process.stdout.write(`wrote ${path.pathname}\n`);
}
