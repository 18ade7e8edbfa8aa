// CPU time and GFLOP/s of the wasm conv kernels at the reference DCGAN's shapes (batch 64), for the README.
// Usage: npx tsx scripts/conv_kernels_bench.ts [name filter]
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { initBackend, tf } from '../src/tf.js';

await initBackend('wasm');

/** Mean process CPU time (ms) of `work` over `repeats` calls, after one warm-up. */
function cpuMs(work: () => void, repeats = 3): number {
  work();
  const start = process.cpuUsage();
  for (let i = 0; i < repeats; i++) work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / repeats;
}

const r = (shape: [number, number, number, number]) => tf.randomNormal(shape) as Tensor4D;
const filterGrad = (x: Tensor, dy: Tensor, stride: number, filterShape: number[]) =>
  (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: stride, pad: 'same', dataFormat: 'NHWC', filterShape }) as Tensor).dataSync();
const [x1, x2, x3, x4, x5] = [r([64, 14, 14, 64]), r([64, 7, 7, 128]), r([64, 7, 7, 256]), r([64, 28, 28, 1]), r([64, 14, 14, 64])];
const [f1, f2, f3] = [r([5, 5, 64, 128]), r([5, 5, 128, 256]), r([5, 5, 1, 64])];
const cases: [string, number, () => void][] = [
  ['Conv2D 14x14x64 -> 7x7x128, s2', 64 * 49 * 25 * 64 * 128, () => tf.conv2d(x1, f1, 2, 'same').dataSync()],
  ['Conv2D 7x7x128 -> 7x7x256, s1', 64 * 49 * 25 * 128 * 256, () => tf.conv2d(x2, f2, 1, 'same').dataSync()],
  ['Conv2DBackpropInput 7x7x256 -> 7x7x128, s1', 64 * 49 * 25 * 128 * 256, () => tf.conv2dTranspose(x3, f2, [64, 7, 7, 128], 1, 'same').dataSync()],
  ['Conv2DBackpropInput 7x7x128 -> 14x14x64, s2', 64 * 49 * 25 * 64 * 128, () => tf.conv2dTranspose(x2, f1, [64, 14, 14, 64], 2, 'same').dataSync()],
  ['Conv2DBackpropInput 14x14x64 -> 28x28x1, s2', 64 * 196 * 25 * 64, () => tf.conv2dTranspose(x5, f3, [64, 28, 28, 1], 2, 'same').dataSync()],
  ['Conv2DBackpropFilter 14x14x64 / 7x7x128, s2', 64 * 49 * 25 * 64 * 128, () => filterGrad(x1, x2, 2, [5, 5, 64, 128])],
  ['Conv2DBackpropFilter 7x7x128 / 7x7x256, s1', 64 * 49 * 25 * 128 * 256, () => filterGrad(x2, x3, 1, [5, 5, 128, 256])],
  ['Conv2DBackpropFilter 28x28x1 / 14x14x64, s2', 64 * 196 * 25 * 64, () => filterGrad(x4, x5, 2, [5, 5, 1, 64])],
];
const only = process.argv[2];
for (const [name, macs, work] of cases) {
  if (only && !name.includes(only)) continue;
  const ms = cpuMs(work);
  process.stdout.write(`${name.padEnd(46)} ${ms.toFixed(0).padStart(6)} ms CPU  ${((2 * macs) / ms / 1e6).toFixed(1).padStart(5)} GFLOP/s\n`);
}
