// Tile for wasm with block copies (TypedArray.set / copyWithin): the stock kernel computes an index per element,
// and batch-norm gradients tile [1, 1, 1, C] to whole activations (~0.5 s per DCGAN step).
import type { KernelFunc, TensorInfo, TileAttrs } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './call.js';

type Numeric = Float32Array | Int32Array | Uint8Array;

/** Repeats out[start, start + block) `reps` times in place, doubling the copied span each time. */
function repeatInPlace(out: Numeric, start: number, block: number, reps: number): void {
  const total = block * reps;
  let filled = block;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    out.copyWithin(start + filled, start, start + n);
    filled += n;
  }
}

/**
 * out = tile(x, reps), x of shape `shape`: writes x's block for axis `axis` at `dst`, then repeats it.
 * `inner[d]` and `outInner[d]` are the element counts of x and out below axis d.
 */
function tileInto(
  x: Numeric, out: Numeric, shape: number[], reps: number[], inner: number[], outInner: number[],
  axis: number, src: number, dst: number,
): void {
  const last = axis === shape.length - 1;
  if (last) {
    out.set(x.subarray(src, src + shape[axis]!), dst);
  } else {
    for (let i = 0; i < shape[axis]!; i++) {
      tileInto(x, out, shape, reps, inner, outInner, axis + 1, src + i * inner[axis]!, dst + i * outInner[axis]!);
    }
  }
  repeatInPlace(out, dst, shape[axis]! * outInner[axis]!, reps[axis]!);
}

/** Kernel function; `stock` handles strings and scalars. */
export function fastTile(stock: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const { reps } = args.attrs as unknown as TileAttrs;
    if (x.dtype === 'string' || x.dtype === 'complex64' || x.shape.length === 0) return stock(args);
    const backend = args.backend as WasmBackendLike;
    const shape = x.shape;
    const outShape = shape.map((d, i) => d * reps[i]!);
    const out = backend.makeOutput(outShape, x.dtype);
    if (outShape.some((d) => d === 0)) return out;
    const rank = shape.length;
    const inner = new Array<number>(rank).fill(1);
    const outInner = new Array<number>(rank).fill(1);
    for (let d = rank - 2; d >= 0; d--) {
      inner[d] = inner[d + 1]! * shape[d + 1]!;
      outInner[d] = outInner[d + 1]! * outShape[d + 1]!;
    }
    // Views after makeOutput: allocation may grow (and detach) the heap.
    tileInto(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out), shape, reps, inner, outInner, 0, 0, 0);
    return out;
  };
}
