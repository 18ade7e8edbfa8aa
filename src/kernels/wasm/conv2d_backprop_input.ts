// Conv2DBackpropInput for the wasm backend (the transposed convolution, and the input gradient of conv2d) as one
// stride-1 XNNPACK conv2d: sub-pixel decomposition (Shi et al. 2016), each output phase a group of output channels.
import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { TF } from '../../tf.js';
import { release, runWasmKernel, type WasmBackendLike } from './call.js';

/** How one spatial axis of dx = convT(dy) maps onto a stride-1 conv over dy. */
interface AxisPlan {
  /** Taps of the combined filter along this axis. */
  taps: number;
  /** dy positions, relative to q, that tap 0 reads: dx[s*q + r] needs dy[q + first .. q + first + taps - 1]. */
  first: number;
  /** Zero padding before and after dy for the stride-1 conv. */
  padBefore: number;
  padAfter: number;
  /** Rows (or columns) per phase the conv produces (>= ceil(size / stride); extra ones are cropped). */
  blocks: number;
}

/**
 * dx[s*q + r] = sum over kernel taps k with k = r + pad - s*m' of dy[q + m'] * W[k]: for output phase r the
 * contributing dy offsets m' = (r + pad - k) / s form a contiguous range; the union over phases is [first, last].
 * Returns null when the padding is so large that dy must be cropped (the caller then uses the stock kernel).
 */
export function planAxis(size: number, dySize: number, kernel: number, stride: number, pad: number): AxisPlan | null {
  let first = Infinity;
  let last = -Infinity;
  for (let r = 0; r < stride; r++) {
    for (let k = 0; k < kernel; k++) {
      if ((r + pad - k) % stride !== 0) continue;
      const m = (r + pad - k) / stride;
      first = Math.min(first, m);
      last = Math.max(last, m);
    }
  }
  if (!Number.isFinite(first) || first > 0) return null;
  const taps = last - first + 1;
  const needed = Math.ceil(size / stride);
  const padBefore = -first;
  const padAfter = Math.max(needed - 1 + last - (dySize - 1), 0);
  return { taps, first, padBefore, padAfter, blocks: dySize + padBefore + padAfter - taps + 1 };
}

/**
 * Combined filter [tapsH, tapsW, outChannels, stride*stride*inChannels]: tap (u, v) for phase (ry, rx) holds
 * W[ry + padTop - s*(firstH + u), rx + padLeft - s*(firstW + v)] transposed (ci, co) -> (co, ci), zero when off W.
 */
function fillPhaseFilter(
  out: Float32Array, w: Float32Array, kh: number, kw: number, ci: number, co: number, s: number,
  rows: AxisPlan, cols: AxisPlan, padTop: number, padLeft: number,
): void {
  out.fill(0);
  const depth = s * s * ci;
  for (let u = 0; u < rows.taps; u++) {
    for (let ry = 0; ry < s; ry++) {
      const h = ry + padTop - s * (rows.first + u);
      if (h < 0 || h >= kh) continue;
      for (let v = 0; v < cols.taps; v++) {
        for (let rx = 0; rx < s; rx++) {
          const x = rx + padLeft - s * (cols.first + v);
          if (x < 0 || x >= kw) continue;
          const src = (h * kw + x) * ci * co;
          const dst = (u * cols.taps + v) * co * depth + (ry * s + rx) * ci;
          for (let c = 0; c < ci; c++) {
            const srcRow = src + c * co;
            for (let o = 0; o < co; o++) out[dst + o * depth + c] = w[srcRow + o]!;
          }
        }
      }
    }
  }
}

/** Kernel function; `fallback` is the stock wasm kernel, used for shapes the decomposition does not cover. */
export function conv2dBackpropInputWasm(tf: TF, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const wasm = backend as WasmBackendLike;
    const dy = inputs.dy as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, format);
    const { batchSize, inHeight, inWidth, inChannels, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const rows = planAxis(inHeight, dy.shape[1]!, filterHeight, strideHeight, info.padInfo.top);
    const cols = planAxis(inWidth, dy.shape[2]!, filterWidth, strideWidth, info.padInfo.left);
    if (format !== 'channelsLast' || strideHeight !== strideWidth || !rows || !cols || dy.dtype !== 'float32') {
      return fallback(args);
    }
    const s = strideHeight;
    const combined = wasm.makeOutput([rows.taps, cols.taps, outChannels, s * s * inChannels], 'float32');
    // Views are taken after the allocation: growing the wasm heap detaches earlier ones.
    fillPhaseFilter(wasm.typedArrayFromHeap(combined) as Float32Array, wasm.typedArrayFromHeap(filter) as Float32Array,
      filterHeight, filterWidth, inChannels, outChannels, s, rows, cols, info.padInfo.top, info.padInfo.left);
    const explicit = [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]];
    let out = runWasmKernel(tf, wasm, 'Conv2D', { x: dy, filter: combined }, {
      strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined,
    } as unknown as NamedAttrMap);
    release(wasm, combined);
    if (s > 1) {
      const spread = runWasmKernel(tf, wasm, 'DepthToSpace', { x: out }, { blockSize: s, dataFormat: 'NHWC' });
      release(wasm, out);
      out = spread;
    }
    if (out.shape[1] !== inHeight || out.shape[2] !== inWidth) {
      const cropped = runWasmKernel(tf, wasm, 'Slice', { x: out },
        { begin: [0, 0, 0, 0], size: [batchSize, inHeight, inWidth, inChannels] });
      release(wasm, out);
      out = cropped;
    }
    return out;
  };
}

/** Replaces the stock registration, keeping its setup (which the fallback path needs). */
export function conv2dBackpropInputWasmConfig(tf: TF, stock: KernelConfig): KernelConfig {
  const config: KernelConfig = {
    kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2dBackpropInputWasm(tf, stock.kernelFunc),
  };
  if (stock.setupFunc) config.setupFunc = stock.setupFunc;
  return config;
}
