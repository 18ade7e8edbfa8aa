// Which digit classes each InfoGAN code of an MNIST checkpoint draws: for each code, 2,000 samples with that code
// forced (its entry of z set to +5, the other code entries to -5; the continuous entries N(0, 1), seed = code),
// classified by the shipped MNIST classifier. Prints each code's class histogram and the share of samples in their
// code's most frequent class (1.0 when each code draws one digit).
// Usage: npx tsx scripts/infogan-codes.ts CHECKPOINT_OR_RUN_DIR
import { generate, generatorSignature, initBackend, LatentCode, loadGenerator, Rng } from '../src/index.js';
import { loadMnistClassifier } from '../src/eval/classifier.js';
import { classifyImages } from '../src/eval/mnist.js';

const path = process.argv[2];
if (!path) throw new Error('usage: npx tsx scripts/infogan-codes.ts CHECKPOINT_OR_RUN_DIR');
await initBackend('wasm');
const { generator, step } = await loadGenerator(path);
const codes = (generator.layers.find((l) => l instanceof LatentCode) as LatentCode | undefined)?.categories;
if (!codes) throw new Error(`${path}: the generator has no latent code`);
const dim = generatorSignature(generator).latentDim, continuous = dim - codes, n = 2000;
const classifier = await loadMnistClassifier();
let inTop = 0;
for (let c = 0; c < codes; c++) {
  const z = new Rng(c).normalArray(n * dim);
  for (let i = 0; i < n; i++) for (let k = 0; k < codes; k++) z[i * dim + continuous + k] = k === c ? 5 : -5;
  const { probs } = await classifyImages(classifier, await generate(generator, z, null));
  const histogram = new Array<number>(10).fill(0);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < 10; j++) if (probs[i * 10 + j]! > probs[i * 10 + best]!) best = j;
    histogram[best]!++;
  }
  const top = Math.max(...histogram);
  inTop += top;
  console.log(`step ${step} code ${c}: most frequent class ${histogram.indexOf(top)} (${(100 * top / n).toFixed(0)}%), classes 0-9: ${histogram.join(' ')}`);
}
console.log(`share of samples in their code's most frequent class: ${(100 * inTop / (codes * n)).toFixed(1)}%`);
