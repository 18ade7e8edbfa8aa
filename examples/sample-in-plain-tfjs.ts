// A trained generator in a plain TensorFlow.js program: no tfjs-gan API, only tf.loadLayersModel on the checkpoint's
// model.json (the same files a browser page loads). Custom layers (spectral norm, unfused conv/dense) are registered
// by importing tfjs-gan's layers once; a generator without them needs no import at all.
//   npx tsx examples/sample-in-plain-tfjs.ts RUN_DIR/checkpoints/step-002000
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import 'tfjs-gan/layers'; // registers the toolkit's layer classes (in this repo: ../src/layers/index.js)

const checkpoint = process.argv[2];
if (!checkpoint) throw new Error('usage: npx tsx examples/sample-in-plain-tfjs.ts CHECKPOINT_DIR');
await tf.setBackend('cpu');
// model.json + weights.bin as plain bytes: the browser's tf.loadLayersModel('.../model.json') reads the same files.
const dir = join(checkpoint, 'generator');
const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
const weights = readFileSync(join(dir, 'weights.bin'));
const generator = await tf.loadLayersModel(tf.io.fromMemory({
  modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
  weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
}));
const latentDim = generator.inputs[0]!.shape[1]!;
const inputs = generator.inputs.length === 2
  ? [tf.randomNormal([4, latentDim]), tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), generator.inputs[1]!.shape[1]!).toFloat()]
  : tf.randomNormal([4, latentDim]);
const samples = generator.predict(inputs) as tf.Tensor;
console.log(`4 samples of shape [${samples.shape.slice(1).join(', ')}], values in [${(await samples.min().data())[0]!.toFixed(2)}, ${(await samples.max().data())[0]!.toFixed(2)}]`);
