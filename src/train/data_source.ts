// The training loop's data: real batches from a toy mixture or MNIST, with JSON state for exact resume.
import { Rng, type RngState } from '../random.js';
import { DataError } from '../errors.js';
import { toyDataset, type ToyDataset } from '../data/toy.js';
import { gatherBatch, loadMnist, type MnistData } from '../data/mnist.js';
import { EpochSampler, type EpochSamplerState } from '../data/sampler.js';
import type { TrainConfig } from './config.js';

/** A batch of real data: x [B, ...dataShape] row-major; labels [B] (class or mode index). */
export interface DataBatch {
  x: Float32Array;
  labels: Int32Array;
}

/** JSON state saved in checkpoints. */
export type DataState = { kind: 'toy'; rng: RngState } | { kind: 'mnist'; sampler: EpochSamplerState };

/** Where real batches come from. */
export interface DataSource {
  /** Human description for the log. */
  description: string;
  /** Toy mixture (for plots and toy metrics), or null for images. */
  toy: ToyDataset | null;
  next(batchSize: number): DataBatch;
  getState(): DataState;
  setState(state: DataState): void;
}

const DATA_SEED_SALT = 0x0da7a5;

/** Opens the data a config names (MNIST is read once into memory, ~190 MB as float32). */
export function openDataSource(config: TrainConfig): DataSource {
  if (config.data !== 'mnist') {
    const toy = toyDataset(config.data);
    let rng = new Rng(config.seed ^ DATA_SEED_SALT);
    return {
      description: `${toy.name}: ${toy.centers.length} mode${toy.centers.length > 1 ? 's' : ''} in ${toy.dim}D, std ${toy.std}`,
      toy,
      next(batchSize) {
        const { points, labels } = toy.sample(rng, batchSize);
        return { x: points, labels };
      },
      getState: () => ({ kind: 'toy', rng: rng.getState() }),
      setState(state) {
        if (state.kind !== 'toy') throw new DataError(`checkpoint data state: expected a toy sampler state but got '${state.kind}'`);
        rng = Rng.fromState(state.rng);
      },
    };
  }
  const data: MnistData = loadMnist({ split: 'train', ...(config.dataDir ? { dir: config.dataDir } : {}) });
  const sampler = new EpochSampler(data.count, config.seed ^ DATA_SEED_SALT);
  return {
    description: `${data.count} images ${data.height}x${data.width}x${data.channels} from ${data.imagesPath}`,
    toy: null,
    next(batchSize) {
      const { images, labels } = gatherBatch(data, sampler.next(batchSize));
      return { x: images, labels };
    },
    getState: () => ({ kind: 'mnist', sampler: sampler.getState() }),
    setState(state) {
      if (state.kind !== 'mnist') throw new DataError(`checkpoint data state: expected an MNIST sampler state but got '${state.kind}'`);
      sampler.setState(state.sampler);
    },
  };
}
