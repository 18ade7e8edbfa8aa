// A point where a long async loop (sampling, features, distances) may stop: on cpu/wasm a tensor read resolves as a
// microtask, so without yielding to the event loop a stop signal's handler (SIGINT, SIGTERM) would never run.

/** Yields to the event loop, then throws the signal's reason if it was aborted. Does nothing without a signal. */
export async function stopPoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  signal.throwIfAborted();
}
