// BatchMatMul / _FusedMatMul for wasm: the stock kernel reaches XNNPACK only without transposes (and batch 1);
// with transposeA/B it runs a naive triple loop ~30x slower. Transpose the operands first, then take the fast path.
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { TF } from '../../tf.js';
import { release, runWasmKernel, type WasmBackendLike } from './call.js';

function batchOf(info: TensorInfo): number {
  return info.shape.slice(0, -2).reduce((p, d) => p * d, 1);
}

/** Swaps the last two axes of a float32 tensor (a new tensor in the backend). */
function swapLastAxes(tf: TF, backend: WasmBackendLike, info: TensorInfo): TensorInfo {
  const rank = info.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return runWasmKernel(tf, backend, 'Transpose', { x: info }, { perm });
}

/** Kernel function: matMul(a, b, transposeA, transposeB) = stock(a', b', false, false) when both batches are 1. */
export function untransposedMatMul(tf: TF, stock: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const wasm = backend as WasmBackendLike;
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if ((!transposeA && !transposeB) || batchOf(a) !== 1 || batchOf(b) !== 1) return stock(args);
    const made: TensorInfo[] = [];
    const a2 = transposeA ? swapLastAxes(tf, wasm, a) : a;
    const b2 = transposeB ? swapLastAxes(tf, wasm, b) : b;
    if (transposeA) made.push(a2);
    if (transposeB) made.push(b2);
    const out = stock({
      inputs: { ...inputs, a: a2, b: b2 },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false } as NamedAttrMap,
    });
    release(wasm, ...made);
    return out;
  };
}

/** Replacement registration for `name` ('BatchMatMul' or '_FusedMatMul'), keeping the stock setup. */
export function untransposedMatMulConfig(tf: TF, stock: KernelConfig): KernelConfig {
  const config: KernelConfig = { kernelName: stock.kernelName, backendName: 'wasm', kernelFunc: untransposedMatMul(tf, stock.kernelFunc) };
  if (stock.setupFunc) config.setupFunc = stock.setupFunc;
  return config;
}
