// Seeded epoch sampler: each epoch is a fresh Fisher-Yates permutation; its state is JSON, so resume is exact.
import { DataError } from '../errors.js';
import { Rng, type RngState } from '../random.js';

/** JSON state of an EpochSampler: the RNG state that produced the current epoch's order, and the position in it. */
export interface EpochSamplerState {
  count: number;
  epoch: number;
  position: number;
  epochRng: RngState;
}

/**
 * Visits indices 0..count-1 in a seeded random order, every index exactly once per epoch.
 * Batches run across epoch boundaries (the tail of one epoch, then the head of the next), so every batch is full.
 */
export class EpochSampler {
  readonly count: number;
  private rng: Rng;
  private order: Uint32Array;
  private epochRng!: RngState;
  private _epoch = 0;
  private position = 0;

  constructor(count: number, seed: number) {
    if (!Number.isInteger(count) || count < 1) throw new DataError(`EpochSampler: expected a positive integer count but got ${count}`);
    this.count = count;
    this.rng = new Rng(seed);
    this.order = new Uint32Array(count);
    this.shuffle();
  }

  /** Completed epochs so far (0 during the first). */
  get epoch(): number {
    return this._epoch;
  }

  private shuffle(): void {
    this.epochRng = this.rng.getState();
    for (let i = 0; i < this.count; i++) this.order[i] = i;
    this.rng.shuffle(this.order);
  }

  /** The next `batchSize` indices. */
  next(batchSize: number): Uint32Array {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new DataError(`EpochSampler.next: expected a positive integer batch size but got ${batchSize}`);
    const out = new Uint32Array(batchSize);
    for (let b = 0; b < batchSize; b++) {
      if (this.position === this.count) {
        this._epoch++;
        this.position = 0;
        this.shuffle();
      }
      out[b] = this.order[this.position++]!;
    }
    return out;
  }

  getState(): EpochSamplerState {
    return { count: this.count, epoch: this._epoch, position: this.position, epochRng: structuredClone(this.epochRng) };
  }

  /** Restores a state from getState() (e.g. read from a checkpoint). DataError when it does not fit this dataset. */
  setState(state: EpochSamplerState): void {
    const s = state as Partial<EpochSamplerState> | null;
    if (s === null || typeof s !== 'object') throw new DataError('sampler state: expected an object');
    if (s.count !== this.count) throw new DataError(`sampler state: expected count ${this.count} (this dataset) but got ${String(s.count)}`);
    if (!Number.isInteger(s.epoch) || s.epoch! < 0) throw new DataError(`sampler state: expected a non-negative integer epoch but got ${String(s.epoch)}`);
    if (!Number.isInteger(s.position) || s.position! < 0 || s.position! > this.count) {
      throw new DataError(`sampler state: expected position in [0, ${this.count}] but got ${String(s.position)}`);
    }
    const r = s.epochRng;
    const words = r?.s;
    if (!Array.isArray(words) || words.length !== 4 || !words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
      throw new DataError('sampler state: expected epochRng.s to be four uint32 words');
    }
    if (!(r!.spare === null || typeof r!.spare === 'number')) throw new DataError('sampler state: expected epochRng.spare to be a number or null');
    this.rng.setState(r!);
    this.shuffle();
    this._epoch = s.epoch!;
    this.position = s.position!;
  }
}
