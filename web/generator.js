// A checkpoint's generator in the browser: loaded from its model.json (the toolkit's custom layers registered by
// layers.js), and run in inference mode on latent vectors and class labels.
import { tf } from './tf.js';
import './layers.js';

/**
 * Loads the model at `url` and reads its signature: z [batch, latentDim], an optional one-hot label
 * [batch, numClasses], one output per sample of shape `outputShape` (e.g. [28, 28, 1] or [2]).
 */
export async function loadGenerator(url) {
  const model = await tf.loadLayersModel(url);
  const [z, label] = model.inputs;
  return { model, latentDim: z.shape[1], numClasses: label ? label.shape[1] : null, outputShape: model.outputs[0].shape.slice(1) };
}

/** Runs G on z [n * latentDim] and, when conditional, labels [n]; resolves to the outputs [n * prod(outputShape)]. */
export async function generate(generator, z, labels) {
  const { model, latentDim, numClasses } = generator;
  const n = z.length / latentDim;
  const y = tf.tidy(() => {
    const zt = tf.tensor2d(z, [n, latentDim]);
    const inputs = numClasses === null ? zt : [zt, tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses).toFloat()];
    return model.predict(inputs);
  });
  try {
    return await y.data();
  } finally {
    y.dispose();
  }
}
