import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, DEFAULTS, kebabCase, parseOverrides, resolveConfig, validateConfig } from '../../src/train/config.js';
import { ConfigError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';

// Values a hand-written config or flag might hold: the right kind, the wrong kind, edge numbers, junk text.
const JSON_VALUES: unknown[] = [0, 1, -1, 0.5, 2 ** 31, 1e308, -0, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', 'ring8', 'mnist',
  'relu', 'batch', 'true', true, false, null, [], [8], [0], [8, 'x'], [1.5], {}, { a: 1 }, 'nonSaturating', '__proto__'];
const TEXTS = ['', ' ', '0', '1', '-3', '2.5', '1e-4', '1e400', 'NaN', 'Infinity', 'true', 'false', 'yes', '8,8', '[8,8]', '8,', ',8',
  '8,-1', 'ring8', 'mnist', 'hinge', 'layer', 'x'.repeat(1000), '0x10', '１'];

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

/** Runs `fn`; a ConfigError or a result is fine, anything else (TypeError, RangeError...) fails the test. */
function typedOrValid(fn: () => unknown): 'ok' | 'error' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof ConfigError) return 'error';
    throw e;
  }
}

describe('config parser fuzz', () => {
  it('ends 3,000 seeded random configs and flag sets in a valid config or a ConfigError, never a crash', () => {
    const rng = new Rng(2024);
    const seen = { ok: 0, error: 0 };
    for (let i = 0; i < 1500; i++) {
      // A whole config object with a few keys replaced (or removed, or an unknown key added).
      const json: Record<string, unknown> = { ...DEFAULTS };
      for (let k = rng.int(4); k >= 0; k--) {
        const key = rng.uniform() < 0.1 ? `junk${rng.int(9)}` : pick(rng, CONFIG_KEYS);
        if (rng.uniform() < 0.1) delete json[key]; else json[key] = pick(rng, JSON_VALUES);
      }
      seen[typedOrValid(() => validateConfig(json))]++;
      // Flags as typed on a command line, in either spelling.
      const flags: Record<string, string> = {};
      for (let k = rng.int(4); k >= 0; k--) {
        const key = pick(rng, CONFIG_KEYS);
        flags[rng.uniform() < 0.5 ? key : kebabCase(key)] = pick(rng, TEXTS);
      }
      seen[typedOrValid(() => resolveConfig({}, parseOverrides(flags)))]++;
    }
    // Both outcomes occur, so the fuzz reaches past the first check.
    expect(seen.ok).toBeGreaterThan(30);
    expect(seen.error).toBeGreaterThan(100);
  });
});
