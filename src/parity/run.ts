// Runs every parity check on the current tfjs backend and returns the table rows.
import { CHECKS, type ParityCheck } from './checks.js';
import { TRAIN_CHECKS } from './checks-train.js';
import { compare, type ParityResult } from './compare.js';
import { makeFixture } from './fixture.js';

/** All checks, in table order; the gradient-penalty and training checks come last. */
export const ALL_CHECKS: ParityCheck[] = [...CHECKS, ...TRAIN_CHECKS];

export interface ParityOptions {
  /** Fixture seed (default 1). */
  seed?: number;
  /** Only the checks whose name contains one of these strings. */
  only?: string[];
  /** Mutation hook for tests: replaces the scratch values of a check before comparison. */
  perturb?: (name: string, scratch: Float64Array) => Float64Array;
}

/** Runs the checks one after another. A check that throws (or rejects) is a failed row carrying the error. */
export async function runParity(options: ParityOptions = {}): Promise<ParityResult[]> {
  const fx = makeFixture(options.seed ?? 1);
  const checks = options.only ? ALL_CHECKS.filter((c) => options.only!.some((s) => c.name.includes(s))) : ALL_CHECKS;
  const rows: ParityResult[] = [];
  for (const check of checks) {
    try {
      const { scratch, tfjs } = await check.compute(fx);
      const expected = options.perturb ? options.perturb(check.name, Float64Array.from(scratch)) : scratch;
      rows.push(compare(check.name, expected, tfjs, check.tolerance));
    } catch (e) {
      const error = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 200);
      rows.push({ name: check.name, size: 0, maxAbsError: NaN, maxRelError: NaN, tolerance: check.tolerance, pass: false, error });
    }
  }
  return rows;
}

/** The failed rows. */
export function failures(rows: ParityResult[]): ParityResult[] {
  return rows.filter((r) => !r.pass);
}
