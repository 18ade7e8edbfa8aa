// The caller's own data for train(): a tf.data.Dataset or any (async) iterable of batches, drawn ahead of each step
// (the step itself is synchronous, so it never waits on an iterator). Exact resume is not possible for such data:
// a resumed run starts the data again from the beginning (the Rng, models and optimizers still resume exactly).
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { DataError } from '../errors.js';
import type { DataSource, DataState } from './data_source.js';

/** One batch of the caller's data: x [batch, ...] in the generator's output range; labels [batch] class indices. */
export interface UserBatch {
  x: TF.Tensor | Float32Array;
  labels?: TF.Tensor | Int32Array;
}

/** What train() accepts as `data`: a tf.data.Dataset of UserBatch, or an (async) iterable of them. */
export type UserData = TF.data.Dataset<TF.TensorContainer> | AsyncIterable<UserBatch> | Iterable<UserBatch>;

/**
 * A DataSource over user data. `shape` is one example's shape (the discriminator's input without the batch axis),
 * used for Float32Array batches. Each epoch restarts the iterable (a Dataset's iterator, or [Symbol.asyncIterator]).
 */
export function userDataSource(data: UserData, shape: number[]): DataSource & { prepare(batches: number): Promise<void>; take(): { x: TF.Tensor; labels?: TF.Tensor } } {
  let iterator: AsyncIterator<UserBatch> | Iterator<UserBatch> | null = null;
  const queue: { x: TF.Tensor; labels?: TF.Tensor }[] = [];
  const open = async () => {
    if ('iterator' in data && typeof data.iterator === 'function') {
      const it = await (data as TF.data.Dataset<TF.TensorContainer>).iterator();
      return { next: () => it.next() } as unknown as AsyncIterator<UserBatch>;
    }
    if (Symbol.asyncIterator in data) return (data as AsyncIterable<UserBatch>)[Symbol.asyncIterator]();
    if (Symbol.iterator in data) return (data as Iterable<UserBatch>)[Symbol.iterator]();
    throw new DataError('data: expected a tf.data.Dataset or an (async) iterable of { x, labels? } batches');
  };
  const toTensors = (batch: UserBatch, index: number) => {
    if (!batch || (batch.x === undefined)) throw new DataError(`data batch ${index}: expected { x, labels? } but got ${JSON.stringify(batch)?.slice(0, 80)}`);
    const x = batch.x instanceof Float32Array ? tf.tensor(batch.x, [batch.x.length / shape.reduce((a, b) => a * b, 1), ...shape]) : batch.x;
    if (x.shape.slice(1).join() !== shape.join()) throw new DataError(`data batch ${index}: expected x of shape [batch, ${shape.join(', ')}] but got [${x.shape.join(', ')}]`);
    const labels = batch.labels === undefined ? undefined : batch.labels instanceof Int32Array ? tf.tensor1d(batch.labels, 'int32') : batch.labels;
    return labels ? { x, labels } : { x };
  };
  let drawn = 0, epochs = 0, lastEpoch = 0;
  return {
    description: 'data given to train() by the caller',
    toy: null,
    classNames: [],
    async prepare(batches) {
      while (queue.length < batches) {
        iterator ??= await open();
        const r = await iterator.next();
        if (r.done) {
          if (drawn === 0) {
            throw new DataError(epochs === 0 ? 'data: the dataset is empty'
              : `data: the iterable ended after ${lastEpoch} batches and did not start over (a generator object runs once); pass a tf.data.Dataset or an object whose [Symbol.asyncIterator]() starts a new pass`);
          }
          iterator = null; // the next epoch
          lastEpoch = drawn;
          drawn = 0;
          epochs++;
          continue;
        }
        queue.push(toTensors(r.value, drawn++));
      }
    },
    take() {
      const batch = queue.shift();
      if (!batch) throw new Error('user data: take() before prepare()');
      return batch;
    },
    next() {
      throw new DataError('user data is drawn with prepare()/take(), not next()');
    },
    getState: (): DataState => ({ kind: 'user' }),
    setState() {},
  };
}
