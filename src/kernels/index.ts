// Registers the toolkit's kernels and gradient fixes on tfjs. Called once, by src/tf.ts, at import.
import type { KernelConfig } from '@tensorflow/tfjs-core';
import type { TF, WasmBackendModule } from '../tf.js';
import { registerGradientFixes } from './gradients.js';
import { conv2dBackpropFilterWasmConfig } from './wasm/conv2d_backprop_filter.js';
import { conv2dBackpropInputWasmConfig } from './wasm/conv2d_backprop_input.js';
import { untransposedMatMulConfig } from './wasm/matmul.js';
import { fastTileConfig } from './wasm/tile.js';
import { leakyReluAsStepConfig } from './wasm/elementwise.js';
import { fastReduceConfig } from './wasm/reduce.js';

/** Marks our replacement kernels so a second registerFixes call does not wrap them again. */
const REPLACED = Symbol.for('tfjs-gan.replacedKernel');

/** Swaps the wasm backend's `name` kernel for `make(stock)`; must run before the wasm backend starts. */
function replaceWasmKernel(tf: TF, name: string, make: (stock: KernelConfig) => KernelConfig): void {
  const stock = tf.getKernel(name, 'wasm');
  if (!stock || REPLACED in stock) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel(Object.assign(make(stock), { [REPLACED]: true }));
}

/** Registers every kernel and gradient fix. Idempotent per process (tfjs rejects duplicate registration). */
export function registerFixes(tf: TF, wasm: WasmBackendModule): void {
  void wasm;
  // wasm kernels: a missing one (training conv nets), and faster ones where the stock kernel is slow.
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.registerKernel(conv2dBackpropFilterWasmConfig(tf));
  replaceWasmKernel(tf, 'Conv2DBackpropInput', (stock) => conv2dBackpropInputWasmConfig(tf, stock));
  replaceWasmKernel(tf, 'BatchMatMul', (stock) => untransposedMatMulConfig(tf, stock));
  replaceWasmKernel(tf, '_FusedMatMul', (stock) => untransposedMatMulConfig(tf, stock));
  replaceWasmKernel(tf, 'Tile', (stock) => fastTileConfig(stock));
  replaceWasmKernel(tf, 'LeakyRelu', (stock) => leakyReluAsStepConfig(tf, stock));
  replaceWasmKernel(tf, 'Sum', (stock) => fastReduceConfig(tf, stock));
  replaceWasmKernel(tf, 'Mean', (stock) => fastReduceConfig(tf, stock));
  // gradient fixes for double backprop (gradient penalties)
  registerGradientFixes(tf);
}
