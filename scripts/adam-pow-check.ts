// Shows why checkpoints save Adam's beta^t accumulators: lists the t <= 200 at which tfjs's pow(beta, t + 1) (what
// Adam.setWeights recomputes) differs from the running float32 product an uninterrupted run holds.
// Usage: npx tsx scripts/adam-pow-check.ts [--backend cpu]
import { parseArgs } from 'node:util';
import type * as TF from '@tensorflow/tfjs';
import { initBackend, parseBackendChoice, tf } from '../src/tf.js';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'cpu' } } });
await initBackend(parseBackendChoice(values.backend!));
for (const beta of [0.9, 0.99, 0.999]) {
  let product: TF.Tensor = tf.scalar(beta);
  const differs: number[] = [];
  for (let t = 1; t <= 200; t++) {
    const next = tf.mul(product, beta);
    product.dispose();
    product = next;
    const recomputed = tf.pow(beta, t + 1);
    if (recomputed.dataSync()[0] !== product.dataSync()[0]) differs.push(t);
    recomputed.dispose();
  }
  product.dispose();
  process.stdout.write(`beta ${beta}: differs at ${differs.length} of 200 steps; first: ${differs.slice(0, 8).join(', ')}\n`);
}
