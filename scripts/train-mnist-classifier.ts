// Trains the small MNIST CNN used by evaluation (classifier score, Fréchet distance, coverage) and saves it
// to assets/mnist-classifier/. Runs on wasm: convolutions get their filter gradient from a forward conv2d
// (stock wasm 4.22 lacks Conv2DBackpropFilter), so the training loop uses raw variables and copies them into a
// LayersModel. The toolkit has since registered its own wasm Conv2DBackpropFilter (src/kernels/wasm/); this script
// keeps the gradient it was written with, so the command still repeats the computation behind the shipped weights.
// Usage: npx tsx scripts/train-mnist-classifier.ts [--steps 2114] [--decay-step 1214] [--batch-size 64] [--seed 1] [--out DIR]
//        [--data-dir DIR]   (another set in MNIST's IDX format: Fashion-MNIST's classifier is
//        --data-dir /usr/share/datasets/fashion-mnist --out assets/fashion-classifier)
// Adam at 1e-3, then a fresh Adam at 3e-4 from --decay-step on; batches of 64 in seeded epoch order, dropout 0.25.
import { parseArgs } from 'node:util';
import type { GradSaveFunc, Scalar, Tensor, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs';
import { tf, initBackend } from '../src/tf.js';
import { Rng } from '../src/random.js';
import { loadMnist, gatherBatch } from '../src/data/mnist.js';
import { EpochSampler } from '../src/data/sampler.js';
import { buildMnistClassifier, CLASSIFIER_CONV_FILTERS, CLASSIFIER_FEATURES, CLASSIFIER_KERNEL_SIZES } from '../src/eval/classifier.js';
import { saveModel } from '../src/models/io.js';

const { values } = parseArgs({ options: {
  steps: { type: 'string', default: '2114' }, 'decay-step': { type: 'string', default: '1214' }, 'batch-size': { type: 'string', default: '64' }, seed: { type: 'string', default: '1' },
  out: { type: 'string', default: 'assets/mnist-classifier' }, backend: { type: 'string', default: 'wasm' }, limit: { type: 'string' },
  'data-dir': { type: 'string' },
} });
const totalSteps = Number(values.steps), decayStep = Number(values['decay-step']), batchSize = Number(values['batch-size']), seed = Number(values.seed);
const info = await initBackend(values.backend as 'wasm');
console.error(`backend: ${info.name} (${info.device})`);

// conv2d (stride 1, 'same', odd square kernel) whose gradients use only forward convolutions.
const conv = tf.customGrad((x, w, save) => {
  (save as GradSaveFunc)([x as Tensor4D, w as Tensor4D]);
  return {
    value: tf.conv2d(x as Tensor4D, w as Tensor4D, 1, 'same'),
    gradFunc: (dy, saved) => {
      const [xs, ws] = saved as [Tensor4D, Tensor4D];
      const k = ws.shape[0], pad = (k - 1) / 2;
      const d = dy as Tensor4D;
      // dx: 'same' conv of dy with the flipped kernel, in/out channels swapped.
      const dx = tf.conv2d(d, tf.reverse(ws, [0, 1]).transpose([0, 1, 3, 2]) as Tensor4D, 1, 'same');
      // dw[kh,kw,ci,co] = sum_{b,i,j} xpad[b,i+kh,j+kw,ci] dy[b,i,j,co]: a valid conv with batch and channels swapped.
      const xT = tf.pad(xs, [[0, 0], [pad, pad], [pad, pad], [0, 0]]).transpose([3, 1, 2, 0]) as Tensor4D;
      const dw = tf.conv2d(xT, d.transpose([1, 2, 0, 3]) as Tensor4D, 1, 'valid').transpose([1, 2, 0, 3]);
      return [dx, dw];
    },
  };
});

const rng = new Rng(seed);
function glorot(shape: number[], fanIn: number, fanOut: number): Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.variable(tf.tensor(rng.uniformArray(shape.reduce((a, b) => a * b, 1), -limit, limit), shape));
}
const [c1, c2] = CLASSIFIER_CONV_FILTERS;
const [k1, k2] = CLASSIFIER_KERNEL_SIZES;
const flat = 7 * 7 * c2;
const params = [
  glorot([k1, k1, 1, c1], k1 * k1, k1 * k1 * c1), tf.variable(tf.zeros([c1])),
  glorot([k2, k2, c1, c2], k2 * k2 * c1, k2 * k2 * c2), tf.variable(tf.zeros([c2])),
  glorot([flat, CLASSIFIER_FEATURES], flat, CLASSIFIER_FEATURES), tf.variable(tf.zeros([CLASSIFIER_FEATURES])),
  glorot([CLASSIFIER_FEATURES, 10], CLASSIFIER_FEATURES, 10), tf.variable(tf.zeros([10])),
] as Variable[];
const [W1, b1, W2, b2, W3, b3, W4, b4] = params as [Variable, Variable, Variable, Variable, Variable, Variable, Variable, Variable];

