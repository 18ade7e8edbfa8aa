// The seed's training loops again, in tfjs (float32, tf.variableGrads via optimizer.minimize, plain SGD), replaying
// exactly the batches the scratch loops draw from the same seed. Losses stay on the device and are read back
// (asynchronously: webgpu has no synchronous read in Node) only where a snapshot is logged.
import { tf } from '../tf.js';
import type { Optimizer, Scalar, Variable } from '@tensorflow/tfjs';
import { Matrix } from '../scratch/matrix.js';
import { heInit, type MlpParams } from '../scratch/mlp.js';
import { gaussian } from '../scratch/data.js';
import { drawReal, snapshot, type GanLoopConfig, type Snapshot, type WganLoopConfig } from '../scratch/train.js';
import { Rng } from '../random.js';
import {
  fromTensors, paramList, read, readScalar, tensor, tfDiscriminatorLoss, tfForward, tfGeneratorLossNonSaturating, tfGeneratorLossSaturating, tfLogit, toVariables,
  type TfMlp,
} from './tfjs-mlp.js';

type Vars = Record<keyof TfMlp, Variable>;

function dispose(...nets: Vars[]): void {
  for (const n of nets) for (const v of paramList(n)) v.dispose();
}

async function sampleGenerator(G: Vars, noise: Matrix): Promise<Matrix> {
  const out = tf.tidy(() => tfForward(G, tensor(noise)));
  const [rows, cols] = out.shape;
  return Matrix.from(rows, cols, await read(out));
}

/** tfjs twin of scratch `trainGan`: same initial weights, same batches, same update order. */
export async function tfTrainGan(config: GanLoopConfig): Promise<{ history: Snapshot[]; G: MlpParams; D: MlpParams }> {
  const rng = new Rng(config.seed);
  const dim = config.target.kind === 'gaussian1d' ? 1 : 2;
  const G = toVariables(heInit(rng, config.noiseDim, config.hiddenDim, dim), 'G');
  const D = toVariables(heInit(rng, dim, config.hiddenDim, 1), 'D');
  const optD = tf.train.sgd(config.discriminatorLr);
  const optG = tf.train.sgd(config.generatorLr);
  const gLoss = config.generatorLoss === 'nonSaturating' ? tfGeneratorLossNonSaturating : tfGeneratorLossSaturating;
  const history: Snapshot[] = [];
  const n = config.batchSize;
  const zeros = tf.zeros([n, 1]), ones = tf.ones([n, 1]);
  for (let epoch = 0; epoch <= config.epochs; epoch++) {
    const real = drawReal(rng, config.target, n);
    const noise = gaussian(rng, n, config.noiseDim);
    const noise2 = gaussian(rng, n, config.noiseDim);
    const dLoss = tf.tidy(() => {
      const fake = tfForward(G, tensor(noise));
      const lossReal = optD.minimize(() => tfDiscriminatorLoss(tf.sigmoid(tfLogit(D, tensor(real))), zeros) as Scalar, true, paramList(D))!;
      const lossFake = optD.minimize(() => tfDiscriminatorLoss(ones, tf.sigmoid(tfLogit(D, fake))) as Scalar, true, paramList(D))!;
      optG.minimize(() => gLoss(tf.sigmoid(tfLogit(D, tfForward(G, tensor(noise2))))) as Scalar, false, paramList(G));
      return tf.add(lossReal, lossFake);
    });
    if (epoch % config.logEvery === 0 || epoch === config.epochs) {
      const loss = await readScalar(dLoss);
      history.push(snapshot(epoch, await sampleGenerator(G, gaussian(rng, config.evalSamples, config.noiseDim)), loss));
    } else {
      dLoss.dispose();
    }
  }
  const result = { history, G: await fromTensors(G), D: await fromTensors(D) };
  tf.dispose([zeros, ones]);
  optD.dispose();
  optG.dispose();
  dispose(G, D);
  return result;
}

/** tfjs twin of scratch `trainWgan`: SGD on f(fake), then on -f(real) (re-evaluated), clip W1 and W2; G on -f(G(z)). */
export async function tfTrainWgan(config: WganLoopConfig): Promise<{ history: Snapshot[]; G: MlpParams; C: MlpParams }> {
  const rng = new Rng(config.seed);
  const dim = config.target.kind === 'gaussian1d' ? 1 : 2;
  const G = toVariables(heInit(rng, config.noiseDim, config.hiddenDim, dim), 'G');
  const C = toVariables(heInit(rng, dim, config.hiddenDim, 1), 'C');
  const rms = config.optimizer === 'rmsprop';
  const optC = rms ? tf.train.rmsprop(config.criticLr, 0.9, 0, 1e-7) : tf.train.sgd(config.criticLr);
  const optG = rms ? tf.train.rmsprop(config.generatorLr, 0.9, 0, 1e-7) : tf.train.sgd(config.generatorLr);
  const history: Snapshot[] = [];
  const n = config.batchSize;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    let wDistance: Scalar | null = null; // the last critic step's estimate
    for (let k = 0; k < config.criticSteps; k++) {
      const real = drawReal(rng, config.target, n);
      const noise = gaussian(rng, n, config.noiseDim);
      wDistance?.dispose();
      wDistance = criticUpdate(G, C, real, noise, optC, config.clipValue);
    }
    const noise = gaussian(rng, n, config.noiseDim);
    tf.tidy(() => { optG.minimize(() => tf.neg(tf.mean(tfForward(C, tfForward(G, tensor(noise))))) as Scalar, false, paramList(G)); });
    if (epoch % config.logEvery === 0 || epoch === config.epochs - 1) {
      const w = wDistance ? await readScalar(wDistance) : 0;
      history.push(snapshot(epoch, await sampleGenerator(G, gaussian(rng, config.evalSamples, config.noiseDim)), w));
    } else {
      wDistance?.dispose();
    }
  }
  const result = { history, G: await fromTensors(G), C: await fromTensors(C) };
  optC.dispose();
  optG.dispose();
  dispose(G, C);
  return result;
}

/** One seed-style critic step; returns the Wasserstein estimate before the updates, on the device (caller disposes). */
function criticUpdate(G: TfMlp, C: Vars, real: Matrix, noise: Matrix, opt: Optimizer, clipValue: number): Scalar {
  return tf.tidy(() => {
    const x = tensor(real);
    const fake = tfForward(G, tensor(noise));
    // Computed before the updates; assign gives the variables new data, so reading w later still sees the old weights.
    const w = tf.sub(tf.mean(tfForward(C, x)), tf.mean(tfForward(C, fake))) as Scalar;
    opt.minimize(() => tf.mean(tfForward(C, fake)) as Scalar, false, paramList(C));
    opt.minimize(() => tf.neg(tf.mean(tfForward(C, x))) as Scalar, false, paramList(C));
    C.W1.assign(tf.clipByValue(C.W1, -clipValue, clipValue));
    C.W2.assign(tf.clipByValue(C.W2, -clipValue, clipValue));
    return w;
  });
}

/** One seed-style critic step; resolves to the Wasserstein estimate before the updates. Exported for the parity checks. */
export function criticStep(G: TfMlp, C: Vars, real: Matrix, noise: Matrix, opt: Optimizer, clipValue: number): Promise<number> {
  return readScalar(criticUpdate(G, C, real, noise, opt, clipValue));
}
