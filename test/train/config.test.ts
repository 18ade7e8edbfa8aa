import { describe, expect, it } from 'vitest';
import {
  ARCHITECTURE_KEYS, DEFAULTS, diffConfigs, loadPreset, parseOverrides, presetNames, resolveConfig, resumeConfig, validateConfig,
} from '../../src/train/config.js';
import { ConfigError } from '../../src/errors.js';

const PRESETS = [
  'fashion-cdcgan', 'gaussian-1d', 'grid-25-wgan-gp', 'images-dcgan', 'mnist-cdcgan', 'mnist-dcgan', 'mnist-sngan', 'mnist-wgan-gp',
  'ring-8-gan', 'ring-8-wgan', 'ring-8-wgan-gp', 'stacked-mnist-dcgan',
];

describe('training config', () => {
  it('ships exactly the twelve presets, each resolving to a valid config', () => {
    expect(presetNames()).toEqual(PRESETS);
    // images-dcgan is for a folder of the user's: it needs --data-dir.
    for (const name of PRESETS) expect(() => resolveConfig(loadPreset(name), name === 'images-dcgan' ? { dataDir: 'photos' } : {})).not.toThrow();
  });

  it('layers defaults, then the preset, then flags given in camelCase or kebab-case', () => {
    const preset = loadPreset('ring-8-wgan-gp');
    const config = resolveConfig(preset, parseOverrides({ 'batch-size': '32', generatorLearningRate: '0.01', 'generator-hidden-units': '8,4' }));
    expect(config.batchSize).toBe(32);
    expect(config.generatorLearningRate).toBe(0.01);
    expect(config.generatorHiddenUnits).toEqual([8, 4]);
    expect(config.gradientPenaltyWeight).toBe(0.1); // from the preset
    expect(config.keepCheckpoints).toBe(DEFAULTS.keepCheckpoints); // from the defaults
  });

  it('rejects unknown keys, wrong types and out-of-range values with messages naming the key', () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'batch-sise': '3' }, "unknown config key '--batch-sise'"],
      [{ batchSize: 'many' }, "--batchSize: expected an integer in [1, 65536] but got 'many'"],
      [{ 'batch-size': '0' }, '--batchSize: expected an integer in [1, 65536] but got 0'],
      [{ steps: '2.5' }, '--steps: expected an integer >= 1 but got 2.5'],
      [{ loss: 'l2' }, "--loss: expected one of minimax, nonSaturating, wasserstein, hinge, leastSquares but got 'l2'"],
      [{ 'spectral-norm': 'yes' }, "--spectralNorm: expected true or false but got 'yes'"],
      [{ 'generator-learning-rate': '0' }, '--generatorLearningRate: expected a number in (0, 1] but got 0'],
      [{ 'generator-hidden-units': '8,x' }, "--generatorHiddenUnits: expected a non-empty list of integers in [1, 65536] (e.g. 64,64) but got '8,x'"],
    ];
    for (const [flags, message] of cases) {
      const run = () => parseOverrides(flags);
      expect(run).toThrow(ConfigError);
      expect(run).toThrow(message);
    }
  });

  it('suggests the nearest key for a misspelt one and names the preset file for a bad preset key', () => {
    expect(() => parseOverrides({ 'batch': '3' })).toThrow("unknown config key '--batch' (did you mean 'batchSize'?)");
    expect(() => loadPreset('ring-9')).toThrow(/^--preset: expected one of fashion-cdcgan, gaussian-1d, .* but got 'ring-9'$/);
  });

  it('rejects combinations that cannot train: toy data with a DCGAN, conditional toy data, clipping plus penalty', () => {
    expect(() => resolveConfig({ data: 'ring8', model: 'dcgan' })).toThrow("model: toy data 'ring8' needs model 'mlp' but got 'dcgan'");
    expect(() => resolveConfig({ data: 'mnist', model: 'mlp' })).toThrow("model: data 'mnist' needs model 'dcgan' but got 'mlp'");
    expect(() => resolveConfig({ conditional: true })).toThrow("conditional: data 'ring8' has no class labels (conditional runs: mnist, fashion-mnist, images with class subfolders)");
    expect(() => resolveConfig({ data: 'stacked-mnist', model: 'dcgan', channels: 3, conditional: true })).toThrow("conditional: data 'stacked-mnist' has no class labels");
    expect(() => resolveConfig({ data: 'mnist', model: 'dcgan', channels: 3 })).toThrow("imageSize/channels: data 'mnist' is 28x28 grey (imageSize 28, channels 1) but got imageSize 28, channels 3");
    expect(() => resolveConfig({ data: 'images', model: 'dcgan' })).toThrow("dataDir: data 'images' needs --data-dir, a folder of PNG/JPEG images");
    expect(() => resolveConfig({ weightClip: 0.01, gradientPenaltyWeight: 1 })).toThrow(ConfigError);
  });

  it('validates a whole config object read back from JSON, including missing keys', () => {
    const json = JSON.parse(JSON.stringify(DEFAULTS)) as Record<string, unknown>;
    expect(validateConfig(json)).toEqual(DEFAULTS);
    delete json.seed;
    expect(() => validateConfig(json, 'config.json: ')).toThrow("config.json: missing config key 'seed'");
  });

  it('resumes a checkpoint written before a key existed with that key at its default (the old behaviour)', () => {
    const saved = JSON.parse(JSON.stringify(resolveConfig(loadPreset('mnist-cdcgan')))) as Record<string, unknown>;
    delete saved.auxiliaryClassifierWeight; // a session-4 checkpoint has no such key
    const { config, changed } = resumeConfig(saved, 'old/step-000100');
    expect(config.auxiliaryClassifierWeight).toBe(0);
    expect(changed).toEqual([]);
    // A key the checkpoint has is still checked: a bad value is refused, not replaced.
    expect(() => resumeConfig({ ...saved, seed: -1 }, 'old/step-000100')).toThrow(/checkpoint old\/step-000100 config: .*seed/);
  });

  it('lists each difference as expected X but got Y, and marks model shape keys as architecture keys', () => {
    const a = resolveConfig({});
    const b = resolveConfig({ latentDim: 8, steps: 10 });
    expect(diffConfigs(a, b)).toEqual(['latentDim: expected 2 but got 8', 'steps: expected 2000 but got 10']);
    expect(diffConfigs(a, b, ARCHITECTURE_KEYS)).toEqual(['latentDim: expected 2 but got 8']);
    expect(ARCHITECTURE_KEYS).toContain('baseWidth');
    expect(ARCHITECTURE_KEYS).not.toContain('generatorLearningRate');
  });
});

