// Your own networks and your own data with train(): a tf.sequential generator and critic on points from a ring of
// 8 Gaussians you draw yourself, with fit-style callbacks.
//   npx tsx examples/own-models.ts [steps] [runDir]
import { initBackend, resolveConfig, tf, train } from 'tfjs-gan';

const steps = Number(process.argv[2] ?? 1000);
const runDir = process.argv[3] ?? 'runs/own-models';
await initBackend(); // GAN_BACKEND, else auto

// G: z [batch, 2] -> point [batch, 2]. D: point -> one logit. Any LayersModel works, custom layers included.
const generator = tf.sequential({ layers: [
  tf.layers.dense({ inputShape: [2], units: 64, activation: 'relu' }),
  tf.layers.dense({ units: 64, activation: 'relu' }),
  tf.layers.dense({ units: 2 }),
] });
const discriminator = tf.sequential({ layers: [
  tf.layers.dense({ inputShape: [2], units: 64, activation: 'relu' }),
  tf.layers.dense({ units: 64, activation: 'relu' }),
  tf.layers.dense({ units: 1 }),
] });

// Your data: a tf.data.Dataset, or an (async) iterable of { x } batches that starts a new pass each time it is
// iterated (an epoch). Here each pass is 100 batches of 128 ring points.
async function* ring() {
  for (let b = 0; b < 100; b++) {
    const x = new Float32Array(128 * 2);
    for (let i = 0; i < 128; i++) {
      const angle = (2 * Math.PI * Math.floor(Math.random() * 8)) / 8;
      x[2 * i] = 2 * Math.cos(angle) + 0.05 * (Math.random() - 0.5);
      x[2 * i + 1] = 2 * Math.sin(angle) + 0.05 * (Math.random() - 0.5);
    }
    yield { x };
  }
}

// 'custom' data: the config's model keys are unused; the loss, optimizer and schedule keys apply as usual.
const config = resolveConfig({
  data: 'custom', loss: 'nonSaturating', latentDim: 2, steps, batchSize: 128,
  generatorLearningRate: 1e-3, discriminatorLearningRate: 1e-3, logEvery: 100, checkpointEvery: 500,
});
const result = await train(config, {
  runDir, models: { generator, discriminator }, data: { [Symbol.asyncIterator]: ring },
  callbacks: {
    onStepEnd: (step, losses) => { if (losses && step % 100 === 0) console.log(`step ${step}: D ${losses.dLoss.toFixed(3)} G ${losses.gLoss.toFixed(3)}`); },
    onCheckpoint: (step, dir) => console.log(`checkpoint at step ${step}: ${dir}`),
  },
});
console.log(`done: step ${result.step}, checkpoint ${result.checkpoint}`);
