// Registers the toolkit's kernels and gradient fixes on tfjs. Called once, by src/tf.ts, at import.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import type { TF, WasmBackendModule } from '../tf_types.js';
import { registerGradientFixes } from './gradients.js';
import { conv2dBackpropFilterWasmConfig } from './wasm/conv2d_backprop_filter.js';
import { conv2dBackpropInputWasm } from './wasm/conv2d_backprop_input.js';
import { untransposedMatMul } from './wasm/matmul.js';
import { fastTile } from './wasm/tile.js';
import { leakyReluAsStep } from './wasm/elementwise.js';
import { fastReduce } from './wasm/reduce.js';

/** Marks our replacement kernels so a second registerFixes call does not wrap them again. */
const REPLACED = Symbol.for('tfjs-gan.replacedKernel');

/**
 * Swaps the wasm backend's `name` kernel for `make(stock)`, where `stock` is the stock kernel function (the
 * replacement's fallback); the stock setup is kept, since the fallback needs it. Must run before the wasm backend
 * starts.
 */
function replaceWasmKernel(tf: TF, name: string, make: (stock: KernelFunc) => KernelFunc): void {
  const stock = tf.getKernel(name, 'wasm');
  if (!stock || REPLACED in stock) return;
  tf.unregisterKernel(name, 'wasm');
  const config: KernelConfig = { kernelName: name, backendName: 'wasm', kernelFunc: make(stock.kernelFunc) };
  if (stock.setupFunc) config.setupFunc = stock.setupFunc;
  tf.registerKernel(Object.assign(config, { [REPLACED]: true }));
}

/** Registers every kernel and gradient fix. Idempotent per process (tfjs rejects duplicate registration). */
export function registerFixes(tf: TF, wasm: WasmBackendModule): void {
  void wasm;
  // wasm kernels: a missing one (training conv nets), and faster ones where the stock kernel is slow.
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.registerKernel(conv2dBackpropFilterWasmConfig(tf));
  replaceWasmKernel(tf, 'Conv2DBackpropInput', (stock) => conv2dBackpropInputWasm(tf, stock));
  replaceWasmKernel(tf, 'BatchMatMul', (stock) => untransposedMatMul(tf, stock));
  replaceWasmKernel(tf, '_FusedMatMul', (stock) => untransposedMatMul(tf, stock));
  replaceWasmKernel(tf, 'Tile', (stock) => fastTile(stock));
  replaceWasmKernel(tf, 'LeakyRelu', (stock) => leakyReluAsStep(tf, stock));
  replaceWasmKernel(tf, 'Sum', (stock) => fastReduce(tf, stock, false));
  replaceWasmKernel(tf, 'Mean', (stock) => fastReduce(tf, stock, true));
  // gradient fixes for double backprop (gradient penalties)
  registerGradientFixes(tf);
}
