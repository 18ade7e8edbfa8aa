// Conv2DBackpropInput for the wasm backend (the transposed convolution, and the input gradient of conv2d) as
// stride-1 XNNPACK conv2ds: one per output phase (sub-pixel decomposition, Shi et al. 2016), interleaved in JS.
import type { Conv2DBackpropInputAttrs, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { TF } from '../../tf_types.js';
import { release, runWasmKernel, type WasmBackendLike } from './call.js';

/** How output phase r of one spatial axis (dx positions s*q + r) maps onto a stride-1 conv over dy. */
export interface PhasePlan {
  /** Filter taps along this axis (0: no kernel tap reaches this phase, its dx entries are 0). */
  taps: number;
  /** dx[s*q + r] reads dy[q + first .. q + first + taps - 1]; tap u uses kernel index r + pad - s*(first + u). */
  first: number;
  padBefore: number;
  padAfter: number;
  /** dx positions in this phase: ceil((size - r) / s). */
  count: number;
  /** Positions the conv produces (>= count; the extra ones are dropped). */
  produced: number;
}

/**
 * dx[s*q + r] = sum over kernel taps k = r + pad - s*m of dy[q + m] * W[k]. The m of phase r are consecutive.
 * Returns null when a phase would need dy cropped (padding beyond the kernel): the caller uses the stock kernel.
 */
export function planPhase(size: number, dySize: number, kernel: number, stride: number, pad: number, r: number): PhasePlan | null {
  const count = Math.max(Math.ceil((size - r) / stride), 0);
  const ms: number[] = [];
  for (let k = 0; k < kernel; k++) if ((r + pad - k) % stride === 0) ms.push((r + pad - k) / stride);
  if (ms.length === 0 || count === 0) return { taps: 0, first: 0, padBefore: 0, padAfter: 0, count, produced: count };
  const first = Math.min(...ms);
  const last = Math.max(...ms);
  if (first > 0) return null;
  const taps = last - first + 1;
  const padBefore = -first;
  const padAfter = Math.max(count - 1 + last - (dySize - 1), 0);
  return { taps, first, padBefore, padAfter, count, produced: dySize + padBefore + padAfter - taps + 1 };
}

/** Phase filter [rows.taps, cols.taps, outChannels, inChannels]: W's taps for this phase, flipped, (ci, co) swapped. */
function fillPhaseFilter(
  out: Float32Array, w: Float32Array, kw: number, ci: number, co: number, s: number,
  ry: number, rx: number, rows: PhasePlan, cols: PhasePlan, padTop: number, padLeft: number,
): void {
  for (let u = 0; u < rows.taps; u++) {
    const h = ry + padTop - s * (rows.first + u);
    for (let v = 0; v < cols.taps; v++) {
      const x = rx + padLeft - s * (cols.first + v);
      const src = (h * kw + x) * ci * co;
      const dst = (u * cols.taps + v) * co * ci;
      for (let c = 0; c < ci; c++) {
        const srcRow = src + c * co;
        for (let o = 0; o < co; o++) out[dst + o * ci + c] = w[srcRow + o]!;
      }
    }
  }
}

/** Copies phase output [batch, rowsProduced, colsProduced, ci] into dx [batch, H, W, ci] at (s*q + ry, s*p + rx). */
function scatterPhase(
  dx: Float32Array, phase: Float32Array, batch: number, height: number, width: number, ci: number, s: number,
  ry: number, rx: number, rows: PhasePlan, cols: PhasePlan,
): void {
  for (let b = 0; b < batch; b++) {
    for (let q = 0; q < rows.count; q++) {
      const srcRow = ((b * rows.produced + q) * cols.produced) * ci;
      const dstRow = ((b * height + s * q + ry) * width + rx) * ci;
      if (s === 1) {
        dx.set(phase.subarray(srcRow, srcRow + cols.count * ci), dstRow);
        continue;
      }
      for (let p = 0; p < cols.count; p++) {
        const src = srcRow + p * ci;
        const dst = dstRow + p * s * ci;
        if (ci >= 16) dx.set(phase.subarray(src, src + ci), dst);
        else for (let c = 0; c < ci; c++) dx[dst + c] = phase[src + c]!;
      }
    }
  }
}

/**
 * For one input channel (a generator's last layer on grey images, a discriminator's first-layer input gradient) the
 * phase convolutions have a single output channel, which XNNPACK runs at 2-4 GFLOP/s. Instead: every kernel tap's
 * contribution at once, cols [batch*OH*OW, kh*kw] = dy [batch*OH*OW, co] times W^T [co, kh*kw] (one matmul with a small
 * packed operand), then each column added into dx at its tap's offset (col2im) in JS.
 */
function singleChannelInputGradient(
  tf: TF, wasm: WasmBackendLike, dy: TensorInfo, filter: TensorInfo,
  { batch, height, width, kh, kw, sh, sw, top, left }: {
    batch: number; height: number; width: number; kh: number; kw: number; sh: number; sw: number; top: number; left: number;
  },
): TensorInfo {
  const [, outHeight, outWidth, outChannels] = dy.shape as [number, number, number, number];
  const taps = kh * kw;
  const m = batch * outHeight * outWidth;
  const wt = wasm.makeOutput([1, outChannels, taps], 'float32');
  {
    const w = wasm.typedArrayFromHeap(filter) as Float32Array;
    const out = wasm.typedArrayFromHeap(wt) as Float32Array;
    for (let t = 0; t < taps; t++) for (let c = 0; c < outChannels; c++) out[c * taps + t] = w[t * outChannels + c]!;
  }
  const dy3 = runWasmKernel(tf, wasm, 'Reshape', { x: dy }, { shape: [1, m, outChannels] });
  const cols = runWasmKernel(tf, wasm, 'BatchMatMul', { a: dy3, b: wt }, { transposeA: false, transposeB: false });
  release(wasm, dy3, wt);
  const dx = wasm.makeOutput([batch, height, width, 1], 'float32');
  // Views after the allocations (a growing heap detaches earlier ones).
  const out = wasm.typedArrayFromHeap(dx) as Float32Array;
  const c = wasm.typedArrayFromHeap(cols) as Float32Array;
  out.fill(0);
  for (let j = 0; j < kw; j++) {
    // output columns ow whose input column ow*sw + j - left lies inside the image
    const owLo = Math.max(0, Math.ceil((left - j) / sw));
    const owHi = Math.min(outWidth, Math.floor((width - 1 + left - j) / sw) + 1);
    for (let i = 0; i < kh; i++) {
      const t = i * kw + j;
      for (let b = 0; b < batch; b++) {
        for (let oh = 0; oh < outHeight; oh++) {
          const y = oh * sh + i - top;
          if (y < 0 || y >= height) continue;
          const dst = (b * height + y) * width + j - left;
          const src = ((b * outHeight + oh) * outWidth) * taps + t;
          for (let ow = owLo; ow < owHi; ow++) out[dst + ow * sw]! += c[src + ow * taps]!;
        }
      }
    }
  }
  release(wasm, cols);
  return dx;
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
    const { batchSize, inHeight, inWidth, inChannels, outChannels, filterHeight, filterWidth, strideHeight: s } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    if (inChannels === 1 && format === 'channelsLast' && dy.dtype === 'float32' && filter.dtype === 'float32') {
      return singleChannelInputGradient(tf, wasm, dy, filter, {
        batch: batchSize, height: inHeight, width: inWidth, kh: filterHeight, kw: filterWidth, sh: s, sw: info.strideWidth, top, left,
      });
    }
    const rowPlans: (PhasePlan | null)[] = [];
    const colPlans: (PhasePlan | null)[] = [];
    for (let r = 0; r < s; r++) {
      rowPlans.push(planPhase(inHeight, dy.shape[1]!, filterHeight, s, top, r));
      colPlans.push(planPhase(inWidth, dy.shape[2]!, filterWidth, s, left, r));
    }
    if (format !== 'channelsLast' || info.strideWidth !== s || dy.dtype !== 'float32' || rowPlans.includes(null) || colPlans.includes(null)) {
      return fallback(args);
    }
    const phases: { ry: number; rx: number; rows: PhasePlan; cols: PhasePlan; out: TensorInfo }[] = [];
    for (let ry = 0; ry < s; ry++) {
      for (let rx = 0; rx < s; rx++) {
        const rows = rowPlans[ry]!;
        const cols = colPlans[rx]!;
        if (rows.taps === 0 || cols.taps === 0) continue;
        const phaseFilter = wasm.makeOutput([rows.taps, cols.taps, outChannels, inChannels], 'float32');
        // Views are taken after the allocation: growing the wasm heap detaches earlier ones.
        fillPhaseFilter(wasm.typedArrayFromHeap(phaseFilter) as Float32Array, wasm.typedArrayFromHeap(filter) as Float32Array,
          filterWidth, inChannels, outChannels, s, ry, rx, rows, cols, top, left);
        const out = runWasmKernel(tf, wasm, 'Conv2D', { x: dy, filter: phaseFilter }, {
          strides: [1, 1], pad: [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]],
          dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined,
        } as unknown as NamedAttrMap);
        release(wasm, phaseFilter);
        phases.push({ ry, rx, rows, cols, out });
      }
    }
    const only = phases.length === 1 ? phases[0]! : null;
    if (s === 1 && only && only.rows.produced === inHeight && only.cols.produced === inWidth) return only.out;
    const dx = wasm.makeOutput([batchSize, inHeight, inWidth, inChannels], 'float32');
    const dxValues = wasm.typedArrayFromHeap(dx) as Float32Array;
    if (phases.length < s * s) dxValues.fill(0);
    for (const { ry, rx, rows, cols, out } of phases) {
      scatterPhase(dxValues, wasm.typedArrayFromHeap(out) as Float32Array, batchSize, inHeight, inWidth, inChannels, s, ry, rx, rows, cols);
      release(wasm, out);
    }
    return dx;
  };
}
