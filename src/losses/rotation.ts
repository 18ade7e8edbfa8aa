// Rotation self-supervision (Chen, Zhai, Ritter, Lucic & Houlsby 2019, "Self-Supervised GANs via Auxiliary Rotation
// Loss"): D gets a second head that names the rotation (0, 90, 180 or 270 degrees) of an image. D learns it on
// rotated real images, G is asked to draw images whose rotations D's head names correctly. The head makes D keep
// features of shape and orientation (what a class label would otherwise teach it), which is what closes part of the
// gap between unconditional and conditional GANs in the paper.
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { ShapeError } from '../errors.js';

/** Number of rotation classes: 0, 90, 180 and 270 degrees. */
export const ROTATIONS = 4;

/** Rotates square NHWC images [batch, S, S, C] by k quarter turns counter-clockwise (k in 0..3). */
export function rotate90(images: tfjs.Tensor4D, k: number): tfjs.Tensor4D {
  return tf.tidy(() => {
    switch (((k % 4) + 4) % 4) {
      case 0: return tf.clone(images);
      case 1: return tf.reverse(tf.transpose(images, [0, 2, 1, 3]), 1) as tfjs.Tensor4D;
      case 2: return tf.reverse(images, [1, 2]) as tfjs.Tensor4D;
      default: return tf.reverse(tf.transpose(images, [0, 2, 1, 3]), 2) as tfjs.Tensor4D;
    }
  });
}

/** The rotation of sample i of a batch of n: the batch is cut into four consecutive quarters, rotated 0, 1, 2, 3 times. */
export function rotationOf(i: number, n: number): number {
  return Math.floor((ROTATIONS * i) / n);
}

/**
 * The batch with each quarter rotated (`rotationOf`), and the one-hot rotation labels [batch, 4]. Every image is
 * used once, so the head costs one more pass of D over a batch of the same size, not four.
 */
export function rotateQuarters(images: tfjs.Tensor): { rotated: tfjs.Tensor4D; labels: tfjs.Tensor2D } {
  if (images.rank !== 4 || images.shape[1] !== images.shape[2]) {
    throw new ShapeError(`rotation: expected square images [batch, S, S, channels] but got [${images.shape}]`);
  }
  const n = images.shape[0]!;
  return tf.tidy(() => {
    const parts: tfjs.Tensor4D[] = [];
    for (let k = 0; k < ROTATIONS; k++) {
      const start = Math.ceil((k * n) / ROTATIONS), end = Math.ceil(((k + 1) * n) / ROTATIONS);
      if (end > start) parts.push(rotate90(tf.slice(images as tfjs.Tensor4D, [start, 0, 0, 0], [end - start, -1, -1, -1]), k));
    }
    const labels = tf.oneHot(tf.tensor1d(Int32Array.from({ length: n }, (_, i) => rotationOf(i, n)), 'int32'), ROTATIONS).toFloat() as tfjs.Tensor2D;
    return { rotated: (parts.length === 1 ? parts[0]! : tf.concat(parts, 0)) as tfjs.Tensor4D, labels };
  });
}
