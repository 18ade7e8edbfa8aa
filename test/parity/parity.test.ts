import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { initBackend } from '../../src/tf.js';
import { ALL_CHECKS, failures, runParity } from '../../src/parity/run.js';
import { compare } from '../../src/parity/compare.js';
import { makeFixture } from '../../src/parity/fixture.js';

// The suite runs on both backends available here whatever GAN_BACKEND says: parity must hold on each.
const BACKENDS = ['cpu', 'wasm'] as const;

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

describe.each(BACKENDS)('parity of scratch float64 math and tfjs autograd on %s', (backend) => {
  const computed = new Map<string, { scratch: Float64Array; tfjs: Float64Array; error?: string }>();
  let tensorsBefore = 0;

  it('computes every check without leaking tensors (checks of known tfjs defects excepted)', async () => {
    await initBackend(backend);
    const fx = makeFixture(1);
    runParity({ only: ['G forward'] }); // warm-up: backends allocate internal tensors on first use
    tensorsBefore = tf.memory().numTensors;
    // Known-defect checks last: when tfjs 4.22's tf.grad throws (tanh, no path to b1) it leaves the tape's tensors behind.
    const ordered = [...ALL_CHECKS.filter((c) => !c.knownIssue), ...ALL_CHECKS.filter((c) => c.knownIssue)];
    for (const check of ordered) {
      if (check.knownIssue) expect(tf.memory().numTensors).toBe(tensorsBefore);
      const { scratch, tfjs } = check.compute(fx);
      computed.set(check.name, { scratch: Float64Array.from(scratch), tfjs: Float64Array.from(tfjs) });
    }
  });

  it.each(ALL_CHECKS.map((c) => [c.name, c] as const))('passes: %s', (_name, check) => {
    const { scratch, tfjs } = computed.get(check.name)!;
    const row = compare(check.name, scratch, tfjs, check.tolerance);
    if (check.knownIssue === undefined) expect(row.pass, `max abs ${row.maxAbsError}, max rel ${row.maxRelError}`).toBe(true);
  });

  it.each(ALL_CHECKS.map((c) => [c.name, c] as const))('fails when the scratch side is mutated: %s', (_name, check) => {
    const { scratch, tfjs } = computed.get(check.name)!;
    for (const [mutation, mutate] of Object.entries(MUTATIONS)) {
      expect(compare(check.name, mutate(scratch), tfjs, check.tolerance).pass, mutation).toBe(false);
    }
  });

  it('reports a mutated check as a failure of the run, and a known tfjs defect as not fatal', () => {
    const rows = runParity({ only: ['G forward', 'gradient penalty (tanh'], perturb: (name, x) => (name.startsWith('G forward') ? x.map((v) => -v) : x) });
    expect(failures(rows).map((r) => r.name)).toEqual(['G forward: G(z)']);
    const tanh = rows.find((r) => r.name.includes('tanh'))!;
    // Until a differentiable tanh gradient is registered, tfjs 4.22 gets this wrong; once fixed the check passes.
    expect(tanh.pass || tanh.knownIssue !== undefined).toBe(true);
  });
});

afterAll(async () => {
  await initBackend('cpu');
});
