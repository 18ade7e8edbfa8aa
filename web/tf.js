// The page's one import of TensorFlow.js: the ES-module build vendored from the toolkit's own node_modules (the
// same version that saved the checkpoints). The backend is tfjs's default (WebGL where the browser has it, else
// the CPU) unless the page's URL asks for one: ?backend=cpu.
import * as tf from '../vendor/tf.fesm.min.js';

export { tf };

/** Starts the backend; resolves to its name. */
export async function startBackend() {
  const asked = new URLSearchParams(location.search).get('backend');
  if (asked && !(await tf.setBackend(asked))) throw new Error(`backend '${asked}' did not start`);
  await tf.ready();
  return tf.getBackend();
}
