// Shared test helpers: start the backend named by GAN_BACKEND (default cpu: exact and reproducible), list the
// backends that loops over backends cover, and read tensors asynchronously (webgpu in Node has no dataSync).
import type { Tensor } from '@tensorflow/tfjs';
import { BackendError } from '../src/errors.js';
import { initBackend, parseBackendChoice, type BackendInfo, type BackendName } from '../src/tf.js';

/** The backend the suite runs on: GAN_BACKEND, else cpu. */
export async function testBackend(): Promise<BackendInfo> {
  const env = process.env.GAN_BACKEND;
  return initBackend(env ? parseBackendChoice(env, 'GAN_BACKEND') : 'cpu');
}

/** A backend that tests looping over backends cover. */
export type LoopBackend = Extract<BackendName, 'cpu' | 'wasm' | 'webgpu'>;

/**
 * The backends a test looping over backends covers: cpu and wasm, plus webgpu where it starts (Dawn and a
 * Vulkan/Metal/D3D12 adapter, software ones included). Leaves the test backend current.
 */
export async function availableBackends(): Promise<LoopBackend[]> {
  const backends: LoopBackend[] = ['cpu', 'wasm'];
  try {
    await initBackend('webgpu');
    backends.push('webgpu');
  } catch (e) {
    if (!(e instanceof BackendError)) throw e;
  }
  await testBackend();
  return backends;
}

/** A float tensor's values, read asynchronously (the only read webgpu offers in Node); disposes the tensor. */
export async function takeData(t: Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}

/** A tensor's nested array, read asynchronously; disposes the tensor. */
export async function takeArray(t: Tensor): Promise<unknown> {
  try {
    return await t.array();
  } finally {
    t.dispose();
  }
}
