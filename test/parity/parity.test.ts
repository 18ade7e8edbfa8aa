import { afterAll, describe, expect, it } from 'vitest';
import { initBackend, tf, type BackendName } from '../../src/tf.js';
import { BackendError } from '../../src/errors.js';
import { setWasmThreads } from '../../src/kernels/wasm_threads.js';
import { ALL_CHECKS, failures, runParity } from '../../src/parity/run.js';
import { compare } from '../../src/parity/compare.js';
import { makeFixture } from '../../src/parity/fixture.js';

/** Why webgpu cannot start here (the BackendError's message), or null when it starts. */
async function webgpuUnavailable(): Promise<string | null> {
  try {
    await initBackend('webgpu');
    return null;
  } catch (e) {
    if (e instanceof BackendError) return e.message;
    throw e;
  }
}

// The suite runs on every backend that starts here, whatever GAN_BACKEND says: parity must hold on each. cpu and wasm
// always start; webgpu starts where Dawn finds an adapter (Mesa's lavapipe is enough) and is reported skipped elsewhere.
const BACKENDS: { backend: BackendName; unavailable: string | null }[] = [
  { backend: 'cpu', unavailable: null },
  { backend: 'wasm', unavailable: null },
  { backend: 'webgpu', unavailable: await webgpuUnavailable() },
];

/** Mutations of the scratch side that every check must detect. */
const MUTATIONS: Record<string, (x: Float64Array) => Float64Array> = {
  'a flipped sign': (x) => x.map((v) => -v),
  'a dropped factor 2': (x) => x.map((v) => v / 2),
  // The single largest value off by 1e-3 relative: tolerances are tight enough to see a small error in one place.
  'one value off by 1e-3 relative': (x) => {
    let arg = 0;
    x.forEach((v, i) => { if (Math.abs(v) > Math.abs(x[arg]!)) arg = i; });
    const y = x.slice();
    y[arg] = y[arg]! * (1 + 1e-3);
    return y;
  },
};

for (const { backend, unavailable } of BACKENDS) {
  describe.skipIf(unavailable !== null)(`parity of scratch float64 math and tfjs autograd on ${backend}${unavailable === null ? '' : ` (skipped: ${unavailable})`}`, () => {
    const computed = new Map<string, { scratch: Float64Array; tfjs: Float64Array; error?: string }>();
    let tensorsBefore = 0;

    it('computes every check without leaking tensors', async () => {
      // The checks are hundreds of tiny ops: wasm's thread pool only adds synchronisation there (the 200-step check
      // ran several times slower on 2 threads than on 1 on this loaded 2-core machine), so wasm runs on one thread.
      if (backend === 'wasm') setWasmThreads(1);
      await initBackend(backend);
      const fx = makeFixture(1);
      await runParity({ only: ['G forward'] }); // warm-up: backends allocate internal tensors on first use
      tensorsBefore = tf.memory().numTensors;
      for (const check of ALL_CHECKS) {
        const { scratch, tfjs } = await check.compute(fx);
        computed.set(check.name, { scratch: Float64Array.from(scratch), tfjs: Float64Array.from(tfjs) });
      }
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    });

    it.each(ALL_CHECKS.map((c) => [c.name, c] as const))('passes: %s', (_name, check) => {
      const { scratch, tfjs } = computed.get(check.name)!;
      const row = compare(check.name, scratch, tfjs, check.tolerance);
      expect(row.pass, `max abs ${row.maxAbsError}, max rel ${row.maxRelError}`).toBe(true);
    });

    it.each(ALL_CHECKS.map((c) => [c.name, c] as const))('fails when the scratch side is mutated: %s', (_name, check) => {
      const { scratch, tfjs } = computed.get(check.name)!;
      for (const [mutation, mutate] of Object.entries(MUTATIONS)) {
        expect(compare(check.name, mutate(scratch), tfjs, check.tolerance).pass, mutation).toBe(false);
      }
    });

    it('reports exactly the mutated check as a failure of the run', async () => {
      const rows = await runParity({ only: ['G forward', 'critic forward'], perturb: (name, x) => (name.startsWith('G forward') ? x.map((v) => -v) : x) });
      expect(rows).toHaveLength(2);
      expect(failures(rows).map((r) => r.name)).toEqual(['G forward: G(z)']);
    });
  });
}

afterAll(async () => {
  await initBackend('cpu');
});
