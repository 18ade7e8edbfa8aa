#!/usr/bin/env node
// The `gan` command: runs the compiled CLI (built by `npm run build`, which `npm install` runs via `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('gan: the compiled CLI is missing (dist/cli/main.js). Run `npm run build` in the tfjs-gan folder.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
