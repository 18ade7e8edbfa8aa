// The softmax cross-entropy that D's heads (class, rotation, latent code) are trained with, written out by hand, to
// check the steps' losses against.
import type * as tfjs from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Mean softmax cross-entropy, written out: -mean_b log softmax(logits_b)[label_b]. */
export async function crossEntropy(logits: tfjs.Tensor, labels: number[]): Promise<number> {
  const rows = await logits.array() as number[][];
  let total = 0;
  rows.forEach((row, b) => {
    const max = Math.max(...row);
    total += max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) - row[labels[b]!]!;
  });
  return total / rows.length;
}

/**
 * float32 logits through convs (and BatchNorm) and a softmax: sums of O(1) terms, so 1e-5 absolute + 1e-4 relative,
 * checked on both sides.
 */
export function expectClose(got: number, want: number): void {
  expect(Math.abs(got - want)).toBeLessThan(1e-5 + 1e-4 * Math.abs(want));
}
