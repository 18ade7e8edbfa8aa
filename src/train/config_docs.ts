// The text of docs/config.md, generated from the config specification so the docs cannot drift from the code.
import { configMarkdown } from './config.js';

/** docs/config.md: how a config is resolved, then every key. */
export function configDocument(): string {
  return `# Training config reference

Generated from the config specification in \`src/train/config.ts\` by \`npx tsx scripts/config-docs.ts\`; a test fails
when this page and the code disagree. \`gan train --help\` prints the same list.

A run's config is resolved in this order (nanoGPT style): these defaults, then the preset (\`--preset NAME\`, a JSON
file in \`presets/\`), then \`--key value\` flags (kebab-case or camelCase). Unknown keys, wrong types and out-of-range
values are refused before anything runs. The resolved config is written to the run's \`config.json\` and into every
checkpoint. On \`--resume\`, keys marked *architecture* cannot change (the saved networks would not fit); the others
may, and each change is printed.

${configMarkdown()}
`;
}
