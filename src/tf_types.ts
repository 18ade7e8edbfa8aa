// Types of the tfjs namespaces, for modules that take `tf` as a parameter (the kernel and gradient fixes that tf.ts
// registers) without importing tf.ts: type-only, so no module imports tf.ts back.
import type * as tfjs from '@tensorflow/tfjs';
import type * as tfwasm from '@tensorflow/tfjs-backend-wasm';

/** Type of the tfjs namespace. */
export type TF = typeof tfjs;
/** Type of the wasm backend package (thread count, `BackendWasm` internals for custom kernels). */
export type WasmBackendModule = typeof tfwasm;
