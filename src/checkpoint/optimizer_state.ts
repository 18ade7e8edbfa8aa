// Full optimizer state (Adam moments, iteration count, bias-correction accumulators) as JSON + float32 tensors.
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { CheckpointError } from '../errors.js';

/** One slot variable (e.g. Adam's first moment of one weight), tied to the model weight it belongs to. */
export interface OptimizerSlotInfo {
  /** The slot's name suffix after the weight name: 'm', 'v' (Adam), 'rms', 'momentum', ... */
  suffix: string;
  /** Which model and which index into `model.weights` the slot belongs to; null when it matched no model weight. */
  owner: { model: string; index: number } | null;
  /** The slot's name when saved (used as is when `owner` is null). */
  name: string;
  shape: number[];
}

/** The JSON half of a saved optimizer; the slot values follow in a float32 blob, in `slots` order. */
export interface OptimizerStateJson {
  /** Registered tfjs class name: 'Adam', 'SGD', 'RMSProp', ... */
  className: string;
  /** `optimizer.getConfig()`: learning rate, betas, epsilon (resolved, so a backend change cannot alter it). */
  config: Record<string, unknown>;
  /** Number of applyGradients calls so far. */
  iterations: number;
  /**
   * Scalar variables the optimizer keeps besides its slots (Adam: accBeta1 = beta1^(t+1), accBeta2), as float32
   * values. tfjs's own setWeights recomputes them with pow(), which differs in the last bit from the running product
   * an uninterrupted run has, so they are saved and restored exactly.
   */
  scalars: Record<string, number>;
  slots: OptimizerSlotInfo[];
}

// Private scalar variables of tfjs optimizers that are not part of getWeights() (Adam, Adamax).
const SCALAR_FIELDS = ['accBeta1', 'accBeta2', 'iteration'] as const;

function scalarFields(optimizer: TF.Optimizer): Map<string, TF.Variable> {
  const found = new Map<string, TF.Variable>();
  const record = optimizer as unknown as Record<string, unknown>;
  for (const field of SCALAR_FIELDS) {
    const v = record[field];
    if (v instanceof tf.Variable && v.size === 1) found.set(field, v);
  }
  return found;
}

/**
 * Reads an optimizer's complete state. `models` maps names ('generator', ...) to the models whose weights the
 * optimizer trains, so each slot is recorded by (model, weight index) rather than by a variable name that changes
 * when the model is rebuilt. Returns JSON plus the slot values concatenated as float32.
 */
export async function captureOptimizerState(
  optimizer: TF.Optimizer,
  models: Record<string, TF.LayersModel>,
): Promise<{ json: OptimizerStateJson; data: Float32Array }> {
  const className = optimizer.getClassName();
  const named = await optimizer.getWeights();
  const [iterationsTensor, ...slots] = named;
  if (!iterationsTensor) throw new CheckpointError(`optimizer ${className} returned no state from getWeights()`);
  const iterations = (await iterationsTensor.tensor.data())[0]!;
  iterationsTensor.tensor.dispose();
  const weightIndex = new Map<string, { model: string; index: number }>();
  for (const [model, m] of Object.entries(models)) m.weights.forEach((w, index) => weightIndex.set(w.name, { model, index }));
  const infos: OptimizerSlotInfo[] = [];
  let total = 0;
  for (const slot of slots) {
    if (slot.tensor.dtype !== 'float32') throw new CheckpointError(`optimizer slot ${slot.name} has dtype ${slot.tensor.dtype}; only float32 is supported`);
    const cut = slot.name.lastIndexOf('/');
    const owner = cut > 0 ? weightIndex.get(slot.name.slice(0, cut)) ?? null : null;
    infos.push({ suffix: cut > 0 ? slot.name.slice(cut + 1) : '', owner, name: slot.name, shape: [...slot.tensor.shape] });
    total += slot.tensor.size;
  }
  const data = new Float32Array(total);
  let offset = 0;
  for (const slot of slots) {
    data.set(await slot.tensor.data() as Float32Array, offset);
    offset += slot.tensor.size;
  }
  const scalars: Record<string, number> = {};
  for (const [field, v] of scalarFields(optimizer)) scalars[field] = (await v.data())[0]!;
  const config = optimizer.getConfig() as Record<string, unknown>;
  return { json: { className, config, iterations, scalars, slots: infos }, data };
}

