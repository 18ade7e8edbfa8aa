// BatchMatMul / _FusedMatMul for wasm: the stock kernel reaches XNNPACK only without transposes (and batch 1);
// with transposeA/B it runs a naive triple loop ~30x slower. Transpose the operands first, then take the fast path.
// Products with an inner or outer size of 1 (a dense layer with one output unit: its forward, its input gradient,
// an outer product, and its weight gradient, a matrix-vector product) are plain loops: XNNPACK packs the large
// operand as weights on every call and runs them at a fraction of its speed (~3 ms for 400k multiplications).
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { TF } from '../../tf_types.js';
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

/**
 * out[i, j] = sum over k of A(i, k) B(k, j) for float32 operands with k = 1 or n = 1, A = a or a^T, B = b or b^T,
 * accumulated in float64 and rounded once.
 */
function thinProduct(
  as: Float32Array, bs: Float32Array, out: Float32Array, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
): void {
  // element strides of A along (i, k) and of B along (k, j)
  const [ai, ak] = transposeA ? [1, m] : [k, 1];
  const [bk, bj] = transposeB ? [1, k] : [n, 1];
  if (k === 1) {
    for (let i = 0; i < m; i++) {
      const x = as[i * ai]!;
      for (let j = 0; j < n; j++) out[i * n + j] = x * bs[j * bj]!;
    }
    return;
  }
  // n === 1: a matrix-vector product, walking A in memory order.
  const acc = new Float64Array(m);
  if (!transposeA) {
    for (let i = 0; i < m; i++) {
      let sum = 0;
      for (let t = 0; t < k; t++) sum += as[i * ai + t]! * bs[t * bk]!;
      acc[i] = sum;
    }
  } else {
    for (let t = 0; t < k; t++) {
      const y = bs[t * bk]!;
      for (let i = 0; i < m; i++) acc[i]! += as[t * ak + i]! * y;
    }
  }
  out.set(acc);
}

/** Kernel function: matMul(a, b, transposeA, transposeB) = stock(a', b', false, false) when both batches are 1. */
export function untransposedMatMul(tf: TF, stock: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const wasm = backend as WasmBackendLike;
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const rank = a.shape.length;
    const m = a.shape[transposeA ? rank - 1 : rank - 2]!;
    const k = a.shape[transposeA ? rank - 2 : rank - 1]!;
    const n = b.shape[transposeB ? b.shape.length - 2 : b.shape.length - 1]!;
    const { activation } = attrs as { activation?: string };
    const plain = inputs.bias == null && inputs.preluActivationWeights == null && (activation === undefined || activation === 'linear')
      && a.shape.length === 3 && b.shape.length === 3;
    if (plain && (k === 1 || n === 1) && a.dtype === 'float32' && b.dtype === 'float32' && batchOf(a) === 1 && batchOf(b) === 1) {
      const out = wasm.makeOutput([1, m, n], 'float32');
      if (m * n > 0) {
        thinProduct(wasm.typedArrayFromHeap(a) as Float32Array, wasm.typedArrayFromHeap(b) as Float32Array,
          wasm.typedArrayFromHeap(out) as Float32Array, m, k, n, transposeA, transposeB);
      }
      return out;
    }
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
