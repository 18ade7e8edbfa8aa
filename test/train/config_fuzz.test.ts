// Issue 8: seeded fuzz of the config parser and validator: random and mutated configs and flag lists end in a
// ConfigError/UsageError or a valid config, never another exception.
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import {
  CONFIG_KEYS, DEFAULTS, kebabCase, loadPreset, parseOverrides, presetNames, resolveConfig, validateConfig, validatePartial,
  type TrainConfig,
} from '../../src/train/config.js';

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)]!;

/** Keys a hand-written file might hold: real ones, near misses, and names that exist on Object.prototype. */
const ODD_KEYS = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'batch_size', 'Steps', '', ' ', 'steps ', 'latent-dim'];

function randomValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(14)) {
    case 0: return rng.int(2000) - 1000;
    case 1: return (rng.uniform() - 0.5) * 10 ** (rng.int(20) - 5);
    case 2: return pick(rng, [Number.NaN, Infinity, -Infinity, -0, 2 ** 53, 2 ** 31, 2 ** 32, 1e308, 5e-324]);
    case 3: return pick(rng, [true, false, null]);
    case 4: return pick(rng, ['', ' ', 'ring8', 'mnist', 'dcgan', 'mlp', 'wasserstein', 'batch', 'none', 'tanh', 'concat', 'x'.repeat(rng.int(50))]);
    case 5: return Array.from({ length: rng.int(4) }, () => rng.int(300) - 10);
    case 6: return depth < 3 ? Array.from({ length: rng.int(3) }, () => randomValue(rng, depth + 1)) : [];
    case 7: return depth < 3 ? { [pick(rng, CONFIG_KEYS)]: randomValue(rng, depth + 1) } : {};
    case 8: return String(rng.int(100));
    default: return validValue(rng, pick(rng, CONFIG_KEYS));
  }
}

/** A value that is valid for `key` on its own (cross-key rules may still refuse it). */
function validValue(rng: Rng, key: keyof TrainConfig): unknown {
  const d = DEFAULTS[key];
  if (typeof d === 'boolean') return rng.uniform() < 0.5;
  if (Array.isArray(d)) return Array.from({ length: 1 + rng.int(3) }, () => 1 + rng.int(64));
  if (typeof d === 'number') return rng.uniform() < 0.5 ? d : Number.isInteger(d) ? d + rng.int(3) : d * rng.uniform();
  return d;
}

function randomFlagText(rng: Rng): string {
  return pick(rng, ['', ' ', '0', '-1', '1', '3', '1e3', '1e999', '-0', '0x10', '0.5', '1.5', 'NaN', 'Infinity', 'true', 'false', 'TRUE',
    '64,64', '64,', ',64', '[8,8]', '[8, 8]', '8 8', 'ring8', 'grid25', 'mnist', 'dcgan', 'hinge', 'batch', 'projection', '\u0000', '💥', '9'.repeat(rng.int(40))]);
}

/** Runs `f`; a typed user error or a result passing `check` is fine, anything else fails the test with the case. */
function expectTypedOrValid(what: () => string, f: () => TrainConfig | Partial<TrainConfig>, check: (c: TrainConfig | Partial<TrainConfig>) => void): 'ok' | 'refused' {
  let result: TrainConfig | Partial<TrainConfig>;
  try {
    result = f();
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError) {
      // A refusal is one line naming what was wrong.
      expect(e.message.includes('\n'), `${what()}: ${e.message}`).toBe(false);
      return 'refused';
    }
    throw new Error(`${what()} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  check(result);
  return 'ok';
}

/** A resolved config has exactly the known keys, and validates again to the same object. */
function checkFull(c: TrainConfig | Partial<TrainConfig>): void {
  expect(Object.keys(c).sort()).toEqual([...CONFIG_KEYS].sort());
  expect(validateConfig(c as Record<string, unknown>)).toEqual(c);
}

describe('config parser and validator under fuzzing', () => {
  it('ends every mutated config object in a ConfigError or a valid config (3,000 cases)', () => {
    const rng = new Rng(8);
    const presets = presetNames().map((n) => loadPreset(n));
    const counts = { ok: 0, refused: 0 };
    for (let i = 0; i < 3000; i++) {
      const values: Record<string, unknown> = { ...DEFAULTS, ...pick(rng, presets) };
      for (let m = rng.int(4); m > 0; m--) {
        const r = rng.uniform();
        if (r < 0.5) values[pick(rng, CONFIG_KEYS)] = randomValue(rng);
        else if (r < 0.7) values[pick(rng, CONFIG_KEYS)] = validValue(rng, pick(rng, CONFIG_KEYS));
        else if (r < 0.85) delete values[pick(rng, CONFIG_KEYS)];
        else Object.defineProperty(values, pick(rng, ODD_KEYS), { value: randomValue(rng), enumerable: true, configurable: true, writable: true });
      }
      const json = JSON.stringify(values);
      counts[expectTypedOrValid(() => `case ${i} ${json}`, () => validateConfig(values, 'fuzz: '), checkFull)]++;
      // The same object as a partial (a preset file), then resolved over the defaults.
      expectTypedOrValid(() => `case ${i} partial ${json}`, () => resolveConfig(validatePartial(values)), checkFull);
    }
    // The generator must exercise both outcomes, or the test proves nothing.
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts.refused).toBeGreaterThan(100);
  });

  it('ends every random flag list in a ConfigError or a valid config (3,000 cases)', () => {
    const rng = new Rng(88);
    const names = presetNames();
    const presets = new Map(names.map((n) => [n, loadPreset(n)]));
    const counts = { ok: 0, refused: 0 };
    for (let i = 0; i < 3000; i++) {
      const flags: Record<string, string> = {};
      for (let m = 1 + rng.int(4); m > 0; m--) {
        const key = pick(rng, CONFIG_KEYS);
        const name = rng.uniform() < 0.1 ? pick(rng, ODD_KEYS) : rng.uniform() < 0.5 ? kebabCase(key) : key;
        Object.defineProperty(flags, name, { value: rng.uniform() < 0.4 ? String(validValue(rng, key)) : randomFlagText(rng), enumerable: true, configurable: true, writable: true });
      }
      const preset = pick(rng, names);
      const what = () => `case ${i} --preset ${preset} ${JSON.stringify(flags)}`;
      counts[expectTypedOrValid(what, () => resolveConfig(presets.get(preset)!, parseOverrides(flags)), checkFull)]++;
    }
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts.refused).toBeGreaterThan(100);
  });

  it('refuses keys that exist only on Object.prototype with a ConfigError (they crashed with a TypeError before)', () => {
    expect(() => validatePartial({ toString: 1 }, 'preset x: ')).toThrow(new ConfigError("preset x: unknown config key 'toString'"));
    expect(() => validatePartial(JSON.parse('{"__proto__": 1}') as Record<string, unknown>)).toThrow(new ConfigError("unknown config key '__proto__'"));
    expect(() => parseOverrides({ constructor: '1' })).toThrow(new ConfigError("unknown config key '--constructor'"));
  });
});
