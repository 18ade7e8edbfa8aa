// Registers the toolkit's kernels and gradient fixes on tfjs. Called once, by src/tf.ts, at import.
import type { TF, WasmBackendModule } from '../tf.js';
import { registerGradientFixes } from './gradients.js';
import { conv2dBackpropFilterWasmConfig } from './wasm/conv2d_backprop_filter.js';

/** Registers every kernel and gradient fix. Idempotent per process (tfjs rejects duplicate registration). */
export function registerFixes(tf: TF, wasm: WasmBackendModule): void {
  void wasm;
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.registerKernel(conv2dBackpropFilterWasmConfig(tf));
  registerGradientFixes(tf);
}
