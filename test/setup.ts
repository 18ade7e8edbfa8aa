// Shared test helpers: start the backend named by GAN_BACKEND (default cpu: exact and reproducible).
import { initBackend, parseBackendChoice, type BackendInfo } from '../src/tf.js';

/** The backend the suite runs on: GAN_BACKEND, else cpu. */
export async function testBackend(): Promise<BackendInfo> {
  const env = process.env.GAN_BACKEND;
  return initBackend(env ? parseBackendChoice(env, 'GAN_BACKEND') : 'cpu');
}
