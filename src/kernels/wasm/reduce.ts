// Sum and Mean for wasm over a contiguous run of axes that is not the innermost (bias and batch-norm gradients,
// batch-norm moments: NHWC over [0, 1, 2]). The stock kernels transpose the tensor to put the axes last first,
// ~7 ms per [64, 14, 14, 64] activation in a training step. Seen as [outer, reduced, 1, inner], the mean is an
// average pooling over a [reduced, 1] window: one XNNPACK operator, no transpose, ~2-3 ms.
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { TF } from '../../tf_types.js';
import { release, runWasmKernel, type WasmBackendLike } from './call.js';

/** The reduction as [outer, reduced, inner] element counts, or null when the axes are not one contiguous run. */
export function reductionBlocks(shape: readonly number[], axes: readonly number[]): [number, number, number] | null {
  const rank = shape.length;
  const sorted = [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((x, y) => x - y);
  if (sorted.length === 0 || sorted[0]! < 0 || sorted[sorted.length - 1]! >= rank) return null;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]! + 1) return null;
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const product = (from: number, to: number) => shape.slice(from, to).reduce((p, d) => p * d, 1);
  return [product(0, first), product(first, last + 1), product(last + 1, rank)];
}

/**
 * Sum (mean: `divide`) of float32 x over `axes` when they are a contiguous run above the innermost axis; anything
 * else (innermost axes, which the stock kernel reduces without a transpose, other dtypes, scattered axes) goes to
 * `stock`.
 */
export function fastReduce(tf: TF, stock: KernelFunc, divide: boolean): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as { axis: number | number[] | null; keepDims: boolean };
    if (x.dtype !== 'float32') return stock(args);
    if (axis === null || axis === undefined) return stock(args);
    const axes = Array.isArray(axis) ? axis : [axis];
    const blocks = reductionBlocks(x.shape, axes);
    if (!blocks) return stock(args);
    const [outer, reduced, inner] = blocks;
    if (inner === 1 && reduced > 0) return stock(args);
    const rank = x.shape.length;
    const reducedAxes = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
    const outShape = keepDims
      ? x.shape.map((d, i) => (reducedAxes.has(i) ? 1 : d))
      : x.shape.filter((_, i) => !reducedAxes.has(i));
    const backend = args.backend as WasmBackendLike;
    if (outer * reduced * inner === 0) {
      // Empty input: zeros for the sum and the mean, as the cpu backend gives (the stock kernel leaves memory unset).
      const out = backend.makeOutput(outShape, 'float32');
      (backend.typedArrayFromHeap(out) as Float32Array).fill(0);
      return out;
    }
    // [outer, reduced, 1, inner] average-pooled over a [reduced, 1] window: XNNPACK's average pooling, SIMD on
    // every thread, no transpose. A sum is that mean times the count.
    const image = runWasmKernel(tf, backend, 'Reshape', { x }, { shape: [outer, reduced, 1, inner] });
    const pooled = runWasmKernel(tf, backend, 'AvgPool', { x: image }, {
      filterSize: [reduced, 1], strides: [1, 1], pad: 'valid', dimRoundingMode: undefined,
    } as unknown as NamedAttrMap);
    release(backend, image);
    let result = pooled;
    if (!divide) {
      const count = backend.makeOutput([], 'float32');
      (backend.typedArrayFromHeap(count) as Float32Array)[0] = reduced;
      result = runWasmKernel(tf, backend, 'Multiply', { a: pooled, b: count });
      release(backend, pooled, count);
    }
    const out = runWasmKernel(tf, backend, 'Reshape', { x: result }, { shape: outShape });
    release(backend, result);
    return out;
  };
}
