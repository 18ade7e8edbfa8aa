// Conv2DBackpropFilter for the wasm backend (tfjs-backend-wasm 4.22 ships none): the filter gradient of an NHWC
// conv2d, computed as one stride-1 XNNPACK conv2d whose filter is dy, dilated by the forward stride.
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { TF } from '../../tf_types.js';
import { release, runWasmKernel, type WasmBackendLike } from './call.js';

/**
 * dW[kh, kw, ci, co] = sum over b, oh, ow of x[b, oh*s + kh - padTop, ow*s + kw - padLeft, ci] * dy[b, oh, ow, co].
 * Reading ci as a batch and b as channels, that is a stride-1 conv2d of x' = x^T [ci, H, W, b] with the filter
 * dy' = [OH, OW, b, co] dilated by s, padded by (padTop, padLeft) and cropped to a [KH, KW] output.
 *
 * Inputs: x [batch, H, W, inChannels], dy [batch, OH, OW, outChannels]; output [KH, KW, inChannels, outChannels].
 */
export function conv2dBackpropFilterWasm(tf: TF): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const wasm = backend as WasmBackendLike;
    const x = inputs.x as TensorInfo;
    const dy = inputs.dy as TensorInfo;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
    if (format !== 'channelsLast') {
      throw new Error(`wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only, got '${dataFormat}'`);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, format);
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight, inWidth } = info;
    // dy's own extent, not info.outShape: tfjs-core 4.22 computes the output width of a numeric `pad` from the
    // filter height, which is wrong for non-square filters.
    const outHeight = dy.shape[1]!;
    const outWidth = dy.shape[2]!;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    // Padding after the input so that the stride-1 conv yields exactly kh rows; negative means rows x never reaches.
    const bottom = kh + (outHeight - 1) * sh - inHeight - top;
    const right = kw + (outWidth - 1) * sw - inWidth - left;
    // When negative, pad by 0 and crop the (small) result instead of copying a cropped x.
    const extraRows = Math.max(-bottom, 0);
    const extraCols = Math.max(-right, 0);
    if (info.inChannels === 1 && x.dtype === 'float32') {
      return singleChannelFilterGradient(tf, wasm, x, dy, { kh, kw, sh, sw, top, left });
    }

    const xT = runWasmKernel(tf, wasm, 'Transpose', { x }, { perm: [3, 1, 2, 0] });
    const dyT = runWasmKernel(tf, wasm, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const explicit = [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]];
    const conv = runWasmKernel(tf, wasm, 'Conv2D', { x: xT, filter: dyT }, {
      strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations: [sh, sw], dimRoundingMode: undefined,
    } as unknown as NamedAttrMap);
    release(wasm, xT, dyT);
    // conv: [inChannels, kh + extraRows, kw + extraCols, outChannels]
    const dW = runWasmKernel(tf, wasm, 'Transpose', { x: conv }, { perm: [1, 2, 0, 3] });
    release(wasm, conv);
    if (extraRows === 0 && extraCols === 0) return dW;
    const cropped = runWasmKernel(tf, wasm, 'Slice', { x: dW }, { begin: [0, 0, 0, 0], size: [kh, kw, -1, -1] });
    release(wasm, dW);
    return cropped;
  };
}

/**
 * For one input channel (a discriminator's first layer on grey images) the conv above has a single output "image"
 * and runs at ~2 GFLOP/s; instead: patches of x [1, kh*kw, batch*OH*OW] (built in JS) times dy [1, batch*OH*OW, co].
 */
function singleChannelFilterGradient(
  tf: TF, wasm: WasmBackendLike, x: TensorInfo, dy: TensorInfo,
  { kh, kw, sh, sw, top, left }: { kh: number; kw: number; sh: number; sw: number; top: number; left: number },
): TensorInfo {
  const [batch, height, width] = x.shape as [number, number, number, number];
  const [, outHeight, outWidth, outChannels] = dy.shape as [number, number, number, number];
  const n = batch * outHeight * outWidth;
  const patches = wasm.makeOutput([1, kh * kw, n], 'float32');
  const p = wasm.typedArrayFromHeap(patches) as Float32Array;
  const xs = wasm.typedArrayFromHeap(x) as Float32Array;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      let at = (i * kw + j) * n;
      for (let b = 0; b < batch; b++) {
        for (let oh = 0; oh < outHeight; oh++) {
          const row = oh * sh + i - top;
          const inside = row >= 0 && row < height;
          for (let ow = 0; ow < outWidth; ow++, at++) {
            const col = ow * sw + j - left;
            p[at] = inside && col >= 0 && col < width ? xs[(b * height + row) * width + col]! : 0;
          }
        }
      }
    }
  }
  const dy3 = runWasmKernel(tf, wasm, 'Reshape', { x: dy }, { shape: [1, n, outChannels] });
  const product = runWasmKernel(tf, wasm, 'BatchMatMul', { a: patches, b: dy3 }, { transposeA: false, transposeB: false });
  release(wasm, patches, dy3);
  const dW = runWasmKernel(tf, wasm, 'Reshape', { x: product }, { shape: [kh, kw, 1, outChannels] });
  release(wasm, product);
  return dW;
}

/** Kernel registration for `tf.registerKernel`. */
export function conv2dBackpropFilterWasmConfig(tf: TF): KernelConfig {
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilterWasm(tf) };
}