/** Whether two shapes are equal (layer weight shapes may contain null, which equals nothing). */
export function sameShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d !== null && d === b[i]);
}

/** Number of float32 values the slots of a saved optimizer hold. */
export function optimizerStateSize(json: OptimizerStateJson): number {
  return json.slots.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

/** Builds a fresh optimizer of the saved class and config (e.g. `tf.train.adam(lr, beta1, beta2, epsilon)`). */
export function createOptimizer(json: OptimizerStateJson, label: string): TF.Optimizer {
  // Own keys only: a crafted name such as 'constructor' or '__proto__' must not reach Object.prototype.
  const registered = tf.serialization.SerializationMap.getMap().classNameMap;
  const entry = Object.hasOwn(registered, json.className) ? registered[json.className] : undefined;
  if (!entry) throw new CheckpointError(`${label}: unknown optimizer class '${json.className}'`);
  const [cls, fromConfig] = entry;
  if (!(cls.prototype instanceof tf.Optimizer)) throw new CheckpointError(`${label}: class '${json.className}' is not an optimizer`);
  let optimizer: unknown;
  try {
    optimizer = fromConfig(cls, json.config as TF.serialization.ConfigDict);
  } catch (e) {
    throw new CheckpointError(`${label}: cannot create a ${json.className} optimizer from its config (${String((e as Error)?.message ?? e).split('\n')[0]})`);
  }
  if (!(optimizer instanceof tf.Optimizer)) throw new CheckpointError(`${label}: class '${json.className}' is not an optimizer`);
  return optimizer;
}

/**
 * Restores a state captured by `captureOptimizerState` into `optimizer` (fresh, or its old slots are disposed),
 * mapping each slot onto the same weight of the (rebuilt) `models`. After this the next applyGradients is the one
 * the uninterrupted run would have taken, bit for bit.
 */
export async function restoreOptimizerState(
  optimizer: TF.Optimizer,
  json: OptimizerStateJson,
  data: Float32Array,
  models: Record<string, TF.LayersModel>,
  label: string,
): Promise<void> {
  if (optimizer.getClassName() !== json.className) {
    throw new CheckpointError(`${label}: expected a ${json.className} optimizer but got ${optimizer.getClassName()}`);
  }
  if (optimizerStateSize(json) !== data.length) {
    throw new CheckpointError(`${label}: expected ${optimizerStateSize(json)} slot values but found ${data.length}`);
  }
  const named: { name: string; tensor: TF.Tensor }[] = [];
  let offset = 0;
  for (const [i, slot] of json.slots.entries()) {
    let name = slot.name;
    if (slot.owner) {
      const model = models[slot.owner.model];
      const weight = model?.weights[slot.owner.index];
      if (!weight) throw new CheckpointError(`${label}: slot ${i} belongs to ${slot.owner.model} weight ${slot.owner.index}, which the model does not have`);
      if (!sameShape(weight.shape, slot.shape)) {
        throw new CheckpointError(`${label}: slot ${i} (${slot.suffix} of ${weight.originalName}) has shape [${slot.shape}] but the weight has shape [${weight.shape}]`);
      }
      name = `${weight.name}/${slot.suffix}`;
    }
    const size = slot.shape.reduce((a, b) => a * b, 1);
    named.push({ name, tensor: tf.tensor(data.slice(offset, offset + size), slot.shape, 'float32') });
    offset += size;
  }
  const old = await optimizer.getWeights();
  tf.dispose(old.map((w) => w.tensor));
  const iterations = tf.scalar(json.iterations, 'int32');
  await optimizer.setWeights([{ name: 'iter', tensor: iterations }, ...named]);
  tf.dispose([iterations, ...named.map((n) => n.tensor)]);
  const fields = scalarFields(optimizer);
  for (const [field, value] of Object.entries(json.scalars)) {
    const v = fields.get(field);
    if (!v) throw new CheckpointError(`${label}: the ${json.className} optimizer has no '${field}' to restore`);
    tf.tidy(() => v.assign(tf.scalar(value, v.dtype).reshape(v.shape)));
  }
}
