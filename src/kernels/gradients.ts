// Gradient fixes that make double backprop (WGAN-GP, Gulrajani 2017; R1, Mescheder 2018) correct in tfjs 4.22.
import type { GradConfig, Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { TF } from '../tf_types.js';

/**
 * Comparison and logical kernels, all but GreaterEqual without a registered gradient in tfjs-core 4.22
 * (tfjs-core/src/gradients/ has GreaterEqual_grad.ts only; registration skips kernels that have one). First-order gradients of leakyRelu, prelu, selu, relu6, clipByValue,
 * maximum/minimum and where build a mask with one of them (e.g. LeakyRelu_grad.ts: `where(greater(x, 0), ...)`),
 * so differentiating that gradient again walks into the comparison node and throws
 * "gradient function not found for Greater". Their outputs are piecewise constant (bool), so the true gradient
 * with respect to their inputs is zero almost everywhere: we register exactly that.
 */
export const COMPARISON_KERNELS = [
  'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual',
  'LogicalAnd', 'LogicalOr', 'LogicalNot', 'LogicalXor',
] as const;

/**
 * Kernels whose tfjs gradient reads the kernel's own saved OUTPUT (`outputsToSave`): Sigmoid_grad.ts
 * (`dy * y * (1 - y)`), Tanh_grad.ts (`(1 - y^2) * dy`), Elu_grad.ts (EluGrad kernel of `dy` and `y`),
 * Exp_grad.ts (`dy * y`) and Softmax_grad.ts (`dy*y - sum(dy*y)*y`). The engine (engine.ts, runKernelFunc -> saveTensorsForBackwardMode) saves a clone of
 * `y` and pushes the clone's tape node BEFORE the kernel's own node, so when a second gradient filters the tape
 * from x forward, the clone's input is not yet reachable and the saved `y` is treated as a constant. Double
 * backprop then silently drops the `d y / d x` term: measured on cpu and wasm, penalty gradients through tanh or
 * sigmoid were off by 25% to 12x (tfjs issue #3252 reports the same ops failing outright in 1.7). We
 * re-register them saving the INPUT instead and recomputing the activation inside the gradient, which the tape
 * records as an ordinary, differentiable op.
 */
export const OUTPUT_SAVING_KERNELS = ['Sigmoid', 'Tanh', 'Elu', 'Exp', 'Softmax'] as const;

/**
 * Backward kernels that tfjs-core 4.22 gives no gradient, so a second backprop through the forward op throws:
 * AvgPool_grad.ts returns the AvgPoolGrad kernel. AvgPoolGrad(dy) is the adjoint A^T dy of the linear map
 * A = avgPool (same window, strides, padding), so its gradient is A ddx = avgPool(ddx) for dy and 0 for the
 * input, whose values it never reads. (MaxPoolGrad and the 3D pooling grads stay unsupported:
 * src/kernels/second_order.ts refuses those layers.)
 */
export const BACKWARD_KERNELS = ['AvgPoolGrad'] as const;

function corrected(tf: TF): GradConfig[] {
  const one = (): Tensor => tf.scalar(1);
  return [
    {
      // tile(x, reps) repeats x as the outer block of each axis, so along axis d the gradient is dy seen as
      // [before, reps[d], size[d], after] summed over the reps axis: one reshape and one sum per repeated axis (4-D at
      // most: XNNPACK's elementwise ops stop at 6-D). tfjs-core's Tile_grad.ts slices and adds one block per
      // repetition instead: layer normalisation over [H, W, C] tiles its moments H*W*C times, and a gradient penalty
      // through it ran ~30,000 Slice/Pad/Add kernels per critic step (7 s per MNIST WGAN-GP critic step on wasm at
      // batch 8). The sum's own gradient is a broadcast again, so every order stays differentiable.
      kernelName: 'Tile',
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved as [Tensor];
        const { reps } = attrs as unknown as { reps: number[] };
        return {
          x: () => {
            let g = dy as Tensor;
            const shape = [...g.shape];
            x.shape.forEach((size, d) => {
              if (reps[d] === 1) return;
              const before = shape.slice(0, d).reduce((p, n) => p * n, 1);
              const after = shape.slice(d + 1).reduce((p, n) => p * n, 1);
              g = tf.sum(tf.reshape(g, [before, reps[d]!, size, after]), 1);
              shape[d] = size;
            });
            return tf.reshape(g, x.shape);
          },
        };
      },
    },
    {
      // leakyRelu'(x) dy = dy * step(x, alpha): the same float32 products as tfjs's LeakyRelu_grad.ts
      // (`where(greater(x, 0), dy, dy * alpha)`) in two fast kernels instead of three (Greater and Select take
      // ~5 ns per element on wasm), and differentiable again (Step's gradient is zero) without the mask.
      kernelName: 'LeakyRelu',
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved as [Tensor];
        const { alpha } = attrs as unknown as { alpha: number };
        return { x: () => tf.mul(dy as Tensor, tf.step(x, alpha)) };
      },
    },
    {
      kernelName: 'Sigmoid',
      inputsToSave: ['x'],
      gradFunc: (dy, saved) => {
        const [x] = saved as [Tensor];
        return {
          x: () => {
            const s = tf.sigmoid(x);
            return tf.mul(dy as Tensor, tf.mul(s, tf.sub(one(), s)));
          },
        };
      },
    },
    {
      kernelName: 'Tanh',
      inputsToSave: ['x'],
      gradFunc: (dy, saved) => {
        const [x] = saved as [Tensor];
        return { x: () => tf.mul(dy as Tensor, tf.sub(one(), tf.square(tf.tanh(x)))) };
      },
    },
    {
      // elu'(x) = 1 for x > 0, exp(x) = elu(x) + 1 otherwise. Recomputing elu(x) (whose gradient is this one)
      // keeps every order differentiable; the EluGrad kernel used by tfjs has no gradient at all.
      kernelName: 'Elu',
      inputsToSave: ['x'],
      gradFunc: (dy, saved) => {
        const [x] = saved as [Tensor];
        return {
          x: () => {
            const d = dy as Tensor;
            return tf.where(tf.greater(x, 0), d, tf.mul(d, tf.add(tf.elu(x), one())));
          },
        };
      },
    },
    {
      // Softmax_grad.ts: dy*y - sum(dy*y)*y with y the saved output. tf.softmax only accepts the last axis, the
      // one the kernel ran on. (tf.logSoftmax has the same flaw but is a customGrad op in log_softmax.ts, not the
      // LogSoftmax kernel, so no registered gradient can reach it: second_order.ts refuses it instead.)
      kernelName: 'Softmax',
      inputsToSave: ['logits'],
      gradFunc: (dy, saved) => {
        const [logits] = saved as [Tensor];
        return {
          logits: () => {
            const y = tf.softmax(logits);
            const dyTimesY = tf.mul(dy as Tensor, y);
            return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, -1, true), y));
          },
        };
      },
    },
    {
      kernelName: 'AvgPoolGrad',
      inputsToSave: ['input'],
      gradFunc: (ddx, saved, attrs) => {
        const [input] = saved as [Tensor];
        const { filterSize, strides, pad } = attrs as unknown as {
          filterSize: [number, number] | number; strides: [number, number] | number; pad: 'valid' | 'same' | number;
        };
        return {
          dy: () => tf.avgPool(ddx as Tensor as Tensor4D, filterSize, strides, pad),
          input: () => tf.zerosLike(input),
        };
      },
    },
    {
      kernelName: 'Exp',
      inputsToSave: ['x'],
      gradFunc: (dy, saved) => {
        const [x] = saved as [Tensor];
        return { x: () => tf.mul(dy as Tensor, tf.exp(x)) };
      },
    },
  ];
}

