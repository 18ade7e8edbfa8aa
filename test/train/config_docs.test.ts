import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, configHelp, kebabCase, SPEC } from '../../src/train/config.js';
import { configDocument } from '../../src/train/config_docs.js';

describe('the config reference', () => {
  it('in docs/config.md is the one generated from the specification (run npx tsx scripts/config-docs.ts when this fails)', () => {
    expect(readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8')).toBe(configDocument());
  });

  it('in gan train --help has one line per key with its flag, its default and whether it is an architecture key', () => {
    const lines = configHelp().split('\n');
    expect(lines).toHaveLength(CONFIG_KEYS.length);
    for (const [i, key] of CONFIG_KEYS.entries()) {
      expect(lines[i]!.trim().startsWith(`--${kebabCase(key)} `)).toBe(true);
      expect(lines[i]!).toContain(`default ${JSON.stringify(SPEC[key].default).replace(/^"(.*)"$/, "'$1'")}`);
      expect(lines[i]!.endsWith('[architecture]')).toBe(SPEC[key].architecture);
    }
  });
});
