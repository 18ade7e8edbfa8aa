// tfjs-gan/parity: the float64 scratch math checked against tfjs autograd (`gan parity`).
export { runParity, failures, ALL_CHECKS } from './run.js';
export type { ParityResult, Tolerance } from './compare.js';