function logits(x: Tensor4D, dropoutMask?: Tensor): Tensor2D {
  const h1 = tf.maxPool(tf.relu(tf.add(conv(x, W1), b1)) as Tensor4D, 2, 2, 'valid');
  const h2 = tf.maxPool(tf.relu(tf.add(conv(h1, W2), b2)) as Tensor4D, 2, 2, 'valid');
  let f = tf.relu(tf.add(tf.matMul(h2.reshape([-1, flat]), W3), b3));
  if (dropoutMask) f = tf.mul(f, dropoutMask);
  return tf.add(tf.matMul(f, W4), b4) as Tensor2D;
}

const dir = values['data-dir'] ? { dir: values['data-dir'] } : {};
const train = loadMnist({ split: 'train', ...dir, ...(values.limit ? { limit: Number(values.limit) } : {}) });
const test = loadMnist({ split: 'test', ...dir });
const sampler = new EpochSampler(train.count, seed);
const stepsPerEpoch = Math.floor(train.count / batchSize);
const keep = 0.75; // dropout 0.25 on the feature layer
const start = Date.now();
let optimizer = tf.train.adam(1e-3);
for (let step = 0; step < totalSteps; step++) {
  if (step === decayStep) optimizer = tf.train.adam(3e-4);
  const { images, labels } = gatherBatch(train, sampler.next(batchSize));
  const mask = Float32Array.from({ length: batchSize * CLASSIFIER_FEATURES }, () => (rng.uniform() < keep ? 1 / keep : 0));
  const loss = tf.tidy(() => {
    const x = tf.tensor4d(images, [batchSize, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
    const m = tf.tensor2d(mask, [batchSize, CLASSIFIER_FEATURES]);
    return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, logits(x, m)) as Scalar, true, params)!;
  });
  if (step % 100 === 0 || step === totalSteps - 1) {
    const s = (Date.now() - start) / 1000;
    console.error(`step ${step}/${totalSteps} epoch ${(step / stepsPerEpoch).toFixed(2)} loss ${(await loss.data())[0]!.toFixed(4)} ${s.toFixed(0)}s`);
  }
  loss.dispose();
}

// Copy into the LayersModel (same layer order) and measure test accuracy with it, as evaluation will use it.
const model = buildMnistClassifier();
model.setWeights(params);
let correct = 0;
for (let i = 0; i < test.count; i += 500) {
  const n = Math.min(500, test.count - i);
  const pred = tf.tidy(() => (model.predict(tf.tensor4d(test.images.subarray(i * 784, (i + n) * 784), [n, 28, 28, 1])) as Tensor).argMax(1));
  const p = await pred.data();
  for (let j = 0; j < n; j++) if (p[j] === test.labels[i + j]) correct++;
  pred.dispose();
}
const accuracy = correct / test.count;
await saveModel(model, values.out!);
console.log(`test accuracy: ${(100 * accuracy).toFixed(2)}% (${correct}/${test.count}); ${totalSteps} steps, ${((Date.now() - start) / 1000).toFixed(0)} s on ${info.name}; saved to ${values.out}`);