function zeroGradient(tf: TF, kernelName: string): GradConfig {
  // LogicalNot is unary (input `x`); the others are binary (inputs `a`, `b`), as in tfjs-core/src/kernel_names.ts.
  const names = kernelName === 'LogicalNot' ? ['x'] : ['a', 'b'];
  return {
    kernelName,
    inputsToSave: names,
    gradFunc: (_dy, saved) => {
      const grads: Record<string, () => Tensor> = {};
      // float32 whatever the input dtype: the engine rejects a bool gradient (logical ops take bool inputs).
      saved.forEach((input, i) => {
        grads[names[i]!] = () => tf.zeros((input as Tensor).shape, 'float32');
      });
      return grads;
    },
  };
}

/**
 * Registers the second-order gradient fixes. Comparison gradients are only added where tfjs has none (a future
 * tfjs that ships one keeps its own); the output-saving activations are replaced, unregistering tfjs's version
 * first so tfjs prints no "Overriding the gradient" warning (it does in DEBUG mode).
 */
export function registerGradientFixes(tf: TF): void {
  for (const name of COMPARISON_KERNELS) {
    if (tf.getGradient(name) == null) tf.registerGradient(zeroGradient(tf, name));
  }
  for (const config of corrected(tf)) {
    // AvgPoolGrad has none in 4.22; a later tfjs that ships one keeps its own.
    if (config.kernelName === 'AvgPoolGrad' && tf.getGradient('AvgPoolGrad') != null) continue;
    if (tf.getGradient(config.kernelName) != null) tf.unregisterGradient(config.kernelName);
    tf.registerGradient(config);
  }
}
