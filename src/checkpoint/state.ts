// state.json of a checkpoint: step, resolved config, RNG state, data position, optimizer metadata; validated on read.
import { CheckpointError } from '../errors.js';
import type { RngState } from '../random.js';
import type { OptimizerStateJson } from './optimizer_state.js';

/** The names of the two networks, as used for optimizer slot owners and file names. */
export const NETWORKS = ['generator', 'discriminator'] as const;
export type NetworkName = (typeof NETWORKS)[number];

/** Everything of a checkpoint that is not a tensor. */
export interface StateJson {
  step: number;
  /** The resolved training config (JSON). */
  config: unknown;
  rng: RngState;
  /** Data sampler position (JSON), e.g. `EpochSampler.getState()`. */
  data: unknown;
  /** Anything else the caller wants back (JSON). */
  extra: unknown;
  /** Whether ema-generator/ holds an exponential moving average of the generator's weights. */
  ema: boolean;
  optimizers: Record<NetworkName, OptimizerStateJson>;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** Checks that a parsed RNG state is four uint32 words and a spare normal (or null). */
export function isRngState(x: unknown): x is RngState {
  if (!isObject(x) || !Array.isArray(x.s) || x.s.length !== 4) return false;
  if (!x.s.every((w) => isCount(w) && w <= 0xffffffff) || x.s.every((w) => w === 0)) return false;
  return x.spare === null || (typeof x.spare === 'number' && Number.isFinite(x.spare));
}

function checkOptimizer(x: unknown, where: string): OptimizerStateJson {
  const fail = (what: string) => new CheckpointError(`${where}: ${what}`);
  if (!isObject(x)) throw fail('expected an object');
  if (typeof x.className !== 'string' || !isObject(x.config)) throw fail('className or config is missing');
  if (!isCount(x.iterations)) throw fail(`iterations must be a non-negative integer, got ${JSON.stringify(x.iterations)}`);
  if (!isObject(x.scalars) || !Object.values(x.scalars).every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw fail('scalars must map names to finite numbers');
  }
  if (!Array.isArray(x.slots)) throw fail('slots is missing');
  x.slots.forEach((slot: unknown, i) => {
    const s = slot as Record<string, unknown>;
    const shapeOk = Array.isArray(s?.shape) && s.shape.length <= 8 && s.shape.every((d) => isCount(d) && d < 2 ** 31);
    if (!isObject(s) || typeof s.suffix !== 'string' || typeof s.name !== 'string' || !shapeOk) throw fail(`slot ${i} lacks suffix, name or a valid shape`);
    const owner = s.owner;
    if (owner !== null && !(isObject(owner) && (NETWORKS as readonly unknown[]).includes(owner.model) && isCount(owner.index))) {
      throw fail(`slot ${i} has an invalid owner ${JSON.stringify(owner)}`);
    }
  });
  return x as unknown as OptimizerStateJson;
}

/** Parses and validates state.json; `label` names the file in errors. */
export function parseStateJson(bytes: Uint8Array, label: string): StateJson {
  let x: unknown;
  try {
    x = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new CheckpointError(`${label} is not valid JSON (${(e as Error).message})`);
  }
  const fail = (what: string) => new CheckpointError(`${label}: ${what}`);
  if (!isObject(x)) throw fail('expected a JSON object');
  if (!isCount(x.step)) throw fail(`step must be a non-negative integer, got ${JSON.stringify(x.step)}`);
  if (!isRngState(x.rng)) throw fail('rng is not a valid RNG state (four uint32 words, not all zero, and spare)');
  if (typeof x.ema !== 'boolean') throw fail('ema must be true or false');
  if (!isObject(x.optimizers)) throw fail('optimizers is missing');
  const optimizers = x.optimizers;
  for (const net of NETWORKS) checkOptimizer(optimizers[net], `${label}: optimizers.${net}`);
  return { ...x, data: x.data ?? null, extra: x.extra ?? null, config: x.config ?? null } as unknown as StateJson;
}
