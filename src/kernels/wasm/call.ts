// Calls the wasm backend's own registered kernels directly (no engine bookkeeping) from inside our kernels.
import type { DataType, KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { TF } from '../../tf_types.js';

/** The slice of `BackendWasm` our kernels use. */
export interface WasmBackendLike extends KernelBackend {
  disposeData(dataId: object, force?: boolean): boolean;
  /** Allocates an uninitialised tensor on the wasm heap. */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A view of a tensor's heap memory (detached when the heap grows). */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Runs the kernel `name` registered for the wasm backend on `inputs`. The result lives only in the backend
 * (the engine does not count it): the caller must hand it back as a kernel output or free it with `release`.
 */
export function runWasmKernel(
  tf: TF,
  backend: WasmBackendLike,
  name: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`wasm backend has no '${name}' kernel`);
  const out = config.kernelFunc({ inputs, attrs, backend });
  if (Array.isArray(out)) throw new Error(`wasm kernel '${name}' returned ${out.length} outputs, expected one`);
  return out as TensorInfo;
}

/** Frees intermediates made by `runWasmKernel`. */
export function release(backend: WasmBackendLike, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
