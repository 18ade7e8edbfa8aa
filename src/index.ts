// The public API of tfjs-gan, on one screen.
export { tf, initBackend, probeBackends, BACKENDS } from './tf.js';
export type { BackendName, BackendChoice, BackendInfo, BackendProbe } from './tf.js';
export { Rng } from './random.js';
export type { RngState } from './random.js';
export {
  GanError, UsageError, ConfigError, BackendError, ShapeError, DataError, CheckpointError, NumericError, GradientError,
} from './errors.js';
// Threads for the wasm backend (GAN_WASM_THREADS).
export { setWasmThreads, requestedWasmThreads, wasmThreadsStatus, WASM_MAX_THREADS } from './kernels/wasm_threads.js';
export type { WasmThreadsStatus } from './kernels/wasm_threads.js';
// Second-order gradients (gradient penalties): refuse layers that tfjs cannot differentiate twice.
export { assertSecondOrderSafe, secondOrderProblems } from './kernels/second_order.js';
export type { SecondOrderProblem, SecondOrderOptions } from './kernels/second_order.js';