describe('a config file of your own (gan train --config FILE.json)', () => {
  it('is validated like a preset, allows a description, and names itself in errors', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { loadConfigFile } = await import('../../src/train/config.js');
    const dir = mkdtempSync(join(tmpdir(), 'gan-config-'));
    try {
      const good = join(dir, 'mine.json');
      writeFileSync(good, JSON.stringify({ description: 'my ring', data: 'ring8', steps: 77, generatorHiddenUnits: [16, 16] }));
      const values = loadConfigFile(good);
      expect(values).toEqual({ data: 'ring8', steps: 77, generatorHiddenUnits: [16, 16] });
      // Layering: defaults <- preset <- file <- flags.
      expect(resolveConfig({ ...loadPreset('ring-8-gan'), ...values }, { steps: 5 })).toMatchObject({ steps: 5, generatorHiddenUnits: [16, 16], loss: 'nonSaturating' });
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ stepz: 3 }));
      expect(() => loadConfigFile(bad)).toThrow(`--config ${bad}: unknown config key 'stepz' (did you mean 'steps'?)`);
      writeFileSync(bad, '{ not json');
      expect(() => loadConfigFile(bad)).toThrow(new RegExp(`^--config ${bad.replace(/[/.]/g, '\\$&')}: not valid JSON`));
      expect(() => loadConfigFile(join(dir, 'missing.json'))).toThrow(ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
