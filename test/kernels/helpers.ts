// Shared by the wasm kernel tests: random conv2d configurations, a two-sided tolerance check, a leak check.
import { expect } from 'vitest';
import type { Tensor4D } from '@tensorflow/tfjs';
import type { Rng } from '../../src/random.js';
import { tf } from '../../src/tf.js';

export type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];

/** One conv2d configuration: x [batch, h, w, inChannels], filter [kh, kw, inChannels, outChannels]. */
export interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: Pad;
}

/** Random cases: odd and even sizes, strides 1 and 2, same/valid/explicit/numeric padding, batch and channels > 1. */
export function randomConvCases(rng: Rng, n: number): ConvCase[] {
  const cases: ConvCase[] = [];
  for (let i = 0; i < n; i++) {
    const kh = 1 + rng.int(5);
    const kw = 1 + rng.int(5);
    const stride = 1 + rng.int(2);
    const h = kh + rng.int(8);
    const w = kw + rng.int(8);
    const kind = i % 4;
    const pad: Pad = kind === 0 ? 'same' : kind === 1 ? 'valid'
      : kind === 2 ? [[0, 0], [rng.int(3), rng.int(3)], [rng.int(3), rng.int(3)], [0, 0]]
      : rng.int(3);
    // tfjs-core 4.22 miscomputes the output width of a numeric pad for non-square filters: keep those square.
    const filter: ConvCase['filter'] = [kh, kind === 3 ? kh : kw, 1 + rng.int(4), 1 + rng.int(4)];
    cases.push({ x: [1 + rng.int(3), h, kind === 3 ? Math.max(w, kh) : w, filter[2]], filter, stride, pad });
  }
  return cases;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** max over i of |a - b| / (atol + rtol |b|): <= 1 means every element is within the two-sided tolerance. */
export function worstRatio(a: Float32Array, b: Float32Array, atol: number, rtol: number): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (atol + rtol * Math.abs(b[i]!)));
  return worst;
}

/** Shape of conv2d(x, filter) for a case, [batch, outHeight, outWidth, outChannels]. */
export function convOutShape(c: ConvCase): [number, number, number, number] {
  return tf.tidy(() => tf.conv2d(tf.zeros(c.x) as Tensor4D, tf.zeros(c.filter) as Tensor4D, c.stride, c.pad).shape);
}

/** Runs `work` (which must dispose what it makes) and asserts no tensor is left in the engine or the backend heap. */
export function expectNoLeak(work: () => void): void {
  const backend = tf.backend() as unknown as { numDataIds(): number };
  const before = [tf.memory().numTensors, backend.numDataIds()];
  work();
  expect([tf.memory().numTensors, backend.numDataIds()]).toEqual(before);
}
